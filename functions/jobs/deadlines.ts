/**
 * When an account-region's work must end: collection stops early enough to leave time to publish
 * what was collected, and publishing ends before the Lambda does. What a deadline cut short is a
 * TimedOut collection error (ERROR findings, exit 3) or a publish failure (the task is retried).
 */
import { withDeadline } from '../aws/deadline';

export interface Deadlines {
  /** Epoch ms by which collection (and assuming the member role) ends. */
  collect: number;
  /** Epoch ms by which publishing ends. */
  publish: number;
}

/** Time kept after collection for Security Hub, SNS or AWS Config. */
export const PUBLISH_RESERVE_MS = 60_000;

export interface Timing {
  /** Time kept after collection for publishing. */
  publishReserveMs: number;
  /** Time kept at the very end of a Lambda invocation to log and return. */
  finishMarginMs: number;
  /** A task is not started with less time than this left to collect (SQS delivers it again). */
  minCollectMs: number;
}

export const LAMBDA_TIMING: Timing = {
  publishReserveMs: PUBLISH_RESERVE_MS,
  finishMarginMs: 5_000,
  minCollectMs: 20_000,
};

export interface LambdaClock {
  getRemainingTimeInMillis(): number;
}

/** Deadlines inside one Lambda invocation (none when run without a context). */
export function lambdaDeadlines(
  context: LambdaClock | undefined,
  timing: Timing = LAMBDA_TIMING,
  now = Date.now(),
): Deadlines | undefined {
  if (!context || typeof context.getRemainingTimeInMillis !== 'function') return undefined;
  const end = now + context.getRemainingTimeInMillis() - timing.finishMarginMs;
  return { collect: end - timing.publishReserveMs, publish: end };
}

/** Run `work` within a deadline, or without one when `at` is undefined. */
export function within<T>(at: number | undefined, label: string, work: () => Promise<T>): Promise<T> {
  return at === undefined ? work() : withDeadline(at, label, work);
}
