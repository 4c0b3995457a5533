/** The unit of work the scheduler queues and the worker runs: one account-region of one scan. */
import * as z from 'zod/mini';
import '../aws/zod';
import { AuditorError } from '../core/errors';
import { isRegionCode } from '../core/regions';

const Task = z.object({
  scanId: z.string().check(z.minLength(1), z.maxLength(200)),
  accountId: z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit account id')),
  region: z.string().check(z.refine(isRegionCode, 'must be an AWS region code')),
});
export type ScanTask = z.infer<typeof Task>;

export class TaskError extends AuditorError {
  constructor(message: string) {
    super(message);
    this.name = 'TaskError';
  }
}

export function parseTask(value: unknown): ScanTask {
  const result = Task.safeParse(value);
  if (!result.success)
    throw new TaskError(
      `not a scan task: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return result.data;
}

export function parseTaskBody(body: string): ScanTask {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new TaskError(`task message is not JSON: ${(error as Error).message}`);
  }
  return parseTask(value);
}
