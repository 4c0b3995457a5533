/** The unit of work the scheduler queues and the worker runs: one account-region of one scan. */
import * as z from 'zod/mini';
import '../aws/zod';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TaskError } from '../core/errors';
import { validateInventory, type OrganizationData } from '../core/inventory';
import { describeValue, readJson } from '../core/json';
import type { SQSEvent } from 'aws-lambda';
import { isRegionCode } from '../core/regions';
import { summaryProblem, type TrafficSummary } from '../core/traffic';
import type { TrafficInput, TrafficPending } from './scan-scope';

/**
 * The account-level part of a task, on one region's task per account: the organization's data
 * for the account as the scheduler read it (null: no organization; gzipped when large), or why
 * it could not be read. The worker adds the account's IAM.
 */
const AccountLevel = z.object({
  organization: z.optional(z.nullable(z.unknown())),
  organizationGzip: z.optional(z.string()),
  organizationError: z.optional(z.object({ operation: z.string(), code: z.string(), message: z.string() })),
});

/**
 * A continued task: CloudTrail pages left by an earlier task of the same scan and account-region
 * (the window, the page token, how many pages were read, and what they summed up to, gzipped).
 */
const TrafficPart = z.object({
  startTime: z.string(),
  endTime: z.string(),
  nextToken: z.string().check(z.minLength(1)),
  pages: z.number().check(z.int(), z.gte(0)),
  carriedGzip: z.string(),
});

const Task = z.object({
  scanId: z.string().check(z.minLength(1), z.maxLength(200)),
  accountId: z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit account id')),
  region: z.string().check(z.refine(isRegionCode, 'must be an AWS region code')),
  account: z.optional(AccountLevel),
  traffic: z.optional(TrafficPart),
});
export type ScanTask = z.infer<typeof Task>;
export type TaskAccountLevel = z.infer<typeof AccountLevel>;
export type TaskTraffic = z.infer<typeof TrafficPart>;

/** The continuation of a task whose CloudTrail pages outlasted it. */
export function continuation(task: ScanTask, pending: TrafficPending): ScanTask {
  return {
    scanId: task.scanId,
    accountId: task.accountId,
    region: task.region,
    traffic: {
      startTime: pending.window.StartTime,
      endTime: pending.window.EndTime,
      nextToken: pending.nextToken,
      pages: pending.pages,
      carriedGzip: gzipSync(JSON.stringify(pending.carried)).toString('base64'),
    },
  };
}

/** The CloudTrail part a continued task carries, checked (a TaskError when malformed). */
export function trafficOf(part: TaskTraffic): TrafficInput {
  let carried: unknown;
  try {
    carried = JSON.parse(gunzipSync(Buffer.from(part.carriedGzip, 'base64')).toString('utf8'));
  } catch (error) {
    throw new TaskError(`task traffic.carriedGzip is not gzipped JSON: ${(error as Error).message}`);
  }
  const problem = summaryProblem(carried);
  if (problem) throw new TaskError(`task traffic.carriedGzip: ${problem}`);
  if (Number.isNaN(Date.parse(part.startTime)) || Number.isNaN(Date.parse(part.endTime)))
    throw new TaskError('task traffic: startTime and endTime must be ISO times');
  return {
    window: { StartTime: part.startTime, EndTime: part.endTime },
    nextToken: part.nextToken,
    pages: part.pages,
    carried: carried as TrafficSummary,
  };
}

/** Above this, a task's organization data travels gzipped (an SQS message holds 256 KB). */
const GZIP_ABOVE = 64 * 1024;

/** The account-level part of a task for an account's organization data, or the error that kept it. */
export function accountLevel(
  organization: OrganizationData | null | undefined,
  error?: { operation: string; code: string; message: string },
): TaskAccountLevel {
  if (error) return { organizationError: error };
  if (organization === undefined) return {};
  const text = JSON.stringify(organization);
  return text.length > GZIP_ABOVE ? { organizationGzip: gzipSync(text).toString('base64') } : { organization };
}

/** The organization data a task carries, validated like an inventory's (a TaskError when malformed). */
export function organizationOf(task: ScanTask): OrganizationData | null | undefined {
  const level = task.account;
  if (!level || (level.organization === undefined && level.organizationGzip === undefined)) return undefined;
  let value: unknown = level.organization;
  if (level.organizationGzip !== undefined) {
    try {
      value = JSON.parse(gunzipSync(Buffer.from(level.organizationGzip, 'base64')).toString('utf8'));
    } catch (error) {
      throw new TaskError(`task organizationGzip is not gzipped JSON: ${(error as Error).message}`);
    }
  }
  try {
    const [scope] = validateInventory(
      { accountId: task.accountId, region: task.region, vpcs: [], vpcEndpoints: [], organization: value },
      'task',
    );
    return scope?.organization;
  } catch (error) {
    throw new TaskError((error as Error).message);
  }
}

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
