import { readFileSync, readdirSync } from 'node:fs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type Evaluation,
} from '@aws-sdk/client-config-service';
import { DescribeVpcEndpointsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/handlers/config-rule';
import type { ScopeInventory } from '../../functions/core/inventory';
import { awsError, fakeEc2, type FakeRegion } from '../fixtures/fake-ec2';

const DEMO = (JSON.parse(readFileSync('events/demo-inventory.json', 'utf8')) as ScopeInventory[])[0] as ScopeInventory;

function demoRegion(drop: string[] = []): FakeRegion {
  return {
    vpcs: DEMO.vpcs,
    endpoints: DEMO.vpcEndpoints.filter((e) => !drop.includes(e.VpcEndpointId)) as FakeRegion['endpoints'],
    securityGroups: DEMO.securityGroups as FakeRegion['securityGroups'],
    subnets: DEMO.subnets as FakeRegion['subnets'],
    services: DEMO.endpointServices ?? [],
  };
}

/** The endpoint's item as GetResourceConfigHistory returns it (configuration as a JSON string). */
function historyItem(status: 'OK' | 'ResourceDeleted') {
  const endpoint = DEMO.vpcEndpoints.find((e) => e.VpcEndpointId === 'vpce-0a1b2c3d4e5f70003');
  return {
    version: '1.3',
    accountId: '123456789012',
    configurationItemCaptureTime: new Date(status === 'OK' ? '2026-11-19T08:00:00.000Z' : '2026-11-20T09:40:00.000Z'),
    configurationItemStatus: status,
    resourceType: 'AWS::EC2::VPCEndpoint' as const,
    resourceId: 'vpce-0a1b2c3d4e5f70003',
    awsRegion: 'us-east-2',
    configuration: JSON.stringify({
      vpcEndpointId: endpoint?.VpcEndpointId,
      vpcId: endpoint?.VpcId,
      serviceName: endpoint?.ServiceName,
      vpcEndpointType: 'Interface',
      state: { value: 'available' },
    }),
    relationships: [],
    tags: {},
  };
}

function event(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`events/config/${name}`, 'utf8')) as Record<string, unknown>;
}

let ec2: AwsClientStub<EC2Client>;
let config: AwsClientStub<ConfigServiceClient>;

function putCalls(): Evaluation[][] {
  return config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations ?? []);
}

function summary(evaluations: Evaluation[]): string[] {
  return evaluations.map((e) => `${e.ComplianceResourceType} ${e.ComplianceResourceId} ${e.ComplianceType}`);
}

beforeEach(() => {
  ec2 = fakeEc2({ 'us-east-2': demoRegion() });
  config = mockClient(ConfigServiceClient);
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
});
afterEach(() => {
  ec2.restore();
  config.restore();
});

describe('config-rule handler', () => {
  it('has a sample event for every case', () => {
    expect(readdirSync('events/config').sort()).toEqual([
      'aws-doc-change.json',
      'aws-doc-oversized.json',
      'aws-doc-scheduled.json',
      'bad-parameters.json',
      'endpoint-change-vpc-rule.json',
      'endpoint-change.json',
      'endpoint-deletion.json',
      'left-scope.json',
      'oversized.json',
      'scheduled.json',
      'testmode.json',
      'vpc-change.json',
    ]);
  });

  it('evaluates a changed VPC, reading its endpoints with one filtered call', async () => {
    const result = await handler(event('vpc-change.json'));
    expect(summary(putCalls()[0] ?? [])).toEqual(['AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 COMPLIANT']);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      ResultToken: 'eyJyZXN1bHRUb2tlbiI6ImV4YW1wbGUifQ==',
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::EC2::VPC',
          ComplianceResourceId: 'vpc-0a1b2c3d4e5f60002',
          ComplianceType: 'COMPLIANT',
          Annotation:
            'CCE.1: VPC vpc-0a1b2c3d4e5f60002 has an available Git endpoint vpce-0a1b2c3d4e5f70003 (com.amazonaws.us-east-2.git-codecommit).',
          OrderingTimestamp: new Date('2026-11-20T09:30:00.000Z'),
        },
      ],
    });
    expect(config.commandCalls(PutEvaluationsCommand)[0]?.args[0].input.TestMode).toBeUndefined();
    expect(result.apiCalls.DescribeVpcEndpoints).toBe(1);
  });

  it('evaluates a changed endpoint from its configuration item', async () => {
    await handler(event('endpoint-change.json'));
    expect(summary(putCalls()[0] ?? [])).toEqual([
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NON_COMPLIANT',
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70004 COMPLIANT',
    ]);
    expect(putCalls()[0]?.[0]?.OrderingTimestamp).toEqual(new Date('2026-11-20T09:31:00.000Z'));
  });

  it('re-evaluates the VPC of a changed endpoint for the VPC checks', async () => {
    await handler(event('endpoint-change-vpc-rule.json'));
    expect(summary(putCalls()[0] ?? [])).toEqual(['AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 NON_COMPLIANT']);
  });

  it('makes the VPC NON_COMPLIANT at once when its Git endpoint is deleted (deletion item without relationships)', async () => {
    ec2.restore();
    ec2 = fakeEc2({ 'us-east-2': demoRegion(['vpce-0a1b2c3d4e5f70003']) });
    // The deletion item has no configuration and no relationships: the VPC comes from the item before it.
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        { ...historyItem('ResourceDeleted'), configuration: undefined, relationships: [] },
        historyItem('OK'),
      ],
    });
    await handler(event('endpoint-deletion.json'));
    expect(summary(putCalls()[0] ?? [])).toEqual(['AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 NON_COMPLIANT']);
    expect(putCalls()[0]?.[0]?.OrderingTimestamp).toEqual(new Date('2026-11-20T09:40:00.000Z'));
    expect(config).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceId: 'vpce-0a1b2c3d4e5f70003',
    });
  });

  it("finds a deleted endpoint's VPC from EC2 when Config keeps no earlier item", async () => {
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    // EC2 still describes a deleted endpoint for a while, with State "deleted".
    const region = demoRegion();
    region.endpoints = region.endpoints.map((e) =>
      e.VpcEndpointId === 'vpce-0a1b2c3d4e5f70003' ? { ...e, State: 'deleted' as never } : e,
    );
    ec2.restore();
    ec2 = fakeEc2({ 'us-east-2': region });
    const result = await handler(event('endpoint-deletion.json'));
    expect(summary(putCalls()[0] ?? [])).toEqual(['AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 NON_COMPLIANT']);
    expect(ec2).toHaveReceivedCommandWith(DescribeVpcEndpointsCommand, { VpcEndpointIds: ['vpce-0a1b2c3d4e5f70003'] });
    expect(result.apiCalls.DescribeVpcs).toBe(1);
  });

  it("re-judges every VPC of the region when nobody knows the deleted endpoint's VPC", async () => {
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    ec2.restore();
    ec2 = fakeEc2({ 'us-east-2': demoRegion(['vpce-0a1b2c3d4e5f70003']) });
    await handler(event('endpoint-deletion.json'));
    const evaluations = summary(putCalls()[0] ?? []);
    expect(evaluations).toContain('AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 NON_COMPLIANT');
    expect(evaluations).toHaveLength(5);
    // Not a periodic run: nothing is swept.
    expect(config).not.toHaveReceivedCommand(GetComplianceDetailsByConfigRuleCommand);
  });

  it('marks the deleted endpoint NOT_APPLICABLE for endpoint checks', async () => {
    const e = event('endpoint-deletion.json');
    e.ruleParameters = JSON.stringify({ checks: 'CCE.5' });
    ec2.restore();
    ec2 = fakeEc2({ 'us-east-2': demoRegion(['vpce-0a1b2c3d4e5f70003']) });
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [historyItem('OK')] });
    await handler(e);
    expect(summary(putCalls()[0] ?? [])).toEqual([
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NOT_APPLICABLE',
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70004 COMPLIANT',
    ]);
  });

  it('marks a non-CodeCommit endpoint NOT_APPLICABLE and still re-evaluates its VPC', async () => {
    const e = event('endpoint-change.json');
    const invoking = JSON.parse(e.invokingEvent as string) as {
      configurationItem: { resourceId: string; configuration: Record<string, unknown> };
    };
    invoking.configurationItem.resourceId = 'vpce-0s3gateway';
    invoking.configurationItem.configuration = {
      ...invoking.configurationItem.configuration,
      vpcEndpointId: 'vpce-0s3gateway',
      vpcEndpointType: 'Gateway',
      serviceName: 'com.amazonaws.us-east-2.s3',
    };
    e.invokingEvent = JSON.stringify(invoking);
    e.ruleParameters = JSON.stringify({ checks: 'CCE.1,CCE.4' });
    await handler(e);
    expect(summary(putCalls()[0] ?? [])).toEqual([
      'AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 COMPLIANT',
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NON_COMPLIANT',
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70004 COMPLIANT',
      'AWS::EC2::VPCEndpoint vpce-0s3gateway NOT_APPLICABLE',
    ]);
    expect(putCalls()[0]?.find((x) => x.ComplianceResourceId === 'vpce-0s3gateway')?.Annotation).toBe(
      'Endpoint vpce-0s3gateway is not a CodeCommit interface endpoint.',
    );
  });

  it('fetches an oversized item with GetResourceConfigHistory (limit 1)', async () => {
    const item = (
      JSON.parse(event('endpoint-change.json').invokingEvent as string) as {
        configurationItem: { configuration: unknown };
      }
    ).configurationItem;
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          version: '1.3',
          accountId: '123456789012',
          configurationItemCaptureTime: new Date('2026-11-20T09:31:00.000Z'),
          configurationItemStatus: 'OK',
          resourceType: 'AWS::EC2::VPCEndpoint',
          resourceId: 'vpce-0a1b2c3d4e5f70003',
          awsRegion: 'us-east-2',
          configuration: JSON.stringify(item.configuration),
          relationships: [
            {
              resourceType: 'AWS::EC2::VPC',
              resourceId: 'vpc-0a1b2c3d4e5f60002',
              relationshipName: 'Is contained in Vpc',
            },
          ],
          tags: {},
        },
      ],
    });
    await handler(event('oversized.json'));
    expect(config).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
      resourceType: 'AWS::EC2::VPCEndpoint',
      resourceId: 'vpce-0a1b2c3d4e5f70003',
      limit: 1,
    });
    expect(summary(putCalls()[0] ?? [])).toEqual([
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NON_COMPLIANT',
      'AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70004 NON_COMPLIANT',
    ]);
  });

  it('evaluates every VPC periodically and marks resources that are gone NOT_APPLICABLE', async () => {
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({
        EvaluationResults: [
          {
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: 'codecommit-audit-cce-1',
                ResourceType: 'AWS::EC2::VPC',
                ResourceId: 'vpc-gone',
              },
            },
            ComplianceType: 'NON_COMPLIANT',
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        EvaluationResults: [
          {
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: 'codecommit-audit-cce-1',
                ResourceType: 'AWS::EC2::VPC',
                ResourceId: 'vpc-0a1b2c3d4e5f60003',
              },
            },
            ComplianceType: 'NON_COMPLIANT',
          },
        ],
      });
    await handler(event('scheduled.json'));
    const evaluations = putCalls()[0] ?? [];
    expect(summary(evaluations)).toEqual([
      'AWS::EC2::VPC vpc-0a1b2c3d4e5f60001 COMPLIANT',
      'AWS::EC2::VPC vpc-0a1b2c3d4e5f60002 COMPLIANT',
      'AWS::EC2::VPC vpc-0a1b2c3d4e5f60003 NON_COMPLIANT',
      'AWS::EC2::VPC vpc-0a1b2c3d4e5f60004 NOT_APPLICABLE',
      'AWS::EC2::VPC vpc-0a1b2c3d4e5f60005 NON_COMPLIANT',
      'AWS::EC2::VPC vpc-gone NOT_APPLICABLE',
    ]);
    expect(evaluations.every((e) => e.OrderingTimestamp?.toISOString() === '2026-11-20T12:00:00.000Z')).toBe(true);
    expect(evaluations.every((e) => (e.Annotation ?? '').length <= 256)).toBe(true);
    expect(config).toHaveReceivedCommandTimes(GetComplianceDetailsByConfigRuleCommand, 2);
  });

  it('sends NOT_APPLICABLE when the event left scope', async () => {
    await handler(event('left-scope.json'));
    expect(putCalls()[0]).toEqual([
      {
        ComplianceResourceType: 'AWS::EC2::VPC',
        ComplianceResourceId: 'vpc-0a1b2c3d4e5f60002',
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'The resource left the scope of this rule.',
        OrderingTimestamp: new Date('2026-11-20T09:30:00.000Z'),
      },
    ]);
  });

  it('uses TestMode for the TESTMODE token', async () => {
    await handler(event('testmode.json'));
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, { ResultToken: 'TESTMODE', TestMode: true });
  });

  it.each([
    ['aws-doc-change.json', 'AWS::EC2::Instance i-00000000 NOT_APPLICABLE', '2016-02-17T01:36:34.043Z'],
    ['aws-doc-oversized.json', 'AWS::EC2::Instance i-00000000 NOT_APPLICABLE', '2016-10-06T16:46:16.261Z'],
  ])(
    "answers AWS's documented example %s: out of scope, decided without a single read",
    async (file, expected, time) => {
      await handler(event(file));
      expect(summary(putCalls()[0] ?? [])).toEqual([expected]);
      expect(putCalls()[0]?.[0]).toMatchObject({
        Annotation: 'Resource type AWS::EC2::Instance is not judged by this rule.',
        OrderingTimestamp: new Date(time),
      });
      expect(config).not.toHaveReceivedCommand(GetResourceConfigHistoryCommand);
      expect(ec2.calls()).toHaveLength(0);
    },
  );

  it("runs AWS's documented periodic example over every VPC of the region", async () => {
    await handler(event('aws-doc-scheduled.json'));
    expect(summary(putCalls()[0] ?? [])).toHaveLength(5);
    expect(putCalls()[0]?.[0]?.OrderingTimestamp).toEqual(new Date('2016-07-13T21:50:00.373Z'));
    expect(config).toHaveReceivedCommand(GetComplianceDetailsByConfigRuleCommand);
  });

  it("reads an endpoint's state recorded as { value } (Config's schema), so a pendingAcceptance endpoint is not available", async () => {
    const e = event('endpoint-change.json');
    const invoking = JSON.parse(e.invokingEvent as string) as {
      configurationItem: { configuration: Record<string, unknown> };
    };
    invoking.configurationItem.configuration.state = { value: 'pendingAcceptance' };
    e.invokingEvent = JSON.stringify(invoking);
    e.ruleParameters = JSON.stringify({ checks: 'CCE.5' });
    await handler(e);
    const changed = putCalls()[0]?.find((x) => x.ComplianceResourceId === 'vpce-0a1b2c3d4e5f70003');
    expect(changed).toMatchObject({ ComplianceType: 'NON_COMPLIANT' });
    expect(changed?.Annotation).toContain('is pendingAcceptance and carries no traffic');
  });

  it('keeps the previous evaluation of a resource it could not judge: ERROR is never swept as gone', async () => {
    const region = demoRegion();
    region.endpoints = region.endpoints.map((x) =>
      x.VpcEndpointId === 'vpce-0a1b2c3d4e5f70004'
        ? { ...x, PolicyDocument: '{"Statement":{"Effect":"Permit","Principal":"*","Action":"*","Resource":"*"}}' }
        : x,
    );
    ec2.restore();
    ec2 = fakeEc2({ 'us-east-2': region });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: ['vpce-0a1b2c3d4e5f70004', 'vpce-gone'].map((ResourceId) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: 'codecommit-audit-cce-6',
            ResourceType: 'AWS::EC2::VPCEndpoint',
            ResourceId,
          },
        },
        ComplianceType: 'COMPLIANT',
      })),
    });
    const e = event('scheduled.json');
    e.ruleParameters = JSON.stringify({ checks: 'CCE.6' });
    await expect(handler(e)).rejects.toThrow(
      /vpce-0a1b2c3d4e5f70004: The policy of endpoint vpce-0a1b2c3d4e5f70004 cannot be evaluated/,
    );
    const sent = putCalls().flat();
    expect(sent.find((x) => x.ComplianceResourceId === 'vpce-0a1b2c3d4e5f70004')).toBeUndefined();
    expect(sent.find((x) => x.ComplianceResourceId === 'vpce-gone')).toMatchObject({
      ComplianceType: 'NOT_APPLICABLE',
    });
  });

  it('judges an oversized endpoint whose history is empty from EC2, not as NOT_APPLICABLE', async () => {
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    await handler(event('oversized.json'));
    const sent = summary(putCalls()[0] ?? []);
    expect(sent).toContain('AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NON_COMPLIANT');
    expect(sent.some((x) => x.endsWith('NOT_APPLICABLE'))).toBe(false);
  });

  it('does not mistake an endpoint item without a VPC id for a non-CodeCommit endpoint', async () => {
    const e = event('endpoint-change.json');
    const invoking = JSON.parse(e.invokingEvent as string) as {
      configurationItem: { configuration: Record<string, unknown> };
    };
    delete invoking.configurationItem.configuration.vpcId;
    e.invokingEvent = JSON.stringify(invoking);
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    await handler(e);
    const sent = putCalls()[0] ?? [];
    expect(sent.some((x) => /not a CodeCommit interface endpoint/.test(x.Annotation ?? ''))).toBe(false);
    expect(summary(sent)).toContain('AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NON_COMPLIANT');
  });

  it('never sends an invalid date: a bad notification time falls back to now', async () => {
    const e = event('scheduled.json');
    const invoking = JSON.parse(e.invokingEvent as string) as Record<string, unknown>;
    invoking.notificationCreationTime = 'yesterday-ish';
    e.invokingEvent = JSON.stringify(invoking);
    await handler(e);
    const times = (putCalls()[0] ?? []).map((x) => x.OrderingTimestamp?.getTime() ?? Number.NaN);
    expect(times.every((t) => Number.isFinite(t) && Math.abs(t - Date.now()) < 60_000)).toBe(true);
  });

  it('rejects bad rule parameters naming the key, and sends nothing', async () => {
    await expect(handler(event('bad-parameters.json'))).rejects.toThrow('unknown parameter "fipsRequird"');
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });

  it.each([
    [{}, /^not an AWS Config rule event: invokingEvent: /],
    [{ ...event('vpc-change.json'), invokingEvent: '{oops' }, /^invokingEvent is not valid JSON/],
    [
      { ...event('vpc-change.json'), invokingEvent: '{"messageType":"Surprise"}' },
      /^invokingEvent is not a Config notification this rule handles: messageType: /,
    ],
    [{ ...event('vpc-change.json'), ruleParameters: '[1]' }, /^ruleParameters must be a JSON object$/],
    [{ ...event('vpc-change.json'), ruleParameters: '{"checks":"CCE.42"}' }, /names unknown check "CCE.42"/],
  ])('rejects a malformed event with a clear error (%#)', async (bad, message) => {
    await expect(handler(bad)).rejects.toThrow(message);
  });

  it('batches PutEvaluations at 100', async () => {
    ec2.restore();
    const region = demoRegion();
    region.vpcs = Array.from({ length: 250 }, (_, i) => ({
      VpcId: `vpc-${String(i).padStart(4, '0')}`,
      IsDefault: false,
      Tags: [],
    }));
    ec2 = fakeEc2({ 'us-east-2': region });
    await handler(event('scheduled.json'));
    expect(putCalls().map((c) => c.length)).toEqual([100, 100, 50]);
  });

  it('survives throttling on PutEvaluations and retries failed evaluations', async () => {
    config
      .on(PutEvaluationsCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .resolvesOnce({
        FailedEvaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::VPC',
            ComplianceResourceId: 'vpc-0a1b2c3d4e5f60002',
            ComplianceType: 'COMPLIANT',
            OrderingTimestamp: new Date(),
          },
        ],
      })
      .resolves({ FailedEvaluations: [] });
    await handler(event('vpc-change.json'));
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 3);
  }, 10_000);

  it('raises ERROR results after sending every other evaluation', async () => {
    ec2.restore();
    const region = demoRegion();
    region.failures = {
      DescribeSecurityGroups: awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'),
    };
    ec2 = fakeEc2({ 'us-east-2': region });
    const e = event('endpoint-change.json');
    e.ruleParameters = JSON.stringify({ checks: 'CCE.4,CCE.10' });
    await expect(handler(e)).rejects.toThrow(
      /2 evaluation\(s\) could not be made or sent: CCE\.10 vpce-0a1b2c3d4e5f70003: security groups \(ec2:DescribeSecurityGroups\) could not be evaluated: DescribeSecurityGroups failed with UnauthorizedOperation/,
    );
    // vpce-…70003 fails CCE.4 whatever CCE.10 says, so it is sent; vpce-…70004 would pass CCE.4 but is not judged complete.
    expect(summary(putCalls()[0] ?? [])).toEqual(['AWS::EC2::VPCEndpoint vpce-0a1b2c3d4e5f70003 NON_COMPLIANT']);
  });
});
