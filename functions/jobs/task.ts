/** The unit of work the scheduler queues and the worker runs: one account-region of one scan. */
import * as z from 'zod/mini';
import '../aws/zod';
import { TaskError } from '../core/errors';
import { describeValue, readJson } from '../core/json';
import type { SQSEvent } from 'aws-lambda';
import { isRegionCode } from '../core/regions';

const Task = z.object({
  scanId: z.string().check(z.minLength(1), z.maxLength(200)),
  accountId: z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit account id')),
  region: z.string().check(z.refine(isRegionCode, 'must be an AWS region code')),
});
export type ScanTask = z.infer<typeof Task>;

export function parseTask(value: unknown): ScanTask {
  const result = Task.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TaskError(`not a scan task: ${issues}`);
  }
  return result.data;
}

export function parseTaskBody(body: string): ScanTask {
  return parseTask(readJson(body, 'task message', TaskError));
}

/** The outer SQS event: anything without a Records array is refused with a clear message. */
export function parseSqsEvent(event: unknown): SQSEvent {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records)) {
    throw new TaskError(`not an SQS event: expected an object with a Records array, got ${describeValue(event)}`);
  }
  return event as SQSEvent;
}
