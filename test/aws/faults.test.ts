/**
 * Fault injection through the real SDK stack: the worker scans an emulator (STS, EC2, Security
 * Hub, SNS on 127.0.0.1, one per scenario, scenarios side by side) that throttles, fails, hangs, answers
 * garbage or fails part of a batch. After each faulty scan, SQS would deliver a failed task again
 * and the schedule would scan again; once the faults stop, Security Hub must hold exactly what a
 * fault-free run holds, and SNS must have carried each alert exactly once.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemberCredentials } from '../../functions/aws/assume';
import { clientFactory, makeClient } from '../../functions/aws/clients';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { createWorkerHandler } from '../../functions/handlers/worker';
import { workerSettings } from '../../functions/jobs/settings';
import { AwsEmulator, type Fault, type FaultPlan, type Service } from '../fixtures/aws-emulator';
import { BODIES } from '../fixtures/ec2-xml';

const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:us-east-2:${ACCOUNT}:alerts`;
// Short limits where faults are injected, so that hangs cost little time here; roomy ones for the
// clean runs, so that a slow machine is not mistaken for a fault (the defaults are seconds: aws/deadline).
const SHORT = {
  clients: { timeouts: { connectionMs: 500, requestMs: 700, callMs: 1_500 }, maxAttempts: 4 },
  remainingMs: 4_000,
  timing: { publishReserveMs: 1_500, finishMarginMs: 100, minCollectMs: 200 },
};
const ROOMY = {
  clients: { timeouts: { connectionMs: 2_000, requestMs: 5_000, callMs: 10_000 }, maxAttempts: 4 },
  remainingMs: 30_000,
  timing: { publishReserveMs: 10_000, finishMarginMs: 100, minCollectMs: 200 },
};
type Limits = typeof SHORT;

// The endpoint's policy after the fix of phase two: both perimeters closed (CCE.6 and CCE.7 resolve).
const CLOSED_POLICY = JSON.stringify({
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: `arn:aws:codecommit:us-east-2:${ACCOUNT}:*`,
      Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } },
    },
  ],
}).replace(/"/g, '&quot;');
const PHASE_TWO = {
  DescribeVpcEndpoints: (BODIES.DescribeVpcEndpoints ?? '').replace(
    /<policyDocument>.*<\/policyDocument>/,
    `<policyDocument>${CLOSED_POLICY}</policyDocument>`,
  ),
};

beforeAll(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterAll(() => vi.unstubAllEnvs());

/** One emulator and the worker wired to it: scenarios run side by side, each with its own. */
class Scenario {
  /** Each scan a minute after the last: Security Hub keeps the newest UpdatedAt. */
  private clock = Date.parse('2026-11-27T00:00:00.000Z');

  private constructor(readonly emulator: AwsEmulator) {}

  static async start(): Promise<Scenario> {
    return new Scenario(await new AwsEmulator().start());
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }

  /** A worker with real SDK clients on the emulator, under the given limits. */
  worker(limits: Limits = ROOMY, topicArn = TOPIC) {
    const options = { ...limits.clients, endpoint: this.emulator.url };
    const settings = workerSettings(CHECK_IDS, {
      MEMBER_ROLE_NAME: 'auditor-member',
      ALERT_TOPIC_ARN: topicArn,
      AUDIT_PARAMETERS: '{"fipsRequired":"never"}',
    });
    const handler = createWorkerHandler({
      settings,
      catalogue: CATALOGUE,
      credentials: new MemberCredentials(
        this.emulator.tag(makeClient(STSClient, { region: 'us-east-2', ...options })),
        settings.roleName,
        settings.externalId,
      ),
      clients: {
        ec2: this.tagged(clientFactory(EC2Client, options)),
        // CloudTrail (CCE.14) answers no CodeCommit event here, but takes the same faults.
        cloudTrail: this.tagged(clientFactory(CloudTrailClient, options)),
        securityHub: this.tagged(clientFactory(SecurityHubClient, options)),
        sns: { client: this.emulator.tag(makeClient(SNSClient, { region: 'us-east-2', ...options })), topicArn },
      },
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'Test' }),
      now: () => new Date((this.clock += 60_000)).toISOString(),
      sleep: () => Promise.resolve(),
      timing: limits.timing,
    });
    const context = { getRemainingTimeInMillis: () => limits.remainingMs };
    return (records: SQSRecord[]) => handler({ Records: records }, context as never);
  }

  /** A client factory whose clients tell the emulator which fault plan was in force for each call. */
  private tagged<C extends { middlewareStack: { add(m: unknown, o: unknown): void } }>(
    factory: (region: string) => C,
  ): (region: string) => C {
    const made = new WeakSet<C>();
    return (region) => {
      const client = factory(region);
      if (!made.has(client)) made.add(this.emulator.tag(client));
      return client;
    };
  }

  /**
   * One scheduled scan: the task, delivered again while it fails (as SQS does; three deliveries
   * here). Returns how many deliveries it took.
   */
  async scheduledScan(scanId: string, topicArn = TOPIC): Promise<number> {
    const run = this.worker(ROOMY, topicArn);
    for (let delivery = 1; delivery <= 3; delivery++) {
      const response = await run([task(`${scanId}-${delivery}`, scanId)]);
      if (response.batchItemFailures.length === 0) return delivery;
    }
    return Infinity;
  }

  /**
   * What Security Hub holds that counts: the ACTIVE findings (compliance, severity), and that
   * nothing archived is FAILED. (An account-region that could not be read leaves ERROR records,
   * archived once it is read again.)
   */
  hubState(): string[] {
    const records = [...this.emulator.findings.values()].map((f) => ({
      id: f.Id.split('/').slice(3).join('/'),
      compliance: (f.Compliance as { Status?: string } | undefined)?.Status,
      severity: (f.Severity as { Label?: string } | undefined)?.Label,
      active: f.RecordState === 'ACTIVE',
    }));
    expect(records.filter((r) => !r.active && r.compliance !== 'PASSED')).toEqual([]);
    return records
      .filter((r) => r.active)
      .map((r) => `${r.id} ${r.compliance} ${r.severity}`)
      .sort();
  }

  /**
   * Two phases (findings appear; then two are fixed). In each, one delivery of the task meets the
   * faults, then the faults stop and the scan is run until it succeeds (SQS redelivery, or the
   * next scheduled scan).
   */
  async lifecycle(
    plan: FaultPlan,
    topicArn = TOPIC,
    limits: Limits = SHORT,
  ): Promise<{ hub: string[]; alerts: string[] }> {
    for (const [phase, bodies] of [
      ['1', {}],
      ['2', { 'us-east-2': PHASE_TWO }],
    ] as const) {
      this.emulator.ec2Bodies = bodies;
      this.emulator.plan = plan;
      await this.worker(limits, topicArn)([task(`faulty-${phase}`, `scan-${phase}`)]);
      this.emulator.plan = () => undefined;
      expect(await this.scheduledScan(`scan-${phase}b`, topicArn)).toBeLessThanOrEqual(2);
    }
    // CloudTrail was read (CCE.14) under the same faults: never left as ERROR once the scans recover.
    expect(this.emulator.calls.some((call) => call.startsWith('cloudtrail:LookupEvents'))).toBe(true);
    expect(this.hubState().filter((h) => h.startsWith('CCE.14'))).toEqual([]);
    return { hub: this.hubState(), alerts: [...this.emulator.alertKeys()].sort() };
  }
}

/** Run `body` on a fresh scenario, stopped afterwards. */
async function withScenario<T>(body: (scenario: Scenario) => Promise<T>): Promise<T> {
  const scenario = await Scenario.start();
  try {
    return await body(scenario);
  } finally {
    await scenario.stop();
  }
}

function task(id: string, scanId: string): SQSRecord {
  return {
    messageId: id,
    body: JSON.stringify({ scanId, accountId: ACCOUNT, region: 'us-east-2' }),
    attributes: { MessageGroupId: `${ACCOUNT}:us-east-2` },
  } as unknown as SQSRecord;
}

/**
 * Hub entries of the account-level checks (CCE.12–CCE.14), whose organization, IAM and CloudTrail data
 * the emulator does not serve.
 */
const ACCOUNT_LEVEL = /^CCE\.1[2-4]\//;

/** A fault on the first `times` calls of an operation (or of every operation of a service). */
function on(service: Service, operation: string | '*', fault: Fault, times = Infinity): FaultPlan {
  return (call) =>
    call.service === service && (operation === '*' || call.operation === operation) && call.count < times
      ? fault
      : undefined;
}

/** The same lifecycle with no fault at all (computed once). */
let baseline: Promise<{ hub: string[]; alerts: string[] }> | undefined;
function expected(): Promise<{ hub: string[]; alerts: string[] }> {
  baseline ??= withScenario((scenario) => scenario.lifecycle(() => undefined));
  return baseline;
}

describe.concurrent('fault injection: no finding and no alert lost or duplicated', () => {
  it('a fault-free lifecycle: four findings alerted NEW, two of them RESOLVED after the fix', async () => {
    const { hub, alerts } = await expected();
    expect(alerts.filter((a) => a.startsWith('NEW '))).toHaveLength(4);
    expect(alerts.filter((a) => a.startsWith('RESOLVED '))).toHaveLength(2);
    expect(alerts.map((a) => a.split('/')[3])).toEqual(expect.arrayContaining(['CCE.6', 'CCE.7']));
    // vpc-1 has no API endpoint and its route table sends 0.0.0.0/0 to an internet gateway (ec2-xml): CCE.2 HIGH.
    // The emulator speaks EC2 only: the account-level checks (organization and IAM data) are left out here.
    expect(hub.filter((h) => !ACCOUNT_LEVEL.test(h))).toEqual(['CCE.10/vpce-1 FAILED LOW', 'CCE.2/vpc-1 FAILED HIGH']);
  });

  const cases: [string, FaultPlan][] = [
    ['a throttling storm: every operation refused three times', (call) => (call.count < 3 ? 'throttle' : undefined)],
    ['HTTP 500 from every service, twice per operation', (call) => (call.count < 2 ? 'error500' : undefined)],
    ['EC2 DescribeVpcEndpoints hanging', on('ec2', 'DescribeVpcEndpoints', 'hang')],
    ['a malformed DescribeSecurityGroups response', on('ec2', 'DescribeSecurityGroups', 'malformed')],
    ['BatchImportFindings failing half its entries', on('securityhub', 'BatchImportFindings', 'partial')],
    ['PublishBatch failing half its entries', on('sns', 'PublishBatch', 'partial')],
    ['Security Hub down (500 on every call)', on('securityhub', '*', 'error500')],
    ['Security Hub hanging', on('securityhub', '*', 'hang')],
    ['Security Hub answering garbage', on('securityhub', 'GetFindings', 'malformed')],
    ['SNS down (500 on every call)', on('sns', '*', 'error500')],
    ['SNS throttling every call', on('sns', '*', 'throttle')],
    ['SNS hanging', on('sns', '*', 'hang')],
    ['STS hanging', on('sts', '*', 'hang')],
  ];

  it.each(cases)('%s', async (_name, plan) => {
    const [got, want] = await Promise.all([withScenario((scenario) => scenario.lifecycle(plan)), expected()]);
    expect(got.hub).toEqual(want.hub);
    expect(got.alerts).toEqual(want.alerts);
  });

  // SNS took the messages but the answers were lost: a standard topic cannot tell a repeat from a new
  // message, so the alerts come twice; a FIFO topic drops the repeats by their deduplication id.
  it('SNS accepting alerts whose answer is lost: repeated on a standard topic (at least once)', async () => {
    const [got, want] = await Promise.all([
      withScenario((scenario) => scenario.lifecycle(on('sns', '*', 'lost'))),
      expected(),
    ]);
    expect(got.hub).toEqual(want.hub);
    expect([...new Set(got.alerts)].sort()).toEqual(want.alerts);
    // The SDK retries a request that timed out, and the next scan sends what was never confirmed.
    for (const alert of want.alerts) expect(got.alerts.filter((a) => a === alert).length).toBeGreaterThanOrEqual(2);
  });

  it('SNS accepting alerts whose answer is lost: once on a FIFO topic (exactly once)', async () => {
    const [got, want] = await Promise.all([
      withScenario((scenario) => scenario.lifecycle(on('sns', '*', 'lost'), `${TOPIC}.fifo`)),
      expected(),
    ]);
    expect(got.hub).toEqual(want.hub);
    expect(got.alerts).toEqual(want.alerts);
  });

  it('Security Hub storing findings whose answer is lost', async () => {
    const want = await expected();
    const got = await withScenario((scenario) => scenario.lifecycle(on('securityhub', 'BatchImportFindings', 'lost')));
    expect(got.hub).toEqual(want.hub);
    expect(got.alerts).toEqual(want.alerts);
  });

  it('two overlapping scans of one account-region (one FIFO message group) alert once', async () => {
    const want = await expected();
    await withScenario(async (scenario) => {
      const response = await scenario.worker()([task('a', 'scan-1'), task('b', 'scan-2')]);
      expect(response.batchItemFailures).toEqual([]);
      expect([...scenario.emulator.alertKeys()].sort()).toEqual(want.alerts.filter((a) => a.startsWith('NEW ')));
    });
  });

  it('a hanging EC2 call ends within the invocation: collected data published, the rest ERROR', async () => {
    await withScenario(async (scenario) => {
      scenario.emulator.plan = on('ec2', 'DescribeSubnets', 'hang');
      const started = Date.now();
      const response = await scenario.worker(SHORT)([task('a', 'scan-1')]);
      expect(Date.now() - started).toBeLessThan(SHORT.remainingMs);
      expect(response.batchItemFailures).toEqual([]);
      // CCE.11 needs the subnets: ERROR (NOT_AVAILABLE in Security Hub); the other checks published their verdicts.
      expect(scenario.hubState()).toEqual(
        expect.arrayContaining(['CCE.11/vpce-1 NOT_AVAILABLE INFORMATIONAL', 'CCE.6/vpce-1 FAILED HIGH']),
      );
    });
  });
});

describe.concurrent('a hanging AWS call in a CLI scan', () => {
  it('ends the scan with exit 3 at --timeout, the other regions reported', async () => {
    await withScenario(async ({ emulator }) => {
      emulator.plan = (call) => (call.service === 'ec2' && call.region === 'us-east-2' ? 'hang' : undefined);
      const started = Date.now();
      const child = spawn(
        join('node_modules', '.bin', 'tsx'),
        ['functions/cli/main.ts', '--regions', 'us-east-2,eu-west-1', '--format', 'json', '--timeout', '1'],
        {
          env: {
            PATH: process.env.PATH,
            HOME: '/nonexistent',
            AWS_ENDPOINT_URL: emulator.url,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_EC2_METADATA_DISABLED: 'true',
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, stderr).toBe(3);
      expect(Date.now() - started).toBeLessThan(20_000); // the calls' own limit is 45 s: --timeout ended it
      expect(stderr).toMatch(/^incomplete: 123456789012 us-east-2: DescribeVpcs: TimedOut$/m);
      expect(stderr).not.toMatch(/NodeVersionSupportWarning|\n\s+at /);
      const findings = JSON.parse(stdout) as {
        region: string;
        status: string;
        message: string;
        resourceType: string;
      }[];
      // The VPC and endpoint checks (the emulator serves no organization or IAM data for the account-level ones).
      const ireland = findings.filter((f) => f.region === 'eu-west-1' && f.resourceType.startsWith('AWS::EC2::'));
      expect(ireland.length).toBeGreaterThan(0);
      expect(ireland.some((f) => f.status === 'ERROR')).toBe(false);
      const ohio = findings.filter((f) => f.region === 'us-east-2');
      expect(ohio.length).toBeGreaterThan(0);
      expect(ohio.every((f) => f.status === 'ERROR')).toBe(true);
    });
  });
});
