/** API calls per operation against mocked AWS, next to the minimum the APIs allow. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { CATALOGUE } from '../functions/checks/index';
import { CallCounter } from '../functions/aws/call-counter';
import { collectScope, FILTER_CHUNK, PAGE_SIZE } from '../functions/aws/collector';
import { evaluate } from '../functions/core/engine';
import { parseParams } from '../functions/core/params';
import { createSchedulerHandler } from '../functions/handlers/scheduler';
import { schedulerSettings } from '../functions/aws/settings';
import { planEvaluations, putEvaluations } from '../functions/publish/config';
import { publishToSecurityHub } from '../functions/publish/securityhub';
import { alertFor, publishAlerts } from '../functions/publish/sns';
import { fakeEc2, syntheticRegion } from '../test/fixtures/fake-ec2';
import { fakeSecurityHub } from '../test/fixtures/fake-securityhub';
import { acceptingQueue, activeCount, organization } from '../test/fixtures/fake-org';
import { acceptingTopic } from '../test/fixtures/fake-sns';

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

  const findings = evaluate([scope], parseParams({}), CATALOGUE);
  const failed = findings.filter((f) => f.status === 'FAILED');
  const hub = fakeSecurityHub();
  const hubCounter = new CallCounter();
  const outcome = await publishToSecurityHub(
    new SecurityHubClient({ region: 'us-east-2' }),
    { accountId: '123456789012', region: 'us-east-2', findings, complete: true, checksRun: parseParams({}).checks },
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

  const sqs = acceptingQueue();
  const orgs = organization(1_021);
  const ec2Regions = fakeEc2(
    {},
    Array.from(
      { length: 17 },
      (_, i) =>
        [
          'us-east-1',
          'us-east-2',
          'us-west-1',
          'us-west-2',
          'eu-west-1',
          'eu-west-2',
          'eu-west-3',
          'eu-central-1',
          'eu-north-1',
          'ap-northeast-1',
          'ap-southeast-1',
          'ap-southeast-2',
          'ap-northeast-2',
          'ap-south-1',
          'sa-east-1',
          'ca-central-1',
          'me-south-1',
        ][i] as string,
    ),
  );
  const result = await createSchedulerHandler({
    settings: schedulerSettings({
      TASK_QUEUE_URL: 'https://sqs.us-east-2.amazonaws.com/123456789012/tasks',
      TARGET_ACCOUNTS: 'organization',
      SCAN_REGIONS: 'all',
      AWS_REGION: 'us-east-2',
    }),
    sqs: new SQSClient({ region: 'us-east-2' }),
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    sts: new STSClient({ region: 'us-east-2' }),
    ec2: new EC2Client({ region: 'us-east-2' }),
    logger: new Logger({ logLevel: 'SILENT' }),
  })({ id: 'bench' });
  const sendCalls = sqs.commandCalls(SendMessageBatchCommand).length;
  for (const m of [sqs, orgs, ec2Regions]) m.restore();
  lines.push({
    operation: 'SendMessageBatch',
    items: result.tasksSent,
    unit: `tasks (${activeCount(1_021)} accounts × 17 regions)`,
    calls: sendCalls,
    minimum: ceil(result.tasksSent, 10),
    rule: '⌈items/10⌉',
  });
  return lines;
}
