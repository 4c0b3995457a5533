/**
 * Time limits on every AWS call, so that no unanswered request can hang a scan:
 * - each HTTP attempt: a connection timeout and a request timeout (the SDK retries those);
 * - each call, retries included: a budget (CALL_BUDGET_MS);
 * - each account-region: a deadline that the caller sets around its work (`withDeadline`), so
 *   the worker keeps time to publish what it collected and the CLI reports the other regions.
 * A call past its limit is aborted (its socket closed, no retry) and fails with code TimedOut,
 * which the collector records like any failed call: the checks that need its data give ERROR.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface Timeouts {
  /** Opening the connection (TCP and TLS). */
  connectionMs: number;
  /** One HTTP attempt, from sending the request to its response. */
  requestMs: number;
  /** One call, all its retries included. */
  callMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectionMs: 3_000, requestMs: 15_000, callMs: 45_000 };

export class TimedOutError extends Error {
  override readonly name = 'TimedOut';
}

interface Deadline {
  at: number;
  label: string;
}

const deadlines = new AsyncLocalStorage<Deadline>();
const callSignals = new AsyncLocalStorage<AbortSignal>();

/** Run `work` with every AWS call in it ending by `at` (epoch ms); `label` names the deadline in errors. */
export function withDeadline<T>(at: number, label: string, work: () => Promise<T>): Promise<T> {
  const outer = deadlines.getStore();
  return deadlines.run({ at: outer ? Math.min(outer.at, at) : at, label }, work);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
  // Where smithy's retry loop reads the call's abort signal (SMITHY_CONTEXT_KEY in @smithy/types).
  __smithy_context?: { abortSignal?: unknown };
}

/**
 * SDK middleware (initialize step, so it wraps the retries): abort the call at its budget or at
 * the running deadline, whichever comes first, and fail it with TimedOut.
 */
export function deadlineMiddleware(callMs: number) {
  return <A, R>(next: (args: A) => Promise<R>, context: MiddlewareContext) =>
    async (args: A): Promise<R> => {
      const operation = `${(context.clientName ?? 'AWS').replace(/Client$/, '')} ${(context.commandName ?? 'call').replace(/Command$/, '')}`;
      const deadline = deadlines.getStore();
      const byDeadline = deadline ? deadline.at - Date.now() : Infinity;
      if (byDeadline <= 0) {
        throw new TimedOutError(`${operation} not made: the ${deadline?.label ?? ''} deadline has passed`);
      }
      const ms = Math.min(callMs, byDeadline);
      const why =
        byDeadline <= callMs
          ? `stopped at the ${deadline?.label ?? ''} deadline`
          : `no answer within ${seconds(callMs)}, retries included`;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TimedOutError(`${operation}: ${why}`)), ms);
      const smithy = context.__smithy_context;
      if (smithy && smithy.abortSignal === undefined) smithy.abortSignal = controller.signal;
      const aborted = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
      });
      try {
        return await Promise.race([callSignals.run(controller.signal, () => next(args)), aborted]);
      } catch (error) {
        throw controller.signal.aborted ? (controller.signal.reason as Error) : error;
      } finally {
        clearTimeout(timer);
      }
    };
}

type HandleArgs = Parameters<NodeHttpHandler['handle']>;

/** Node's HTTP handler, with the running call's abort signal given to every attempt. */
export class DeadlineHttpHandler extends NodeHttpHandler {
  override handle(request: HandleArgs[0], options: HandleArgs[1] = {}) {
    const signal = callSignals.getStore();
    if (!signal) return super.handle(request, options);
    const own = options.abortSignal as AbortSignal | undefined;
    const abortSignal = own ? AbortSignal.any([own, signal]) : signal;
    return super.handle(request, { ...options, abortSignal });
  }
}

export function httpHandler(timeouts: Timeouts): DeadlineHttpHandler {
  return new DeadlineHttpHandler({
    connectionTimeout: timeouts.connectionMs,
    requestTimeout: timeouts.requestMs,
    throwOnRequestTimeout: true,
  });
}
