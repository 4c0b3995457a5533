import { BatchImportFindingsCommand, GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterEach, describe, expect, it } from 'vitest';
import { publishToSecurityHub, type ScopeFindings } from '../../functions/publish/securityhub';
import type { Finding } from '../../functions/core/finding';
import { fakeSecurityHub, type FakeSecurityHub } from '../fixtures/fake-securityhub';

const CHECKS = ['CCE.1', 'CCE.3'] as const;
const noSleep = (): Promise<void> => Promise.resolve();

function finding(
  resourceId: string,
  status: Finding['status'],
  severity: Finding['severity'] = 'MEDIUM',
  checkId: Finding['checkId'] = 'CCE.1',
): Finding {
  return {
    checkId,
    title: 'VPC has no interface endpoint for CodeCommit Git',
    status,
    severity,
    accountId: '123456789012',
    region: 'us-east-2',
    resourceType: 'AWS::EC2::VPC',
    resourceId,
    resourceArn: `arn:aws:ec2:us-east-2:123456789012:vpc/${resourceId}`,
    vpcId: resourceId,
    message: `${resourceId} ${status}`,
    remediation: 'fix it',
  };
}

function scan(findings: Finding[], complete = true): ScopeFindings {
  return { accountId: '123456789012', region: 'us-east-2', findings, complete, checksRun: CHECKS };
}

let hub: FakeSecurityHub;
const client = (): SecurityHubClient => new SecurityHubClient({ region: 'us-east-2' });
afterEach(() => hub.mock.restore());

describe('publishToSecurityHub', () => {
  it('walks the lifecycle: new → still failing → resolved → re-failed', async () => {
    hub = fakeSecurityHub();
    const id = 'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.1/vpc-1';

    const first = await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED')]), {
      now: '2026-11-01T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(first).toMatchObject({ enabled: true, imported: 1, archived: 0, failed: [] });
    expect(first.transitions.map((t) => [t.kind, t.findingId])).toEqual([['NEW', id]]);

    const second = await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED')]), {
      now: '2026-11-02T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(second.transitions).toEqual([]);
    expect(hub.store.get(id)).toMatchObject({
      CreatedAt: '2026-11-01T00:00:00.000Z',
      FirstObservedAt: '2026-11-01T00:00:00.000Z',
      UpdatedAt: '2026-11-02T00:00:00.000Z',
      RecordState: 'ACTIVE',
    });

    const third = await publishToSecurityHub(client(), scan([finding('vpc-1', 'PASSED')]), {
      now: '2026-11-03T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(third).toMatchObject({ archived: 1 });
    expect(third.transitions.map((t) => t.kind)).toEqual(['RESOLVED']);
    expect(hub.store.get(id)).toMatchObject({
      Compliance: { Status: 'PASSED' },
      RecordState: 'ARCHIVED',
      CreatedAt: '2026-11-01T00:00:00.000Z',
    });

    const fourth = await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED')]), {
      now: '2026-11-04T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(fourth.transitions.map((t) => t.kind)).toEqual(['NEW']);
    expect(hub.store.get(id)).toMatchObject({ Compliance: { Status: 'FAILED' }, RecordState: 'ACTIVE' });
  });

  it('shows ERROR as NOT_AVAILABLE with its reason, never over a FAILED verdict, and archives it once judged', async () => {
    hub = fakeSecurityHub();
    const id = (vpc: string) => `codecommit-endpoint-auditor/123456789012/us-east-2/CCE.1/${vpc}`;
    const at = (day: number) => ({ now: `2026-11-0${day}T00:00:00.000Z`, sleep: noSleep });
    await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED')]), at(1));
    // vpc-1 cannot be judged now: its FAILED record stands. vpc-2 cannot be judged: shown, no alert.
    const errors = await publishToSecurityHub(
      client(),
      scan([finding('vpc-1', 'ERROR'), finding('vpc-2', 'ERROR')], false),
      at(2),
    );
    expect(errors.transitions).toEqual([]);
    expect(hub.store.get(id('vpc-1'))).toMatchObject({ Compliance: { Status: 'FAILED' }, UpdatedAt: at(1).now });
    expect(hub.store.get(id('vpc-2'))).toMatchObject({
      Compliance: { Status: 'NOT_AVAILABLE' },
      Severity: { Label: 'INFORMATIONAL', Original: 'MEDIUM' },
      Description: 'vpc-2 ERROR',
      RecordState: 'ACTIVE',
      ProductFields: { 'codecommit-endpoint-auditor/Status': 'ERROR' },
    });
    // Judged again: PASSED archives the ERROR record without an alert; FAILED alerts NEW.
    const judged = await publishToSecurityHub(
      client(),
      scan([finding('vpc-1', 'FAILED'), finding('vpc-2', 'PASSED')]),
      at(3),
    );
    expect(judged.transitions).toEqual([]);
    expect(hub.store.get(id('vpc-2'))).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' });
    await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED'), finding('vpc-2', 'ERROR')], false), at(4));
    const failed = await publishToSecurityHub(
      client(),
      scan([finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED')]),
      at(5),
    );
    expect(failed.transitions.map((t) => [t.kind, t.findingId])).toEqual([['NEW', id('vpc-2')]]);
  });

  it('imports identical Ids on two scans of an unchanged account', async () => {
    hub = fakeSecurityHub();
    const findings = [finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED', 'HIGH', 'CCE.3')];
    await publishToSecurityHub(client(), scan(findings), { now: '2026-11-01T00:00:00.000Z', sleep: noSleep });
    await publishToSecurityHub(client(), scan(findings), { now: '2026-11-02T00:00:00.000Z', sleep: noSleep });
    const calls = hub.mock
      .commandCalls(BatchImportFindingsCommand)
      .map((c) => c.args[0].input.Findings?.map((f) => f.Id).sort());
    expect(calls[0]).toEqual(calls[1]);
    expect(hub.store.size).toBe(2);
  });

  it('reports a severity change', async () => {
    hub = fakeSecurityHub();
    await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED', 'MEDIUM')]), {
      now: '2026-11-01T00:00:00.000Z',
      sleep: noSleep,
    });
    const next = await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED', 'HIGH')]), {
      now: '2026-11-02T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(next.transitions.map((t) => [t.kind, t.previousSeverity, t.finding.severity])).toEqual([
      ['SEVERITY_CHANGED', 'MEDIUM', 'HIGH'],
    ]);
  });

  it("archives the finding of a resource that is gone, and only this tool's findings", async () => {
    hub = fakeSecurityHub();
    const other: AwsSecurityFinding = {
      SchemaVersion: '2018-10-08',
      Id: 'other-tool/1',
      ProductArn: 'arn:aws:securityhub:us-east-2::product/aws/securityhub',
      GeneratorId: 'aws-foundational-security-best-practices/v/1.0.0/EC2.10',
      AwsAccountId: '123456789012',
      Region: 'us-east-2',
      CreatedAt: '2026-01-01T00:00:00.000Z',
      UpdatedAt: '2026-01-01T00:00:00.000Z',
      Title: 'x',
      Description: 'x',
      Resources: [],
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
    };
    hub.store.set('other-tool/1', other);
    await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED')]), {
      now: '2026-11-01T00:00:00.000Z',
      sleep: noSleep,
    });
    const next = await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED')]), {
      now: '2026-11-02T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(next.transitions.map((t) => [t.kind, t.finding.resourceId])).toEqual([['RESOLVED', 'vpc-2']]);
    expect(hub.store.get('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.1/vpc-2')).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'PASSED' },
    });
    expect(hub.store.get('other-tool/1')).toBe(other);
    expect(hub.mock).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: expect.objectContaining({
        ProductArn: [
          { Value: 'arn:aws:securityhub:us-east-2:123456789012:product/123456789012/default', Comparison: 'EQUALS' },
        ],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      }) as never,
    });
  });

  it('archives nothing after an incomplete scan', async () => {
    hub = fakeSecurityHub();
    await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED')]), {
      now: '2026-11-01T00:00:00.000Z',
      sleep: noSleep,
    });
    const next = await publishToSecurityHub(client(), scan([finding('vpc-1', 'PASSED')], false), {
      now: '2026-11-02T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(next).toMatchObject({ archived: 0, transitions: [] });
    expect([...hub.store.values()].every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });

  it('leaves findings of checks that did not run alone', async () => {
    hub = fakeSecurityHub();
    await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED', 'HIGH', 'CCE.3')]), {
      now: '2026-11-01T00:00:00.000Z',
      sleep: noSleep,
    });
    const next = await publishToSecurityHub(
      client(),
      { ...scan([]), checksRun: ['CCE.1'] },
      { now: '2026-11-02T00:00:00.000Z', sleep: noSleep },
    );
    expect(next.archived).toBe(0);
  });

  it('imports in chunks of 100', async () => {
    hub = fakeSecurityHub();
    const findings = Array.from({ length: 250 }, (_, i) => finding(`vpc-${i}`, 'FAILED'));
    const outcome = await publishToSecurityHub(client(), scan(findings), {
      now: '2026-11-01T00:00:00.000Z',
      sleep: noSleep,
    });
    expect(outcome.imported).toBe(250);
    expect(hub.mock.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings?.length)).toEqual([
      100, 100, 50,
    ]);
  });

  it('retries entries reported in FailedFindings, then reports what still fails', async () => {
    hub = fakeSecurityHub();
    hub.failNext.set('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.1/vpc-1', 1);
    hub.failNext.set('codecommit-endpoint-auditor/123456789012/us-east-2/CCE.1/vpc-2', 99);
    const outcome = await publishToSecurityHub(
      client(),
      scan([finding('vpc-1', 'FAILED'), finding('vpc-2', 'FAILED'), finding('vpc-3', 'FAILED')]),
      { now: '2026-11-01T00:00:00.000Z', sleep: noSleep },
    );
    expect(outcome.imported).toBe(2);
    expect(outcome.failed).toEqual([
      {
        id: 'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.1/vpc-2',
        code: 'ThrottlingException',
        message: 'Rate exceeded',
      },
    ]);
    expect(hub.mock).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
  });

  it('says so when Security Hub is not enabled', async () => {
    hub = fakeSecurityHub();
    hub.mock.on(GetFindingsCommand).rejects(
      Object.assign(new Error('Account 123456789012 is not subscribed to AWS Security Hub'), {
        name: 'InvalidAccessException',
      }),
    );
    const outcome = await publishToSecurityHub(client(), scan([finding('vpc-1', 'FAILED')]), {
      now: 'now',
      sleep: noSleep,
    });
    expect(outcome).toMatchObject({ enabled: false, unavailable: { code: 'InvalidAccessException' } });
    expect(hub.mock).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });

  it('imports PASSED findings with reportPassed', async () => {
    hub = fakeSecurityHub();
    const outcome = await publishToSecurityHub(client(), scan([finding('vpc-1', 'PASSED')]), {
      now: 'now',
      reportPassed: true,
      sleep: noSleep,
    });
    expect(outcome.imported).toBe(1);
    expect([...hub.store.values()][0]).toMatchObject({
      Compliance: { Status: 'PASSED' },
      RecordState: 'ACTIVE',
      Severity: { Label: 'INFORMATIONAL' },
    });
  });
});
