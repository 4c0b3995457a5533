/** API calls per operation against mocked AWS, next to the minimum the APIs allow. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { CATALOGUE } from '../functions/checks/index';
import { CallCounter } from '../functions/core/call-counter';
import type { RouteTable, Vpc, VpcEndpoint } from '../functions/core/inventory';
import {
  collectScope,
  FILTER_CHUNK,
  PAGE_SIZE,
  ROUTE_TABLE_PAGE_SIZE,
  vpcsNeedingRouteTables,
} from '../functions/aws/collector';
import { evaluate } from '../functions/core/engine';
import { parseParams } from '../functions/core/params';
import { planEvaluations, putEvaluations } from '../functions/publish/config';
import { publishToSecurityHub } from '../functions/publish/securityhub';
import { alertFor, publishAlerts } from '../functions/publish/sns';
import { fakeEc2, syntheticRegion } from '../test/fixtures/fake-ec2';
import { fakeSecurityHub } from '../test/fixtures/fake-securityhub';
import { SEVENTEEN_REGIONS, simulateOrganization, type OrganizationRun } from '../test/fixtures/organization-sim';
import { acceptingTopic } from '../test/fixtures/fake-sns';
import { CHECK_IDS } from '../functions/checks/index';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { collectIam } from '../functions/aws/iam';
import { organizationTreeFloor, readOrganizationTree } from '../functions/aws/organization';
import { mayUseGitFromOutside } from '../functions/checks/cce-13';
import { fakeIam } from '../test/fixtures/fake-iam';
import { FULL_AWS_ACCESS_CONTENT, fakeOrganization, type FakeOu } from '../test/fixtures/fake-org';

export interface EconomyLine {
  operation: string;
  items: number;
  unit: string;
  calls: number;
  minimum: number;
  rule: string;
}

const ceil = (items: number, per: number): number => Math.max(1, Math.ceil(items / per));
const noSleep = (): Promise<void> => Promise.resolve();

/** The organization simulation's figures of the last run (worker time, memory, failures). */
export let organizationRun: OrganizationRun | undefined;

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

/**
 * DescribeRouteTables against its floor: the route tables of the VPCs lacking a Git or API endpoint, read with
 * `vpc-id` filters of FILTER_CHUNK VPCs, ROUTE_TABLE_PAGE_SIZE tables a page: Σ over chunks ⌈tables/100⌉.
 */
function routeTableLine(
  vpcs: readonly Vpc[],
  endpoints: readonly VpcEndpoint[],
  tables: readonly RouteTable[],
  calls: number,
): EconomyLine {
  const needing = vpcsNeedingRouteTables(vpcs, endpoints, 'us-east-2');
  const perVpc = new Map<string, number>();
  for (const table of tables) perVpc.set(table.VpcId, (perVpc.get(table.VpcId) ?? 0) + 1);
  let minimum = 0;
  for (let i = 0; i < needing.length; i += FILTER_CHUNK) {
    const inChunk = needing.slice(i, i + FILTER_CHUNK).reduce((sum, id) => sum + (perVpc.get(id) ?? 0), 0);
    minimum += ceil(inChunk, ROUTE_TABLE_PAGE_SIZE);
  }
  return {
    operation: 'DescribeRouteTables',
    items: tables.length,
    unit: `route tables of ${needing.length} VPCs lacking an endpoint`,
    calls,
    minimum,
    rule: `Σ ⌈tables/${ROUTE_TABLE_PAGE_SIZE}⌉ per filter of ${FILTER_CHUNK} VPCs`,
  };
}

export async function apiEconomy(): Promise<EconomyLine[]> {
  const lines: EconomyLine[] = [];
  const region = syntheticRegion('us-east-2', 2_500, 10_000);
  const ec2 = fakeEc2({ 'us-east-2': region });
  const counter = new CallCounter();
  const scope = await collectScope(new EC2Client({ region: 'us-east-2' }), '123456789012', 'us-east-2', { counter });
  ec2.restore();
  const count = (op: string): number => counter.counts.get(op) ?? 0;
  const groups = new Set(scope.vpcEndpoints.flatMap((e) => (e.Groups ?? []).map((g) => g.GroupId))).size;
  const subnets = new Set(scope.vpcEndpoints.flatMap((e) => e.SubnetIds ?? [])).size;
  lines.push(
    {
      operation: 'DescribeVpcs',
      items: scope.vpcs.length,
      unit: 'VPCs',
      calls: count('DescribeVpcs'),
      minimum: ceil(scope.vpcs.length, PAGE_SIZE),
      rule: `⌈items/${PAGE_SIZE}⌉`,
    },
    {
      operation: 'DescribeVpcEndpoints',
      items: scope.vpcEndpoints.length,
      unit: 'endpoints',
      calls: count('DescribeVpcEndpoints'),
      minimum: ceil(scope.vpcEndpoints.length, PAGE_SIZE),
      rule: `⌈items/${PAGE_SIZE}⌉`,
    },
    {
      operation: 'DescribeVpcEndpointServices',
      items: 4,
      unit: 'services',
      calls: count('DescribeVpcEndpointServices'),
      minimum: 1,
      rule: '1 per region',
    },
    {
      operation: 'DescribeSecurityGroups',
      items: groups,
      unit: 'groups',
      calls: count('DescribeSecurityGroups'),
      minimum: ceil(groups, FILTER_CHUNK),
      rule: `⌈items/${FILTER_CHUNK}⌉: ${FILTER_CHUNK} ids a filter`,
    },
    {
      operation: 'DescribeSubnets',
      items: subnets,
      unit: 'subnets',
      calls: count('DescribeSubnets'),
      minimum: ceil(subnets, FILTER_CHUNK),
      rule: `⌈items/${FILTER_CHUNK}⌉: ${FILTER_CHUNK} ids a filter`,
    },
    routeTableLine(scope.vpcs, scope.vpcEndpoints, scope.routeTables ?? [], count('DescribeRouteTables')),
  );

  const findings = evaluate([scope], parseParams({}, CHECK_IDS), CATALOGUE);
  // Imported: FAILED findings, and ERROR ones (NOT_AVAILABLE; here, the account-level checks without their data).
  const failed = findings.filter((f) => f.status === 'FAILED' || f.status === 'ERROR');
  const hub = fakeSecurityHub();
  const hubCounter = new CallCounter();
  const outcome = await publishToSecurityHub(
    new SecurityHubClient({ region: 'us-east-2' }),
    {
      accountId: '123456789012',
      region: 'us-east-2',
      findings,
      complete: true,
      checksRun: parseParams({}, CHECK_IDS).checks,
    },
    { now: new Date().toISOString(), counter: hubCounter, sleep: noSleep },
  );
  hub.mock.restore();
  lines.push({
    operation: 'BatchImportFindings',
    items: failed.length,
    unit: 'FAILED and ERROR findings',
    calls: hubCounter.counts.get('BatchImportFindings') ?? 0,
    minimum: ceil(failed.length, 100),
    rule: '⌈items/100⌉',
  });

  const sns = acceptingTopic();
  const alerts = outcome.transitions.map(alertFor);
  const snsCounter = new CallCounter();
  await publishAlerts(new SNSClient({ region: 'us-east-2' }), 'arn:aws:sns:us-east-2:123456789012:alerts', alerts, {
    counter: snsCounter,
    sleep: noSleep,
  });
  sns.restore();
  lines.push({
    operation: 'PublishBatch',
    items: alerts.length,
    unit: 'alerts',
    calls: snsCounter.counts.get('PublishBatch') ?? 0,
    minimum: ceil(alerts.length, 10),
    rule: '⌈items/10⌉',
  });

  const config = mockClient(ConfigServiceClient);
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  const plan = planEvaluations(findings, [], new Date());
  const configCounter = new CallCounter();
  await putEvaluations(new ConfigServiceClient({ region: 'us-east-2' }), plan.evaluations, 'token', {
    testMode: false,
    counter: configCounter,
    sleep: noSleep,
  });
  config.restore();
  lines.push({
    operation: 'PutEvaluations',
    items: plan.evaluations.length,
    unit: 'evaluations',
    calls: configCounter.counts.get('PutEvaluations') ?? 0,
    minimum: ceil(plan.evaluations.length, 100),
    rule: '⌈items/100⌉',
  });

  log('API economy: organization of 1,021 accounts (21 suspended) × 17 regions through scheduler and worker…');
  const run = await simulateOrganization(1_021, SEVENTEEN_REGIONS);
  organizationRun = run;
  lines.push({
    operation: 'SendMessageBatch',
    items: run.tasksSent,
    unit: `tasks (${run.activeAccounts} accounts × ${run.regions} regions)`,
    calls: run.sendMessageBatchCalls,
    minimum: ceil(run.tasksSent, 10),
    rule: '⌈items/10⌉',
  });
  // Each simulated account-region (2 VPCs, a Git endpoint in one and an API endpoint in the other) needs the
  // 5 Describe* calls and one DescribeRouteTables (both VPCs lack an endpoint kind).
  const simulated = syntheticRegion('us-east-2', 2, 2);
  const perScope =
    5 +
    (vpcsNeedingRouteTables(simulated.vpcs as Vpc[], simulated.endpoints as VpcEndpoint[], 'us-east-2').length > 0
      ? 1
      : 0);
  lines.push({
    operation: 'EC2 Describe* in the worker',
    items: run.tasksSent,
    unit: 'account-regions with CodeCommit endpoints',
    calls: run.ec2Calls,
    minimum: perScope * run.tasksSent,
    rule: `${perScope} per account-region (DescribeRouteTables where a VPC lacks an endpoint)`,
  });
  lines.push(...(await organizationReads()));
  return lines;
}

/**
 * The organization's SCPs and the accounts' IAM at the scale the design names: 5,000 accounts in
 * 200 OUs, 50 IAM users each. The scheduler reads the tree once (no call per account); each
 * account's IAM costs one page of authorization details, one page of Git credentials, and one
 * ListSSHPublicKeys per user whose own policies let Git through from outside.
 */
async function organizationReads(): Promise<EconomyLine[]> {
  log('API economy: organization of 5,000 accounts in 200 OUs (SCPs), IAM of 50 users an account…');
  const ous: FakeOu[] = Array.from({ length: 200 }, (_, o) => ({
    Id: `ou-ab12-${String(o).padStart(8, '0')}`,
    Name: `ou-${o}`,
    accounts: Array.from({ length: 25 }, (_, a) => ({
      Id: String(200_000_000_000 + o * 25 + a),
      Name: `account-${o}-${a}`,
      Status: 'ACTIVE',
    })),
  }));
  const perimeter = JSON.stringify({
    Statement: [
      { Effect: 'Deny', Action: 'codecommit:*', Resource: '*', Condition: { Null: { 'aws:SourceVpce': 'true' } } },
    ],
  });
  const fake = fakeOrganization({
    ous,
    policies: [
      {
        Id: 'p-codecommit1',
        Name: 'codecommit-network-perimeter',
        Content: perimeter,
        targets: ous.slice(0, 150).map((ou) => ou.Id),
      },
      { Id: 'p-denyregion1', Name: 'deny-regions', Content: FULL_AWS_ACCESS_CONTENT, targets: ['r-a1b2'] },
    ],
  });
  const counter = new CallCounter();
  const tree = await readOrganizationTree(new OrganizationsClient({ region: 'us-east-1' }), counter);
  fake.mock.restore();
  const floor = organizationTreeFloor(fake.shape());
  const lines: EconomyLine[] = Object.entries(floor).map(([operation, minimum]) => ({
    operation,
    items: tree.accounts.length,
    unit: 'accounts in 200 OUs (scheduler, once a scan)',
    calls: counter.counts.get(operation) ?? 0,
    minimum,
    rule: 'organizationTreeFloor: pages of 20 per OU, one DescribePolicy and ListTargetsForPolicy per SCP',
  }));

  // One account's IAM: 50 users, 10 of them allowed Git from anywhere, 5 with HTTPS credentials.
  const allowGit = {
    Statement: [{ Effect: 'Allow', Action: ['codecommit:GitPull', 'codecommit:GitPush'], Resource: '*' }],
  };
  const users = Array.from({ length: 50 }, (_, i) => ({
    UserName: `user-${i}`,
    ...(i < 10 ? { inline: { git: allowGit } } : {}),
  }));
  const iam = fakeIam({
    users,
    credentials: users.slice(0, 5).map((u) => ({ UserName: u.UserName, Status: 'Active' as const })),
  });
  const iamCounter = new CallCounter();
  const where = {
    accountId: '123456789012',
    region: 'us-east-2',
    partition: 'aws' as const,
    params: parseParams({}, CHECK_IDS),
  };
  await collectIam(new IAMClient({ region: 'us-east-2' }), {
    needsSshKeys: (user, data) => mayUseGitFromOutside(data, user, where),
    counter: iamCounter,
  });
  iam.mock.restore();
  const accounts = 5_000;
  for (const [operation, perAccount] of [
    ['GetAccountAuthorizationDetails', 1],
    ['ListServiceSpecificCredentials', 1],
    ['ListSSHPublicKeys', 10],
  ] as const) {
    lines.push({
      operation,
      items: accounts * 50,
      unit: 'IAM users (50 an account × 5,000 accounts)',
      calls: (iamCounter.counts.get(operation) ?? 0) * accounts,
      minimum: perAccount * accounts,
      rule:
        operation === 'ListSSHPublicKeys'
          ? 'one per user whose policies let Git through from outside (10 an account)'
          : 'one page (≤1,000 items) an account',
    });
  }
  return lines;
}
