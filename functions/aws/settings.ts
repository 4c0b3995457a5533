/** Deployment settings of the scheduler and worker, read from the environment and validated at start. */
import { parseParamsJson, parseParams, type Params } from '../core/params';
import { isRegionCode } from '../core/regions';
import { ConfigurationError, optionalEnv, requiredEnv } from './env';

export type TargetAccounts = { kind: 'organization' } | { kind: 'list'; accounts: string[] } | { kind: 'self' };

export interface SchedulerSettings {
  queueUrl: string;
  targets: TargetAccounts;
  excluded: ReadonlySet<string>;
  regions: string[] | 'all';
}

function accountList(name: string, text: string): string[] {
  const accounts = text
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const bad = accounts.find((a) => !/^\d{12}$/.test(a));
  if (bad) throw new ConfigurationError(`${name}: ${JSON.stringify(bad)} is not a 12-digit account id`);
  return [...new Set(accounts)];
}

export function regionList(name: string, text: string): string[] | 'all' {
  if (text.trim().toLowerCase() === 'all') return 'all';
  const regions = [
    ...new Set(
      text
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  if (regions.length === 0) throw new ConfigurationError(`${name}: expected a comma list of regions or "all"`);
  const bad = regions.find((r) => !isRegionCode(r));
  if (bad) throw new ConfigurationError(`${name}: ${JSON.stringify(bad)} is not an AWS region code`);
  return regions;
}

export function schedulerSettings(env: NodeJS.ProcessEnv = process.env): SchedulerSettings {
  const queueUrl = requiredEnv('TASK_QUEUE_URL', env);
  if (!/^https?:\/\//.test(queueUrl))
    throw new ConfigurationError(`TASK_QUEUE_URL: ${JSON.stringify(queueUrl)} is not a queue URL`);
  const targetText = optionalEnv('TARGET_ACCOUNTS', 'self', env);
  const targets: TargetAccounts =
    targetText.toLowerCase() === 'organization'
      ? { kind: 'organization' }
      : targetText.toLowerCase() === 'self'
        ? { kind: 'self' }
        : { kind: 'list', accounts: accountList('TARGET_ACCOUNTS', targetText) };
  return {
    queueUrl,
    targets,
    excluded: new Set(accountList('EXCLUDED_ACCOUNTS', optionalEnv('EXCLUDED_ACCOUNTS', '', env))),
    regions: regionList('SCAN_REGIONS', optionalEnv('SCAN_REGIONS', env.AWS_REGION ?? '', env)),
  };
}

export interface WorkerSettings {
  roleName: string;
  externalId: string | undefined;
  topicArn: string | undefined;
  params: Params;
  reportPassed: boolean;
}

export function workerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const roleName = optionalEnv('MEMBER_ROLE_NAME', 'codecommit-endpoint-auditor-member', env);
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
    throw new ConfigurationError(`MEMBER_ROLE_NAME: ${JSON.stringify(roleName)} is not an IAM role name`);
  const topicArn = optionalEnv('ALERT_TOPIC_ARN', '', env) || undefined;
  if (topicArn && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topicArn))
    throw new ConfigurationError(`ALERT_TOPIC_ARN: ${JSON.stringify(topicArn)} is not an SNS topic ARN`);
  const paramsText = optionalEnv('AUDIT_PARAMETERS', '', env);
  const params = paramsText ? parseParamsJson(paramsText, 'AUDIT_PARAMETERS') : parseParams({});
  const reportPassed = optionalEnv('REPORT_PASSED', 'false', env).toLowerCase() === 'true';
  return {
    roleName,
    externalId: optionalEnv('MEMBER_ROLE_EXTERNAL_ID', '', env) || undefined,
    topicArn,
    params,
    reportPassed,
  };
}
