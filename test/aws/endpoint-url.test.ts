/**
 * A live scan through AWS_ENDPOINT_URL, as against LocalStack or any AWS API emulator:
 * a small emulator on 127.0.0.1 answers STS and EC2 in their wire protocols, and the real
 * CLI process scans it with dummy credentials.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/core/finding';
import { BODIES, NS } from '../fixtures/ec2-xml';
import { CATALOGUE } from '../../functions/checks/index';

let server: Server;
let url: string;
/** The actions each caller made, by the access key id it signed with (one per process). */
const actions = new Map<string, string[]>();
function record(req: { headers: Record<string, unknown> }, action: string): void {
  const key = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
  actions.set(key, [...(actions.get(key) ?? []), action]);
}
/** The JSON bodies of PutEvaluations calls the emulator received. */
const evaluations: {
  Evaluations: { ComplianceResourceType: string; ComplianceResourceId: string; ComplianceType: string }[];
}[] = [];

/** IAM's query-protocol (XML) answers: one user with an inline GitPull policy (URL-encoded, as IAM sends it) and an Active HTTPS Git credential. */
const IAM_NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';
const GIT_POLICY = encodeURIComponent(
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"codecommit:GitPull","Resource":"*"}]}',
);
const IAM_RESULTS: Record<string, string> = {
  GetAccountAuthorizationDetails:
    `<IsTruncated>false</IsTruncated><UserDetailList><member><Path>/</Path><UserName>alice</UserName>` +
    `<UserId>AIDAEXAMPLEALICE</UserId><Arn>arn:aws:iam::123456789012:user/alice</Arn>` +
    `<CreateDate>2024-05-06T07:08:09Z</CreateDate><GroupList/><AttachedManagedPolicies/>` +
    `<UserPolicyList><member><PolicyName>git</PolicyName><PolicyDocument>${GIT_POLICY}</PolicyDocument></member>` +
    `</UserPolicyList></member></UserDetailList><GroupDetailList/><RoleDetailList/><Policies/>`,
  ListServiceSpecificCredentials:
    `<ServiceSpecificCredentials><member><UserName>alice</UserName><Status>Active</Status>` +
    `<ServiceUserName>alice-at-123456789012</ServiceUserName><CreateDate>2024-05-06T07:08:09Z</CreateDate>` +
    `<ServiceSpecificCredentialId>ACCAEXAMPLE</ServiceSpecificCredentialId>` +
    `<ServiceName>codecommit.amazonaws.com</ServiceName></member></ServiceSpecificCredentials>` +
    `<IsTruncated>false</IsTruncated>`,
  ListSSHPublicKeys: `<SSHPublicKeys/><IsTruncated>false</IsTruncated>`,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      // AWS Config speaks JSON, its operation named in X-Amz-Target.
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('StarlingDoveService.')) {
        const operation = target.slice('StarlingDoveService.'.length);
        record(req, operation);
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        if (operation === 'PutEvaluations') evaluations.push(JSON.parse(body) as (typeof evaluations)[number]);
        res.end(operation === 'PutEvaluations' ? '{"FailedEvaluations":[]}' : '{"EvaluationResults":[]}');
        return;
      }
      // CloudTrail speaks JSON: one CodeCommit pull from a public address in the window.
      if (target === 'CloudTrail_20131101.LookupEvents') {
        record(req, 'LookupEvents');
        const input = JSON.parse(body) as { LookupAttributes?: { AttributeValue?: string }[]; StartTime?: number };
        const time = new Date((input.StartTime ?? 0) * 1000 + 60_000);
        const event = {
          eventVersion: '1.08',
          userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' },
          eventTime: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          eventSource: 'codecommit.amazonaws.com',
          eventName: 'GitPull',
          awsRegion: 'us-east-2',
          sourceIPAddress: '203.0.113.12',
          eventID: 'e-1',
          recipientAccountId: '123456789012',
        };
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(
          JSON.stringify({
            Events:
              input.LookupAttributes?.[0]?.AttributeValue === 'codecommit.amazonaws.com'
                ? [
                    {
                      EventId: 'e-1',
                      EventName: 'GitPull',
                      EventTime: time.getTime() / 1000,
                      CloudTrailEvent: JSON.stringify(event),
                    },
                  ]
                : [],
          }),
        );
        return;
      }
      // AWS Organizations speaks JSON too: the emulated account is in no organization.
      if (target.startsWith('AWSOrganizationsV20161128.')) {
        record(req, target.slice('AWSOrganizationsV20161128.'.length));
        res.statusCode = 400;
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.setHeader('x-amzn-errortype', 'AWSOrganizationsNotInUseException');
        res.end(
          '{"__type":"AWSOrganizationsNotInUseException","Message":"Your account is not a member of an organization."}',
        );
        return;
      }
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      record(req, action);
      res.setHeader('content-type', 'text/xml');
      if (params.get('Version') === '2010-05-08' && IAM_RESULTS[action] !== undefined) {
        res.end(
          `<${action}Response ${IAM_NS}><${action}Result>${IAM_RESULTS[action]}</${action}Result>` +
            `<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`,
        );
        return;
      }
      if (action === 'GetCallerIdentity') {
        res.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
        return;
      }
      const inner = BODIES[action];
      if (inner === undefined) {
        res.statusCode = 400;
        res.end(
          `<Response><Errors><Error><Code>InvalidAction</Code><Message>${action} is not implemented</Message></Error></Errors><RequestID>r</RequestID></Response>`,
        );
        return;
      }
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><${action}Response ${NS}><requestId>r</requestId>${inner}</${action}Response>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function cli(
  args: string[],
  entry = 'functions/cli/main.ts',
  accessKeyId = 'test',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), [entry, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: '/nonexistent',
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-2',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// The scan and the invocations are separate processes: they run side by side.
describe.concurrent('live scan through AWS_ENDPOINT_URL', () => {
  it('scans the emulator and reports every finding', async () => {
    const { code, stdout, stderr } = await cli(['--format', 'json', '--stats']);
    expect(code, stderr).toBe(0);
    const findings = JSON.parse(stdout) as Finding[];
    // Every check of the catalogue reports; these are the outcomes of the first eleven, and CloudTrail's.
    expect(findings).toHaveLength(CATALOGUE.length);
    expect(findings.map((f) => `${f.checkId} ${f.status}`)).toEqual(
      expect.arrayContaining([
        'CCE.1 PASSED',
        'CCE.2 FAILED',
        'CCE.3 NOT_APPLICABLE',
        'CCE.4 PASSED',
        'CCE.5 PASSED',
        'CCE.6 FAILED',
        'CCE.7 FAILED',
        'CCE.8 NOT_APPLICABLE',
        'CCE.9 PASSED',
        'CCE.10 FAILED',
        'CCE.11 PASSED',
        'CCE.14 FAILED',
      ]),
    );
    expect(findings.find((f) => f.checkId === 'CCE.1')).toMatchObject({
      accountId: '123456789012',
      region: 'us-east-2',
      resourceId: 'vpc-1',
    });
    // Account-level data collected too (the organization, IAM): no check is left without its data.
    expect(findings.filter((f) => f.status === 'ERROR')).toEqual([]);
    // The IAM user came through the real IAM wire format, her policy URL-decoded.
    expect(findings.find((f) => f.checkId === 'CCE.13')?.resourceArn).toBe('arn:aws:iam::123456789012:user/alice');
    const made = actions.get('test') ?? [];
    expect(new Set(made.filter((a) => a.startsWith('Describe') && a !== 'DescribeOrganization'))).toEqual(
      new Set([
        'DescribeVpcs',
        'DescribeVpcEndpointServices',
        'DescribeVpcEndpoints',
        'DescribeSecurityGroups',
        'DescribeSubnets',
        'DescribeRouteTables', // vpc-1 has no API endpoint: where its traffic goes weighs CCE.2
      ]),
    );
    expect(made).toEqual(
      expect.arrayContaining([
        'GetCallerIdentity',
        'DescribeOrganization',
        'GetAccountAuthorizationDetails',
        'ListServiceSpecificCredentials',
      ]),
    );
    // Every request the emulator saw is counted, once.
    expect(stderr).toContain(`API calls (${made.length}):`);
  });

  it("npm run invoke -- config-rule sends the right evaluations for AWS's documented change, oversized and periodic events", async () => {
    evaluations.length = 0;
    const runs = await Promise.all(
      ['aws-doc-change.json', 'aws-doc-oversized.json', 'aws-doc-scheduled.json'].map((file) =>
        cli(['config-rule', `events/config/${file}`], 'functions/cli/invoke.ts', `invoke-${file}`),
      ),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const sent = evaluations.flatMap((e) =>
      e.Evaluations.map((x) => `${x.ComplianceResourceType} ${x.ComplianceResourceId} ${x.ComplianceType}`),
    );
    expect(sent.sort()).toEqual([
      'AWS::EC2::Instance i-00000000 NOT_APPLICABLE',
      'AWS::EC2::Instance i-00000000 NOT_APPLICABLE',
      'AWS::EC2::VPC vpc-1 COMPLIANT',
    ]);
  });
});
