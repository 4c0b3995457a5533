/**
 * Send items in batches, retrying the entries a batch API reports as failed (and whole
 * batches whose call failed) with backoff; whatever still fails is returned, never dropped.
 */
import { awsErrorInfo } from '../core/service-errors';

export interface BatchFailure<T> {
  item: T;
  code: string;
  message: string;
}

export interface BatchResult<T> {
  succeeded: number;
  failed: BatchFailure<T>[];
}

export interface RetryOptions {
  rounds?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Map the failed entries a batch API reports (by entry id) back to the items sent. */
export function failuresOf<T, F>(
  batch: readonly T[],
  idOf: (item: T) => string | undefined,
  failed: readonly F[] | undefined,
  describe: (entry: F) => { id: string | undefined; code: string | undefined; message: string | undefined },
): BatchFailure<T>[] {
  const byId = new Map(batch.map((item) => [idOf(item), item]));
  return (failed ?? []).flatMap((entry) => {
    const { id, code, message } = describe(entry);
    const item = byId.get(id);
    return item ? [{ item, code: code ?? 'Unknown', message: message ?? '' }] : [];
  });
}

/** The failed entries of an SQS or SNS batch call (entries and failures both carry `Id`; failures `Code`, `Message`). */
export function failedEntries<T extends { Id?: string | undefined }>(
  batch: readonly T[],
  failed: readonly { Id?: string | undefined; Code?: string | undefined; Message?: string | undefined }[] | undefined,
): BatchFailure<T>[] {
  return failuresOf(
    batch,
    (e) => e.Id,
    failed,
    (f) => ({ id: f.Id, code: f.Code, message: f.Message }),
  );
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Split items into batches of at most `maxItems` and `maxBytes` (by the given size function). */
export function splitBatches<T>(
  items: readonly T[],
  maxItems: number,
  maxBytes: number,
  size: (item: T) => number,
): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size(item);
    if (current.length > 0 && (current.length >= maxItems || bytes + itemBytes > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += itemBytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function sendWithRetries<T>(
  items: readonly T[],
  split: (items: readonly T[]) => T[][],
  send: (batch: T[]) => Promise<BatchResult<T>>,
  options: RetryOptions = {},
): Promise<BatchResult<T>> {
  const rounds = options.rounds ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  let pending = [...items];
  let succeeded = 0;
  for (let round = 0; pending.length > 0; round++) {
    const failures: BatchFailure<T>[] = [];
    // A call that ran out of time already had its retries (aws/deadline): no further round.
    let timedOut = false;
    for (const batch of split(pending)) {
      try {
        const result = await send(batch);
        succeeded += result.succeeded;
        failures.push(...result.failed);
      } catch (error) {
        const { code, message } = awsErrorInfo(error);
        if (code === 'TimedOut') timedOut = true;
        failures.push(...batch.map((item) => ({ item, code, message })));
      }
    }
    if (failures.length === 0 || timedOut || round + 1 >= rounds) return { succeeded, failed: failures };
    await sleep(200 * 2 ** round);
    pending = failures.map((f) => f.item);
  }
  return { succeeded, failed: [] };
}
