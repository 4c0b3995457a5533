/**
 * What `npm run preflight` checks in the target account before a deploy: AWS Config recording
 * (when the Config rules are deployed), Security Hub, organization access (organization mode),
 * the member role's StackSet instances, Lambda concurrency, and the parameters' limits. Each
 * check says OK, or exactly what to set; FAIL means the deploy (or every scan) would fail.
 */
import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  type ConfigServiceClient,
} from '@aws-sdk/client-config-service';
import { ListStackInstancesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { DescribeHubCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CATALOGUE, CHECK_IDS } from '../functions/checks/index';
import { ConfigurationError, errorMessage } from '../functions/core/errors';
import { parseBucketName } from '../functions/core/lists';
import { parseParams, PARAMETER_KEYS } from '../functions/core/params';
import { awsErrorInfo } from '../functions/core/service-errors';

export type Outcome = 'OK' | 'WARN' | 'FAIL' | 'SKIP';

export interface CheckLine {
  outcome: Outcome;
  check: string;
  message: string;
}

export interface PreflightClients {
  config: ConfigServiceClient;
  securityHub: SecurityHubClient;
  organizations: OrganizationsClient;
  lambda: LambdaClient;
  cloudFormation: CloudFormationClient;
}

export interface PreflightInput {
  accountId: string;
  region: string;
  /** Deployment parameters (serverless.yml params.default overlaid with --param key=value). */
  params: Record<string, string>;
  /** The StackSet that deploys infra/member-role.yml, when known. */
  memberStackSet?: string | undefined;
}

/** Lambda's limit on one function's environment variables, and Config's on a rule's InputParameters. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
export const INPUT_PARAMETERS_CHARACTERS = 1024;
const CONFIG_TYPES = ['AWS::EC2::VPC', 'AWS::EC2::VPCEndpoint'];

const line = (outcome: Outcome, check: string, message: string): CheckLine => ({ outcome, check, message });

/** The audit parameters the functions receive (AUDIT_PARAMETERS), as serverless.yml builds them. */
export function auditParameters(params: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(PARAMETER_KEYS.map((key) => [key, params[key] ?? ''])));
}

export function parameterLimits(params: Record<string, string>): CheckLine[] {
  const lines: CheckLine[] = [];
  const audit = Object.fromEntries(PARAMETER_KEYS.map((key) => [key, params[key] ?? '']));
  let valid = true;
  try {
    parseParams(audit, CHECK_IDS);
  } catch (error) {
    valid = false;
    lines.push(line('FAIL', 'parameters', `${errorMessage(error)}: correct it in --param or serverless.yml`));
  }
  const environment = Buffer.byteLength(auditParameters(params)) + 400; // the other variables of the largest function
  const longestRule = Math.max(...CATALOGUE.map((c) => JSON.stringify({ checks: c.id }).length));
  const limits = `shared parameters ${environment} of ${LAMBDA_ENVIRONMENT_BYTES} bytes of Lambda environment; Config InputParameters ${longestRule} of ${INPUT_PARAMETERS_CHARACTERS} characters`;
  if (environment > LAMBDA_ENVIRONMENT_BYTES || valid)
    lines.push(
      environment > LAMBDA_ENVIRONMENT_BYTES
        ? line(
            'FAIL',
            'parameters',
            `the shared parameters take ${environment} bytes, beyond Lambda's ${LAMBDA_ENVIRONMENT_BYTES}: list organizations in trustedOrgIds instead of their accounts in trustedAccounts`,
          )
        : line('OK', 'parameters', `valid; ${limits}`),
    );
  const concurrency = Number(params.workerMaxConcurrency);
  if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000) {
    lines.push(
      line(
        'FAIL',
        'workerMaxConcurrency',
        `${JSON.stringify(params.workerMaxConcurrency)} is not a whole number from 2 to 1000 (SQS event source MaximumConcurrency)`,
      ),
    );
  }
  const bucket = params.reportBucket ?? '';
  if (bucket !== '' && bucket !== 'create') {
    try {
      parseBucketName('reportBucket', bucket, ConfigurationError);
    } catch (error) {
      lines.push(
        line(
          'FAIL',
          'reportBucket',
          `${errorMessage(error).replace(/^reportBucket: /, '')}: give "create" or your bucket's name`,
        ),
      );
    }
  }
  const retention = params.reportRetentionDays ?? '';
  if (bucket === 'create' && !/^[1-9]\d*$/.test(retention)) {
    lines.push(
      line('FAIL', 'reportRetentionDays', `${JSON.stringify(retention)} is not a whole number of days (1 or more)`),
    );
  }
  if (Number(params.maxReceiveCount) < 5) {
    lines.push(
      line(
        'WARN',
        'maxReceiveCount',
        `${params.maxReceiveCount} is below the 5 AWS recommends for Lambda sources: a throttled task may reach the dead-letter queue`,
      ),
    );
  }
  return lines;
}

export async function configRecording(client: ConfigServiceClient, input: PreflightInput): Promise<CheckLine> {
  const check = 'AWS Config';
  if ((input.params.configRules ?? 'true') !== 'true')
    return line('SKIP', check, 'configRules is false: no Config rule is deployed');
  const recorders = (await client.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders ?? [];
  const [recorder] = recorders;
  if (!recorder) {
    return line(
      'FAIL',
      check,
      `no configuration recorder in ${input.region}: AWS Config refuses to create the rules without one. Set up AWS Config recording there, or deploy with configRules=false`,
    );
  }
  const statuses =
    (await client.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ?? [];
  const status = statuses.find((s) => s.name === recorder.name);
  if (!status?.recording) {
    return line(
      'FAIL',
      check,
      `the configuration recorder "${recorder.name ?? ''}" is not recording in ${input.region}: start it (aws configservice start-configuration-recorder --configuration-recorder-name ${recorder.name ?? 'default'}), or deploy with configRules=false`,
    );
  }
  const group = recorder.recordingGroup;
  const missing = group?.allSupported
    ? []
    : CONFIG_TYPES.filter((type) => !(group?.resourceTypes ?? []).includes(type as never));
  if (missing.length > 0) {
    return line(
      'WARN',
      check,
      `recorder "${recorder.name ?? ''}" does not record ${missing.join(' and ')}: the rules then run only on their periodic schedule, not on changes. Add the types to its recording group`,
    );
  }
  return line(
    'OK',
    check,
    `recorder "${recorder.name ?? ''}" records ${CONFIG_TYPES.join(' and ')} in ${input.region}`,
  );
}

export async function securityHub(client: SecurityHubClient, input: PreflightInput): Promise<CheckLine> {
  try {
    await client.send(new DescribeHubCommand({}));
    return line('OK', 'Security Hub', `enabled in ${input.region}`);
  } catch (error) {
    const { code } = awsErrorInfo(error);
    if (code === 'InvalidAccessException' || code === 'ResourceNotFoundException') {
      return line(
        'WARN',
        'Security Hub',
        `not enabled in ${input.region}: findings of this account go to SNS as one digest per scan. Enable it with aws securityhub enable-security-hub --region ${input.region}`,
      );
    }
    throw error;
  }
}

export async function organizationAccess(client: OrganizationsClient, input: PreflightInput): Promise<CheckLine[]> {
  const check = 'Organizations';
  if (input.params.targetAccounts !== 'organization') {
    return [
      line('SKIP', check, `targetAccounts is ${input.params.targetAccounts ?? 'self'}: the organization is not read`),
    ];
  }
  try {
    const organization = (await client.send(new DescribeOrganizationCommand({}))).Organization;
    const page = await client.send(new ListAccountsCommand({ MaxResults: 20 }));
    const visible = `${page.Accounts?.length ?? 0}${page.NextToken ? '+' : ''} accounts`;
    const lines = [line('OK', check, `organization ${organization?.Id ?? ''} readable (${visible} listed)`)];
    const management = organization?.MasterAccountId;
    if (management && management !== input.accountId && input.params.scanManagementAccount !== 'true') {
      lines.push(
        line(
          'WARN',
          'management account',
          `${management} is skipped: service-managed StackSets do not deploy the member role there. Deploy infra/member-role.yml to it as a stack and set scanManagementAccount=true to scan it`,
        ),
      );
    }
    return lines;
  } catch (error) {
    const { code } = awsErrorInfo(error);
    return [
      line(
        'FAIL',
        check,
        `${code}: this account cannot list the organization's accounts. Deploy from the management account or a delegated administrator (aws organizations register-delegated-administrator), or set targetAccounts to a list of accounts`,
      ),
    ];
  }
}

export async function memberRoles(client: CloudFormationClient, input: PreflightInput, sample = 5): Promise<CheckLine> {
  const check = 'member role';
  if ((input.params.targetAccounts ?? 'self') === 'self')
    return line('SKIP', check, 'targetAccounts is self: no member role is assumed');
  if (!input.memberStackSet) {
    return line('SKIP', check, 'pass --member-stackset NAME to check the StackSet that deploys infra/member-role.yml');
  }
  try {
    const instances =
      (await client.send(new ListStackInstancesCommand({ StackSetName: input.memberStackSet, CallAs: 'SELF' })))
        .Summaries ?? [];
    const current = instances.filter(
      (i) => i.Region && i.Status === 'CURRENT' && i.StackInstanceStatus?.DetailedStatus === 'SUCCEEDED',
    );
    const broken = instances.filter((i) => !current.includes(i)).slice(0, sample);
    if (instances.length === 0) {
      return line(
        'FAIL',
        check,
        `StackSet ${input.memberStackSet} has no stack instance: deploy infra/member-role.yml to the organization's accounts`,
      );
    }
    if (broken.length > 0) {
      const where = broken.map(
        (i) => `${i.Account ?? '?'} ${i.Region ?? ''} (${i.StackInstanceStatus?.DetailedStatus ?? i.Status ?? ''})`,
      );
      return line(
        'WARN',
        check,
        `${broken.length} of ${instances.length} instances are not current, e.g. ${where.join(', ')}: their tasks will fail AssumeRole`,
      );
    }
    return line('OK', check, `StackSet ${input.memberStackSet}: ${current.length} current instances`);
  } catch (error) {
    const { code, message } = awsErrorInfo(error);
    return line('FAIL', check, `StackSet ${input.memberStackSet} cannot be read (${code}: ${message})`);
  }
}

export async function lambdaConcurrency(client: LambdaClient, input: PreflightInput): Promise<CheckLine> {
  const limit = (await client.send(new GetAccountSettingsCommand({}))).AccountLimit;
  const unreserved = limit?.UnreservedConcurrentExecutions ?? 0;
  const wanted = Number(input.params.workerMaxConcurrency);
  if (wanted >= unreserved) {
    return line(
      'WARN',
      'Lambda concurrency',
      `workerMaxConcurrency ${wanted} would take all ${unreserved} unreserved concurrent executions of ${input.region}: lower it, or ask for a higher Lambda concurrency quota`,
    );
  }
  return line(
    'OK',
    'Lambda concurrency',
    `workerMaxConcurrency ${wanted} of ${unreserved} unreserved concurrent executions`,
  );
}

/** Every check, each one's failure contained: one API refusing never hides the others. */
export async function preflight(clients: PreflightClients, input: PreflightInput): Promise<CheckLine[]> {
  const guarded = async (check: string, run: () => Promise<CheckLine | CheckLine[]>): Promise<CheckLine[]> => {
    try {
      const result = await run();
      return Array.isArray(result) ? result : [result];
    } catch (error) {
      const { code, message } = awsErrorInfo(error);
      return [
        line(
          'FAIL',
          check,
          `${code}: ${message} (grant the deploying identity read access to it, or check the region)`,
        ),
      ];
    }
  };
  return [
    ...parameterLimits(input.params),
    ...(await guarded('AWS Config', () => configRecording(clients.config, input))),
    ...(await guarded('Security Hub', () => securityHub(clients.securityHub, input))),
    ...(await guarded('Organizations', () => organizationAccess(clients.organizations, input))),
    ...(await guarded('member role', () => memberRoles(clients.cloudFormation, input))),
    ...(await guarded('Lambda concurrency', () => lambdaConcurrency(clients.lambda, input))),
  ];
}
