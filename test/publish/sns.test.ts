import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertFor, digestFor, publishAlerts, subjectFor } from '../../functions/publish/sns';
import { publishScan } from '../../functions/publish/index';
import type { Finding } from '../../functions/core/finding';
import type { ScopeInventory } from '../../functions/core/inventory';
import { fakeSecurityHub, type FakeSecurityHub } from '../fixtures/fake-securityhub';
import { acceptingTopic } from '../fixtures/fake-sns';

const TOPIC = 'arn:aws:sns:us-east-2:123456789012:codecommit-audit-alerts';
const noSleep = (): Promise<void> => Promise.resolve();

function finding(resourceId: string, status: Finding['status'], severity: Finding['severity'] = 'HIGH'): Finding {
  return {
    checkId: 'CCE.3',
    title: 'VPC that requires FIPS has no FIPS endpoint',
    status,
    severity,
    accountId: '123456789012',
    region: 'us-east-2',
    resourceType: 'AWS::EC2::VPC',
    resourceId,
    resourceArn: `arn:aws:ec2:us-east-2:123456789012:vpc/${resourceId}`,
    vpcId: resourceId,
    message: 'FIPS is required but there is no FIPS endpoint.',
    remediation: 'aws ec2 create-vpc-endpoint ...',
  };
}

const SCOPE: ScopeInventory = { accountId: '123456789012', region: 'us-east-2', vpcs: [], vpcEndpoints: [] };

let sns: AwsClientStub<SNSClient>;
let hub: FakeSecurityHub;
beforeEach(() => {
  sns = acceptingTopic();
  hub = fakeSecurityHub();
});
afterEach(() => {
  sns.restore();
  hub.mock.restore();
});

async function publish(findings: Finding[], now: string) {
  return publishScan(
    [SCOPE],
    findings,
    {
      securityHub: () => new SecurityHubClient({ region: 'us-east-2' }),
      sns: { client: new SNSClient({ region: 'us-east-2' }), topicArn: TOPIC },
    },
    { now, checksRun: ['CCE.3'], sleep: noSleep },
  );
}

describe('alerts', () => {
  it('builds a subject of at most 100 characters naming severity, check, resource and place', () => {
    const t = { kind: 'NEW' as const, finding: finding('vpc-0abc', 'FAILED'), findingId: 'id', key: 'id|FAILED:HIGH' };
    expect(subjectFor(t)).toBe(
      '[HIGH] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-0abc (123456789012 us-east-2)',
    );
    const long = {
      ...t,
      finding: {
        ...t.finding,
        resourceId: 'vpce-0123456789abcdef0',
        title: 'A very long title that goes on and on and on about endpoints',
      },
    };
    expect(subjectFor(long).length).toBeLessThanOrEqual(100);
    expect(subjectFor(long)).toContain('vpce-0123456789abcdef0 (123456789012 us-east-2)');
  });

  it('carries a readable body, the finding JSON and filterable attributes', () => {
    const alert = alertFor({
      kind: 'NEW',
      finding: finding('vpc-0abc', 'FAILED'),
      findingId: 'id-1',
      key: 'id-1|FAILED:HIGH',
    });
    const message = JSON.parse(alert.message) as Record<string, string>;
    expect(message.default).toContain('How to fix: aws ec2 create-vpc-endpoint ...');
    expect(message.email).toContain(
      'Security Hub: https://console.aws.amazon.com/securityhub/home?region=us-east-2#/findings?search=',
    );
    expect(JSON.parse(message.sqs ?? '{}')).toMatchObject({
      transition: 'NEW',
      findingId: 'id-1',
      finding: { checkId: 'CCE.3' },
    });
    expect(alert.attributes).toEqual({
      severity: 'HIGH',
      checkId: 'CCE.3',
      accountId: '123456789012',
      region: 'us-east-2',
      transition: 'NEW',
      status: 'FAILED',
      alertId: 'id-1|FAILED:HIGH',
    });
  });

  it('sends in batches of 10 with MessageStructure json', async () => {
    const alerts = Array.from({ length: 25 }, (_, i) =>
      alertFor({
        kind: 'NEW',
        finding: finding(`vpc-${i}`, 'FAILED'),
        findingId: `id-${i}`,
        key: `id-${i}|FAILED:HIGH`,
      }),
    );
    const outcome = await publishAlerts(new SNSClient({ region: 'us-east-2' }), TOPIC, alerts, { sleep: noSleep });
    expect(outcome).toMatchObject({ sent: 25, failed: [] });
    expect(outcome.delivered.size).toBe(25);
    expect(
      sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries?.length),
    ).toEqual([10, 10, 5]);
    expect(sns).toHaveReceivedCommandWith(PublishBatchCommand, { TopicArn: TOPIC });
    expect(sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0]).toMatchObject({
      MessageStructure: 'json',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'HIGH' } },
    });
  });

  it('retries failed entries and reports those that keep failing', async () => {
    let calls = 0;
    sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => {
      calls++;
      const [first, ...rest] = input.PublishBatchRequestEntries;
      return {
        Successful: rest.map((e) => ({ Id: e.Id, MessageId: 'm' })),
        Failed: first ? [{ Id: first.Id, Code: 'InternalError', Message: 'try again', SenderFault: false }] : [],
      };
    });
    const alerts = [0, 1].map((i) =>
      alertFor({
        kind: 'NEW',
        finding: finding(`vpc-${i}`, 'FAILED'),
        findingId: `id-${i}`,
        key: `id-${i}|FAILED:HIGH`,
      }),
    );
    const outcome = await publishAlerts(new SNSClient({ region: 'us-east-2' }), TOPIC, alerts, { sleep: noSleep });
    expect(calls).toBe(3);
    expect(outcome.sent).toBe(1);
    expect(outcome.failed).toEqual([{ id: alerts[0]?.subject, code: 'InternalError', message: 'try again' }]);
  });
});

describe('publishScan', () => {
  it('alerts once for a new finding, not again on an unchanged re-scan, once when resolved', async () => {
    const first = await publish([finding('vpc-1', 'FAILED')], '2026-11-01T00:00:00.000Z');
    expect(first.alertsSent).toBe(1);
    const second = await publish([finding('vpc-1', 'FAILED')], '2026-11-02T00:00:00.000Z');
    expect(second.alertsSent).toBe(0);
    const third = await publish([finding('vpc-1', 'PASSED')], '2026-11-03T00:00:00.000Z');
    expect(third.alertsSent).toBe(1);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 2);
    const resolved = sns.commandCalls(PublishBatchCommand)[1]?.args[0].input.PublishBatchRequestEntries?.[0];
    expect(resolved?.Subject).toBe(
      '[RESOLVED] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-1 (123456789012 us-east-2)',
    );
    expect(resolved?.MessageAttributes?.transition?.StringValue).toBe('RESOLVED');
  });

  it('falls back to one digest per scan when Security Hub is not enabled, and says so', async () => {
    hub.mock
      .on(GetFindingsCommand)
      .rejects(Object.assign(new Error('not subscribed'), { name: 'InvalidAccessException' }));
    const report = await publish(
      [finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED', 'MEDIUM'), finding('vpc-3', 'PASSED')],
      'now',
    );
    expect(report.alertsSent).toBe(1);
    const entry = sns.commandCalls(PublishBatchCommand)[0]?.args[0].input.PublishBatchRequestEntries?.[0];
    expect(entry?.Subject).toBe('[HIGH] CodeCommit endpoint digest: 2 FAILED (123456789012 us-east-2)');
    const body = (JSON.parse(entry?.Message ?? '{}') as { default: string }).default;
    expect(body).toContain('Security Hub is not available in this account-region (InvalidAccessException)');
    expect(body).toContain('- [HIGH] CCE.3 vpc-1:');
    expect(body).not.toContain('vpc-3');
  });

  it('sends no digest when nothing failed', () => {
    expect(digestFor('123456789012', 'us-east-2', [finding('vpc-1', 'PASSED')], 'x')).toBeUndefined();
  });

  /** SNS answers every entry with the failure given, or (undefined) accepts them. */
  function topicFailing(failure: { Code: string; Message: string } | 'throw' | undefined): void {
    sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => {
      if (failure === 'throw')
        throw Object.assign(new Error('Internal failure'), {
          name: 'InternalErrorException',
          $metadata: { httpStatusCode: 500 },
        });
      const entries = input.PublishBatchRequestEntries;
      return failure
        ? { Successful: [], Failed: entries.map((e) => ({ Id: e.Id, SenderFault: false, ...failure })) }
        : { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
    });
  }

  function subjects(from = 0): string[] {
    return sns
      .commandCalls(PublishBatchCommand)
      .slice(from)
      .flatMap((c) => c.args[0].input.PublishBatchRequestEntries ?? [])
      .map((e) => e.Subject ?? '');
  }

  it.each([
    ['an HTTP 500', 'throw' as const],
    ['a partial PublishBatch failure', { Code: 'InternalError', Message: 'try later' }],
  ])('after SNS fails with %s, the next scan sends exactly the alerts that were missed', async (_name, failure) => {
    topicFailing(failure);
    const findings = [finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED', 'MEDIUM')];
    const failed = await publish(findings, '2026-11-01T00:00:00.000Z');
    expect(failed.alertsSent).toBe(0);
    expect(failed.failures.filter((f) => f.startsWith('sns:'))).toHaveLength(2);
    // Security Hub holds the findings, but not as alerted.
    expect(hub.store.size).toBe(2);

    topicFailing(undefined);
    const sentBefore = sns.commandCalls(PublishBatchCommand).length;
    const recovered = await publish(findings, '2026-11-02T00:00:00.000Z');
    expect(recovered.failures).toEqual([]);
    expect(subjects(sentBefore).sort()).toEqual([
      '[HIGH] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-1 (123456789012 us-east-2)',
      '[MEDIUM] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-2 (123456789012 us-east-2)',
    ]);
    // And no others: a third scan sends nothing.
    const third = await publish(findings, '2026-11-03T00:00:00.000Z');
    expect(third.alertsSent).toBe(0);
  });

  it('sends a missed RESOLVED alert on the next scan and archives the finding only then', async () => {
    await publish([finding('vpc-1', 'FAILED')], '2026-11-01T00:00:00.000Z');
    topicFailing('throw');
    await publish([finding('vpc-1', 'PASSED')], '2026-11-02T00:00:00.000Z');
    expect(hub.store.get('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.3/vpc-1')?.RecordState).toBe('ACTIVE');
    topicFailing(undefined);
    const before = sns.commandCalls(PublishBatchCommand).length;
    const next = await publish([finding('vpc-1', 'PASSED')], '2026-11-03T00:00:00.000Z');
    expect(next.alertsSent).toBe(1);
    expect(subjects(before)).toEqual([
      '[RESOLVED] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-1 (123456789012 us-east-2)',
    ]);
    expect(hub.store.get('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.3/vpc-1')).toMatchObject({
      RecordState: 'ARCHIVED',
      ProductFields: expect.objectContaining({ 'codecommit-endpoint-auditor/AlertedState': 'NONE' }) as unknown,
    });
  });

  it('sends no alert for a finding Security Hub refused, and sends it once the import works', async () => {
    const id = 'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.3/vpc-1';
    hub.failNext.set(id, 99);
    const refused = await publish([finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED')], '2026-11-01T00:00:00.000Z');
    expect(subjects()).toEqual([
      '[HIGH] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-2 (123456789012 us-east-2)',
    ]);
    expect(refused.failures.some((f) => f.includes(id))).toBe(true);
    hub.failNext.clear();
    const before = sns.commandCalls(PublishBatchCommand).length;
    await publish([finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED')], '2026-11-02T00:00:00.000Z');
    expect(subjects(before)).toEqual([
      '[HIGH] CCE.3 VPC that requires FIPS has no FIPS endpoint: vpc-1 (123456789012 us-east-2)',
    ]);
  });
});
