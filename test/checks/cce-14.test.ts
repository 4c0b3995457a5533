/**
 * CCE.14 on CodeCommit requests as CloudTrail records them. Records are AWS's documented examples
 * (test/fixtures/cloudtrail) or built in their shape. Each case states the verdict expected, and
 * why, as written before it was first run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CloudTrailEventItem } from '../../functions/core/inventory';
import { run, scope } from '../fixtures/builders';

const RECIPIENT = '123456789012';
const WINDOW = { StartTime: '2026-11-26T00:00:00.000Z', EndTime: '2026-11-27T00:00:00.000Z' };
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`test/fixtures/cloudtrail/${name}`, 'utf8')) as Record<string, unknown>;

const alice = {
  type: 'IAMUser',
  principalId: 'AIDAALICEEXAMPLE',
  arn: `arn:aws:iam::${RECIPIENT}:user/alice`,
  accountId: RECIPIENT,
  userName: 'alice',
};
const ciRole = {
  type: 'AssumedRole',
  principalId: 'AROACIBUILD:run-1',
  arn: `arn:aws:sts::${RECIPIENT}:assumed-role/ci-build/run-1`,
  accountId: RECIPIENT,
  sessionContext: {
    sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${RECIPIENT}:role/build/ci-build`, accountId: RECIPIENT },
  },
};

function record(eventName: string, identity: object, sourceIPAddress: string, extra: object = {}): object {
  return {
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime: '2026-11-26T10:00:00Z',
    eventSource: 'codecommit.amazonaws.com',
    eventName,
    awsRegion: 'us-east-2',
    sourceIPAddress,
    eventID: `id-${eventName}-${sourceIPAddress}`,
    recipientAccountId: RECIPIENT,
    ...extra,
  };
}

function item(value: object | string, id = 'e'): CloudTrailEventItem {
  return { EventId: id, CloudTrailEvent: typeof value === 'string' ? value : JSON.stringify(value) };
}

function judge(records: (object | string)[], params: Record<string, string> = {}) {
  return run(
    'CCE.14',
    scope('us-east-2', {
      cloudTrailEvents: records.map((r, i) => item(r, `e${i}`)),
      cloudTrailWindow: WINDOW,
    }),
    params,
  );
}

const finding = (findings: ReturnType<typeof judge>, id: string) => {
  const found = findings.filter((f) => f.resourceId === id);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('CCE.14 CodeCommit used from outside your VPC endpoints', () => {
  // AWS's GitPull example: user Mary_Major of account 444455556666 pulls from 203.0.113.12 (public,
  // no vpcEndpointId) in account 111122223333: FAILED, MEDIUM (a pull), the caller named with its account.
  it("fails AWS's documented GitPull from a public address, MEDIUM, naming the other account's user", () => {
    const findings = run('CCE.14', {
      ...scope('us-east-2'),
      accountId: '111122223333',
      cloudTrailEvents: [item(fixture('codecommit-GitPull-aws-doc.json'))],
    });
    const f = finding(findings, '444455556666:user/Mary_Major');
    expect(f).toMatchObject({
      status: 'FAILED',
      severity: 'MEDIUM',
      resourceType: 'AWS::IAM::User',
      resourceArn: 'arn:aws:iam::444455556666:user/Mary_Major',
      vpcId: '',
    });
    expect(f.message).toContain('203.0.113.12');
    expect(f.message).toContain('GitPull');
  });

  // AWS's CreateRepository example: a Write-level API action from outside: HIGH.
  it("fails AWS's documented CreateRepository from a public address as HIGH (a Write action)", () => {
    const findings = run('CCE.14', {
      ...scope('us-east-2'),
      accountId: '111122223333',
      cloudTrailEvents: [item(fixture('codecommit-CreateRepository-aws-doc.json'))],
    });
    expect(finding(findings, '444455556666:user/Mary_Major')).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
  });

  // The GitPush EventBridge delivered (its `detail` is the CloudTrail record): a push from 72.21.196.64: HIGH.
  it('fails a GitPush as EventBridge delivers it (the detail), HIGH', () => {
    const event = fixture('eventbridge-GitPush-aws-solutions.json');
    const detail = JSON.parse(JSON.stringify(event.detail).replaceAll('xxxxxxxxxxxx', RECIPIENT)) as object;
    const f = finding(judge([detail]), 'user/codecommituser-DoNOTDELETE');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toContain('72.21.196.64');
  });

  // vpcEndpointId present (AWS's KMS example shape): through an endpoint, whatever the address says: PASSED.
  it('passes a caller whose requests all carry vpcEndpointId, and names the role, not the session', () => {
    const findings = judge([
      record('GitPull', ciRole, '10.0.2.15', { vpcEndpointId: 'vpce-0a1b2c3d4e5f70003' }),
      record('GitPull', ciRole, '203.0.113.9', { vpcEndpointId: 'vpce-0a1b2c3d4e5f70003' }),
    ]);
    const f = finding(findings, 'role/ci-build');
    expect(f).toMatchObject({
      status: 'PASSED',
      resourceType: 'AWS::IAM::Role',
      resourceArn: `arn:aws:iam::${RECIPIENT}:role/build/ci-build`,
    });
    expect(f.message).toContain('2 through endpoints');
  });

  // A private source address without vpcEndpointId still came from inside a VPC (DESIGN section 1); a
  // trusted office address counts as your network: both PASSED. The same caller from a public address fails.
  it('passes private and trusted addresses, and fails the first request from elsewhere', () => {
    const params = { trustedCidrs: '198.51.100.0/24' };
    expect(finding(judge([record('GitPull', alice, '10.1.2.3')], params), 'user/alice').status).toBe('PASSED');
    expect(finding(judge([record('GitPull', alice, '198.51.100.7')], params), 'user/alice').status).toBe('PASSED');
    expect(finding(judge([record('GitPull', alice, '100.64.1.1')], params), 'user/alice').status).toBe('PASSED');
    expect(finding(judge([record('GitPull', alice, 'fd00::5')], params), 'user/alice').status).toBe('PASSED');
    const mixed = finding(
      judge([record('GitPull', alice, '10.1.2.3'), record('GitPull', alice, '198.18.0.9')], params),
      'user/alice',
    );
    expect(mixed).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
    expect(mixed.message).toContain('198.18.0.9');
  });

  // A role that only AWS services used (CodePipeline on your behalf): nothing to answer for: NOT_APPLICABLE.
  it('is not applicable to a role that only an AWS service used on your behalf', () => {
    const pipeline = {
      ...ciRole,
      invokedBy: 'codepipeline.amazonaws.com',
    };
    const findings = judge([record('GetBranch', pipeline, 'codepipeline.amazonaws.com')]);
    expect(finding(findings, 'role/ci-build').status).toBe('NOT_APPLICABLE');
  });

  // Counts, first and last times, at most five example addresses, the actions.
  it('reports the count, first and last time, five example addresses and the actions', () => {
    const records = Array.from({ length: 8 }, (_, i) =>
      record(i === 7 ? 'GitPush' : 'GitPull', alice, `203.0.113.${i + 1}`, {
        eventTime: `2026-11-26T1${i}:00:00Z`,
        eventID: `id-${i}`,
      }),
    );
    const f = finding(judge(records), 'user/alice');
    expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
    expect(f.message).toContain('8 CodeCommit requests');
    expect(f.message).toContain('between 2026-11-26 10:00 UTC and 2026-11-26 17:00 UTC');
    expect(f.message).toContain('from 203.0.113.1, 203.0.113.2, 203.0.113.3 and 2 more: GitPush, GitPull.');
    expect(f.message).toContain('in the last 24 h');
    expect(f.remediation).toContain('trustedCidrs');
  });

  // One unreadable record: an ERROR on '*' that says so, and the readable records are still judged.
  it('gives ERROR for records it cannot read, and judges the others', () => {
    const findings = judge(['{not json', record('GitPull', alice, '203.0.113.1'), { eventName: 'GitPull' }]);
    expect(finding(findings, 'user/alice').status).toBe('FAILED');
    const error = finding(findings, '*');
    expect(error.status).toBe('ERROR');
    expect(error.message).toMatch(
      /^2 CloudTrail record\(s\) could not be judged \(cloudTrailEvents\[0\] \(e0\): CloudTrailEvent is not JSON\)/,
    );
  });

  // No CloudTrail section at all: ERROR "data not collected", never PASSED or silence.
  it('gives ERROR when the inventory has no CloudTrail events, and nothing for an empty window', () => {
    const missing = run('CCE.14', scope('us-east-2'));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ status: 'ERROR', resourceId: '*' });
    expect(missing[0]?.message).toContain('cloudtrail:LookupEvents');
    expect(run('CCE.14', scope('us-east-2', { cloudTrailEvents: [] }))).toEqual([]);
  });

  // LookupEvents denied: ERROR with the grant to add, not FAILED.
  it('gives ERROR naming the permission when LookupEvents was denied', () => {
    const findings = run(
      'CCE.14',
      scope('us-east-2', {
        collectionErrors: [
          { data: 'cloudTrailEvents', operation: 'LookupEvents', code: 'AccessDeniedException', message: 'denied' },
        ],
      }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'ERROR', resourceId: '*' });
    expect(findings[0]?.remediation).toContain('cloudtrail:LookupEvents');
  });

  // Found in review against AWS's documented record shapes; expected verdicts written before the fix.
  describe('real-world record shapes', () => {
    // Someone's own VPC endpoint in another account: a network you do not control (stolen credentials).
    it("fails a request through another account's endpoint, passes one through a trusted account's", () => {
      const foreign = record('GitPush', alice, '10.9.9.9', {
        vpcEndpointId: 'vpce-0attacker',
        vpcEndpointAccountId: '999999999999',
      });
      const f = finding(judge([foreign]), 'user/alice');
      expect(f).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
      expect(f.message).toContain('vpce-0attacker of account 999999999999');
      const ours = record('GitPush', alice, '10.9.9.9', {
        vpcEndpointId: 'vpce-0ours',
        vpcEndpointAccountId: RECIPIENT,
      });
      expect(finding(judge([ours]), 'user/alice').status).toBe('PASSED');
      const partner = { ...(foreign as object), vpcEndpointAccountId: '222233334444' };
      expect(finding(judge([partner], { trustedAccounts: '222233334444' }), 'user/alice').status).toBe('PASSED');
    });

    // The console relays with invokedBy "AWS Internal" but records the user's real address (AWS Health guide's example).
    it('judges the real address of a console request, not its invokedBy; "AWS Internal" as address is AWS itself', () => {
      const console = record('PutFile', { ...alice, invokedBy: 'AWS Internal' }, '203.0.113.0');
      expect(finding(judge([console]), 'user/alice')).toMatchObject({ status: 'FAILED', severity: 'HIGH' });
      const internal = record('GetBranch', alice, 'AWS Internal/3');
      expect(finding(judge([internal]), 'user/alice').status).toBe('NOT_APPLICABLE');
    });

    it('names the caller of every userIdentity type CloudTrail documents', () => {
      const findings = judge([
        record(
          'GitPull',
          { type: 'AssumedRole', arn: `arn:aws:sts::${RECIPIENT}:assumed-role/ci/s-1`, accountId: RECIPIENT },
          '203.0.113.1',
        ),
        record(
          'GitPull',
          {
            type: 'FederatedUser',
            arn: `arn:aws:sts::${RECIPIENT}:federated-user/bob`,
            accountId: RECIPIENT,
            sessionContext: {
              sessionIssuer: { type: 'Root', accountId: RECIPIENT, arn: `arn:aws:iam::${RECIPIENT}:root` },
            },
          },
          '203.0.113.2',
        ),
        record('GitPull', { type: 'AWSAccount', accountId: '444455556666', principalId: 'AIDAX' }, '203.0.113.3'),
        record(
          'GitPull',
          {
            type: 'IdentityCenterUser',
            accountId: RECIPIENT,
            onBehalfOf: { userId: 'u-123', identityStoreArn: 'arn:aws:identitystore::123456789012:identitystore/d-1' },
          },
          '203.0.113.4',
        ),
      ]);
      expect(findings.map((f) => `${f.resourceId} ${f.resourceType} ${f.status}`)).toEqual([
        'account/444455556666 AWS::IAM::User FAILED',
        'identity-center/u-123 AWS::IAM::User FAILED',
        'role/ci AWS::IAM::Role FAILED',
        'root AWS::IAM::User FAILED',
      ]);
      expect(finding(findings, 'root').remediation).toContain(
        'the root user of account 123456789012 is in use from outside',
      );
    });

    // A refused push still shows working credentials used from outside, but nothing was written: MEDIUM.
    it('counts denied requests, says so, and keeps HIGH for what succeeded', () => {
      const denied = record('GitPush', alice, '203.0.113.7', { errorCode: 'AccessDenied' });
      const f = finding(judge([denied]), 'user/alice');
      expect(f).toMatchObject({ status: 'FAILED', severity: 'MEDIUM' });
      expect(f.message).toContain('made 1 CodeCommit request (1 denied) through no endpoint');
    });

    it('lists writes first, so what makes it HIGH is never cut; empty and v4-mapped addresses; one record counted once', () => {
      const names = ['GetBranch', 'GetCommit', 'GetRepository', 'GitPull', 'GitPush', 'PutFile'];
      const f = finding(
        judge(names.map((n, i) => record(n, alice, `203.0.113.${i}`, { eventID: `x-${i}` }))),
        'user/alice',
      );
      expect(f.message).toMatch(/: GitPush, PutFile, GetBranch, GetCommit and 2 more\.$/);
      const unrecorded = finding(judge([record('GitPull', alice, '')]), 'user/alice');
      expect(unrecorded.message).toContain('from an unrecorded address');
      expect(finding(judge([record('GitPull', alice, '::ffff:10.1.2.3')]), 'user/alice').status).toBe('PASSED');
      const twice = record('GitPull', alice, '203.0.113.9', { eventID: 'same' });
      expect(finding(judge([twice, twice]), 'user/alice').message).toContain('made 1 CodeCommit request through');
    });

    it('tells where a caller of another account must be dealt with', () => {
      const bob = { type: 'IAMUser', arn: 'arn:aws:iam::444455556666:user/bob', accountId: '444455556666' };
      const f = finding(judge([record('GitPull', bob, '203.0.113.5')]), '444455556666:user/bob');
      expect(f.remediation).toContain('(in account 444455556666, which owns it)');
    });
  });
});
