/** API calls per operation against mocked AWS, next to the minimum the APIs allow. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { CATALOGUE } from '../functions/checks/index';
import { CallCounter } from '../functions/core/call-counter';
import { collectScope, FILTER_CHUNK, PAGE_SIZE } from '../functions/aws/collector';
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
  );

  const findings = evaluate([scope], parseParams({}, CHECK_IDS), CATALOGUE);
  const failed = findings.filter((f) => f.status === 'FAILED');
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
    unit: 'FAILED findings',
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
  lines.push({
    operation: 'EC2 Describe* in the worker',
    items: run.tasksSent,
    unit: 'account-regions with CodeCommit endpoints',
    calls: run.ec2Calls,
    minimum: 5 * run.tasksSent,
    rule: '5 per account-region',
  });
  return lines;
}
