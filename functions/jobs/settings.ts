/**
 * Deployment settings of the Lambda functions, read from the environment in one place and
 * validated at start: a missing or malformed variable is a ConfigurationError naming it.
 */
import { ConfigurationError } from '../core/errors';
import {
  isAccountId,
  parseAccountList,
  parseBucketName,
  parseRegionList,
  parseTopicArn,
  type TopicArn,
} from '../core/lists';
import { isJsonObject, readJson } from '../core/json';
import { parseParams, parseParamsJson, type Params } from '../core/params';
import type { CheckId } from '../core/finding';

type Env = NodeJS.ProcessEnv;

export function requiredEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is required but not set`);
  }
  return value.trim();
}

export function optionalEnv(name: string, fallback: string, env: Env = process.env): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

/** The Region a Lambda function runs in (AWS_REGION is always set there). */
export function lambdaRegion(env: Env = process.env): string {
  return requiredEnv('AWS_REGION', env);
}

export type TargetAccounts = { kind: 'organization' } | { kind: 'list'; accounts: string[] } | { kind: 'self' };

export interface SchedulerSettings {
  queueUrl: string;
  targets: TargetAccounts;
  excluded: ReadonlySet<string>;
  regions: string[] | 'all';
  /** Scan the organization's management account from another account (its member role deployed by hand). */
  scanManagementAccount: boolean;
  /** The scheduler's own region: where each account's account-level checks run, when it is scanned. */
  homeRegion: string | undefined;
}

export function schedulerSettings(env: Env = process.env): SchedulerSettings {
  const queueUrl = requiredEnv('TASK_QUEUE_URL', env);
  if (!/^https?:\/\//.test(queueUrl)) {
    throw new ConfigurationError(`TASK_QUEUE_URL: ${JSON.stringify(queueUrl)} is not a queue URL`);
  }
  const targetText = optionalEnv('TARGET_ACCOUNTS', 'self', env);
  const targets: TargetAccounts =
    targetText.toLowerCase() === 'organization'
      ? { kind: 'organization' }
      : targetText.toLowerCase() === 'self'
        ? { kind: 'self' }
        : { kind: 'list', accounts: parseAccountList('TARGET_ACCOUNTS', targetText, ConfigurationError) };
  return {
    queueUrl,
    targets,
    excluded: new Set(
      parseAccountList('EXCLUDED_ACCOUNTS', optionalEnv('EXCLUDED_ACCOUNTS', '', env), ConfigurationError),
    ),
    regions: parseRegionList(
      'SCAN_REGIONS',
      optionalEnv('SCAN_REGIONS', env.AWS_REGION ?? '', env),
      ConfigurationError,
    ),
    scanManagementAccount: optionalEnv('SCAN_MANAGEMENT_ACCOUNT', 'false', env).toLowerCase() === 'true',
    homeRegion: env.AWS_REGION,
  };
}

/**
 * The shared audit parameters of a deployment (AUDIT_PARAMETERS, a JSON object), validated at
 * start; a Config rule's own InputParameters are laid over them.
 */
export function sharedParameters(knownChecks: readonly CheckId[], env: Env = process.env): Record<string, unknown> {
  const text = optionalEnv('AUDIT_PARAMETERS', '', env);
  if (!text) return {};
  const value = readJson(text, 'AUDIT_PARAMETERS', ConfigurationError);
  if (!isJsonObject(value)) throw new ConfigurationError('AUDIT_PARAMETERS must be a JSON object of parameters');
  parseParams(value, knownChecks); // fail at start, naming the bad key or value
  return value;
}

export interface WorkerSettings {
  roleName: string;
  externalId: string | undefined;
  topic: TopicArn | undefined;
  params: Params;
  reportPassed: boolean;
  /** The task queue, where a task whose CloudTrail pages outlast it queues its continuation. */
  queueUrl: string | undefined;
  /** Where each task writes its HTML and CSV report; none: no reports. */
  reports: ReportBucketSettings | undefined;
}

export interface ReportBucketSettings {
  bucket: string;
  /** The account the bucket must belong to (S3 refuses the write otherwise), so a bucket deleted and re-created elsewhere never receives a report. */
  owner: string | undefined;
}

/** REPORT_BUCKET (a bucket name; empty: no reports) and REPORT_BUCKET_OWNER (its account). */
export function reportBucketSettings(env: Env = process.env): ReportBucketSettings | undefined {
  const bucket = optionalEnv('REPORT_BUCKET', '', env);
  if (!bucket) return undefined;
  const owner = optionalEnv('REPORT_BUCKET_OWNER', '', env);
  if (owner && !isAccountId(owner)) {
    throw new ConfigurationError(`REPORT_BUCKET_OWNER: ${JSON.stringify(owner)} is not a 12-digit account id`);
  }
  return { bucket: parseBucketName('REPORT_BUCKET', bucket, ConfigurationError), owner: owner || undefined };
}

export function workerSettings(knownChecks: readonly CheckId[], env: Env = process.env): WorkerSettings {
  const roleName = optionalEnv('MEMBER_ROLE_NAME', 'codecommit-endpoint-auditor-member', env);
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new ConfigurationError(`MEMBER_ROLE_NAME: ${JSON.stringify(roleName)} is not an IAM role name`);
  }
  const topicText = optionalEnv('ALERT_TOPIC_ARN', '', env);
  const paramsText = optionalEnv('AUDIT_PARAMETERS', '', env);
  return {
    roleName,
    externalId: optionalEnv('MEMBER_ROLE_EXTERNAL_ID', '', env) || undefined,
    topic: topicText ? parseTopicArn('ALERT_TOPIC_ARN', topicText, ConfigurationError) : undefined,
    params: paramsText ? parseParamsJson(paramsText, 'AUDIT_PARAMETERS', knownChecks) : parseParams({}, knownChecks),
    reportPassed: optionalEnv('REPORT_PASSED', 'false', env).toLowerCase() === 'true',
    queueUrl: optionalEnv('TASK_QUEUE_URL', '', env) || undefined,
    reports: reportBucketSettings(env),
  };
}
