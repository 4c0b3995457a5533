import { CloudFormationClient, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
} from '@aws-sdk/client-config-service';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeOrganizationCommand, ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultParams, runPreflight } from '../../infra/preflight';
import { awsError } from '../fixtures/fake-ec2';

function clients() {
  const c = {
    sts: new STSClient({ region: 'us-east-2' }),
    config: new ConfigServiceClient({ region: 'us-east-2' }),
    securityHub: new SecurityHubClient({ region: 'us-east-2' }),
    organizations: new OrganizationsClient({ region: 'us-east-2' }),
    lambda: new LambdaClient({ region: 'us-east-2' }),
    cloudFormation: new CloudFormationClient({ region: 'us-east-2' }),
  };
  const mocks = {
    sts: mockClient(c.sts),
    config: mockClient(c.config),
    securityHub: mockClient(c.securityHub),
    organizations: mockClient(c.organizations),
    lambda: mockClient(c.lambda),
    cloudFormation: mockClient(c.cloudFormation),
  };
  return { c, mocks };
}

let env: ReturnType<typeof clients>;

/** A ready account, in AWS's response shapes. */
beforeEach(() => {
  env = clients();
  env.mocks.sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:role/admin', UserId: 'AROA:x' });
  env.mocks.config.on(DescribeConfigurationRecordersCommand).resolves({
    ConfigurationRecorders: [
      {
        name: 'default',
        roleARN: 'arn:aws:iam::111122223333:role/config',
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: false, resourceTypes: [] },
      },
    ],
  });
  env.mocks.config.on(DescribeConfigurationRecorderStatusCommand).resolves({
    ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'Success' }],
  });
  env.mocks.securityHub.on(DescribeHubCommand).resolves({
    HubArn: 'arn:aws:securityhub:us-east-2:111122223333:hub/default',
    SubscribedAt: '2026-01-01T00:00:00.000Z',
    AutoEnableControls: true,
  });
  env.mocks.organizations.on(DescribeOrganizationCommand).resolves({
    Organization: {
      Id: 'o-a1b2c3d4e5',
      MasterAccountId: '111122223333',
      Arn: 'arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5',
    },
  });
  env.mocks.organizations
    .on(ListAccountsCommand)
    .resolves({ Accounts: [{ Id: '111122223333', State: 'ACTIVE' } as never], NextToken: 'more' });
  env.mocks.lambda
    .on(GetAccountSettingsCommand)
    .resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
  env.mocks.cloudFormation.on(ListStackInstancesCommand).resolves({
    Summaries: [
      {
        StackSetId: 'member:1',
        Region: 'us-east-2',
        Account: '444455556666',
        Status: 'CURRENT',
        StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' },
      },
    ],
  });
});

async function preflight(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runPreflight(
    ['--region', 'us-east-2', ...argv],
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    () => env.c,
  );
  return { code, stdout, stderr };
}

describe('npm run preflight', () => {
  it('reads the deployment defaults from serverless.yml', () => {
    expect(defaultParams()).toMatchObject({ configRules: 'true', targetAccounts: 'self', workerMaxConcurrency: '5' });
  });

  it('exits 0 for a ready account, saying OK for each check', async () => {
    const { code, stdout } = await preflight('--param', 'targetAccounts=organization', '--member-stackset', 'member');
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(
      'Preflight for account 111122223333, region us-east-2 (targetAccounts=organization, configRules=true)',
    );
    expect(stdout).toContain(
      'OK    AWS Config: recorder "default" records AWS::EC2::VPC and AWS::EC2::VPCEndpoint in us-east-2',
    );
    expect(stdout).toContain('OK    Organizations: organization o-a1b2c3d4e5 readable (1+ accounts listed)');
    expect(stdout).toContain('OK    member role: StackSet member: 1 current instances');
    expect(stdout).toMatch(/Ready to deploy\.\n$/);
  });

  it('exits 1 without a configuration recorder, naming the recorder and configRules', async () => {
    env.mocks.config.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
    const { code, stdout } = await preflight();
    expect(code).toBe(1);
    expect(stdout).toContain(
      'FAIL  AWS Config: no configuration recorder in us-east-2: AWS Config refuses to create the rules without one. Set up AWS Config recording there, or deploy with configRules=false',
    );
    expect((await preflight('--param', 'configRules=false')).code).toBe(0);
  });

  it('fails a recorder that is stopped, and warns when it does not record the endpoint types', async () => {
    env.mocks.config
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: false }] });
    expect((await preflight()).stdout).toContain('is not recording in us-east-2: start it');
    env.mocks.config
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [{ name: 'default', recording: true }] });
    env.mocks.config.on(DescribeConfigurationRecordersCommand).resolves({
      ConfigurationRecorders: [
        { name: 'default', recordingGroup: { allSupported: false, resourceTypes: ['AWS::EC2::VPC'] } },
      ],
    });
    const { code, stdout } = await preflight();
    expect(code).toBe(0);
    expect(stdout).toContain('WARN  AWS Config: recorder "default" does not record AWS::EC2::VPCEndpoint');
  });

  it('fails organization mode where the organization cannot be read', async () => {
    env.mocks.organizations
      .on(DescribeOrganizationCommand)
      .rejects(awsError('AccessDeniedException', 'You don’t have permissions to access this resource.', 400));
    const { code, stdout } = await preflight('--param', 'targetAccounts=organization');
    expect(code).toBe(1);
    expect(stdout).toContain(
      "FAIL  Organizations: AccessDeniedException: this account cannot list the organization's accounts",
    );
  });

  it('says the management account is skipped when deploying elsewhere', async () => {
    env.mocks.organizations
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: '999999999999' } });
    const { stdout } = await preflight('--param', 'targetAccounts=organization');
    expect(stdout).toContain('WARN  management account: 999999999999 is skipped');
  });

  it('warns about Security Hub not enabled and StackSet instances that are not current', async () => {
    env.mocks.securityHub
      .on(DescribeHubCommand)
      .rejects(awsError('InvalidAccessException', 'Account 111122223333 is not subscribed to AWS Security Hub', 401));
    env.mocks.cloudFormation.on(ListStackInstancesCommand).resolves({
      Summaries: [
        {
          Region: 'us-east-2',
          Account: '444455556666',
          Status: 'OUTDATED',
          StackInstanceStatus: { DetailedStatus: 'FAILED' },
        },
      ],
    });
    const { code, stdout } = await preflight(
      '--param',
      'targetAccounts=111122223333,444455556666',
      '--member-stackset',
      'member',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('WARN  Security Hub: not enabled in us-east-2');
    expect(stdout).toContain(
      'WARN  member role: 1 of 1 instances are not current, e.g. 444455556666 us-east-2 (FAILED)',
    );
  });

  it('checks the parameters and their limits before any deploy', async () => {
    const accounts = Array.from({ length: 320 }, (_, i) => String(100000000000 + i)).join(',');
    const long = await preflight('--param', `trustedAccounts=${accounts}`);
    expect(long.code).toBe(1);
    expect(long.stdout).toMatch(/FAIL {2}parameters: the shared parameters take \d+ bytes, beyond Lambda's 4096/);
    const bad = await preflight('--param', 'fipsRequired=sometimes', '--param', 'workerMaxConcurrency=1');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'FAIL  parameters: parameter fipsRequired: "sometimes" is not one of always, never, tagged',
    );
    expect(bad.stdout).toContain('FAIL  workerMaxConcurrency: "1" is not a whole number from 2 to 1000');
  });

  it('checks the report bucket: "create" (with a whole number of days) or a name S3 accepts', async () => {
    expect(defaultParams()).toMatchObject({ reportBucket: '', reportRetentionDays: '90' });
    for (const ok of [[], ['--param', 'reportBucket=create'], ['--param', 'reportBucket=audit-reports.example']]) {
      const { stdout } = await preflight(...ok);
      expect(stdout).not.toMatch(/FAIL {2}report/);
    }
    const name = await preflight('--param', 'reportBucket=Audit_Reports');
    expect(name.code).toBe(1);
    expect(name.stdout).toContain(
      'FAIL  reportBucket: "Audit_Reports" is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit): give "create" or your bucket\'s name',
    );
    const days = await preflight('--param', 'reportBucket=create', '--param', 'reportRetentionDays=0');
    expect(days.code).toBe(1);
    expect(days.stdout).toContain('FAIL  reportRetentionDays: "0" is not a whole number of days (1 or more)');
  });

  it('rejects an unknown --param and bad usage with exit 2', async () => {
    expect((await preflight('--param', 'fipsRequird=always')).stderr).toMatch(
      /^error: --param fipsRequird: not a parameter of serverless.yml/,
    );
    expect((await preflight('--bogus')).code).toBe(2);
  });

  it('keeps checking when one API refuses, and reports it as a failure', async () => {
    env.mocks.lambda
      .on(GetAccountSettingsCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: lambda:GetAccountSettings', 403));
    const { code, stdout } = await preflight();
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  Lambda concurrency: AccessDeniedException');
    expect(stdout).toContain('OK    AWS Config');
  });
});
