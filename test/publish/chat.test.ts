import { PublishBatchCommand, SNSClient, type PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/core/finding';
import { CHAT_LIMITS, escapeSlack, type ChatNotification } from '../../functions/publish/chat';
import {
  alertFor,
  digestFor,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  publishAlerts,
  publishEntry,
  type Alert,
} from '../../functions/publish/sns';
import type { Transition } from '../../functions/publish/transitions';
import awsFullSample from '../fixtures/chatbot/aws-doc-sample-full.json';
import awsMinimalSample from '../fixtures/chatbot/aws-doc-sample-minimal.json';
import { chatSchemaErrors } from '../fixtures/chatbot/schema';
import { acceptingTopic } from '../fixtures/fake-sns';

const ID = 'codecommit-endpoint-auditor/123456789012/us-east-2/CCE.7/vpce-0abc';
const LINK_PREFIX = 'https://console.aws.amazon.com/securityhub/home?region=us-east-2#/findings?search=';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    checkId: 'CCE.7',
    title: 'Endpoint policy has no resource perimeter',
    status: 'FAILED',
    severity: 'HIGH',
    accountId: '123456789012',
    region: 'us-east-2',
    resourceType: 'AWS::EC2::VPCEndpoint',
    resourceId: 'vpce-0abc',
    resourceArn: 'arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-0abc',
    vpcId: 'vpc-0abc',
    message: 'Statement "OrgPrincipals" lets requests reach repositories outside account 123456789012.',
    remediation:
      'Enable private DNS: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-0abc --private-dns-enabled.',
    ...overrides,
  };
}

function transition(kind: Transition['kind'], f: Finding = finding(), previousSeverity?: Finding['severity']) {
  const state = kind === 'RESOLVED' ? 'NONE' : `FAILED:${f.severity}`;
  return { kind, finding: f, findingId: ID, key: `${ID}|${state}`, previousSeverity };
}

/** The Message of an alert, by protocol key. */
function variants(alert: Alert): Record<string, string> {
  return JSON.parse(alert.message) as Record<string, string>;
}

function chatOf(alert: Alert): ChatNotification {
  return JSON.parse(variants(alert).https ?? '') as ChatNotification;
}

/** A policy of nearly AWS's 20,480 characters, and a finding whose proven fix is that policy. */
function largestPolicyFinding(): Finding {
  const statements: unknown[] = [];
  let policy = '';
  for (let i = 0; ; i++) {
    statements.push({
      Sid: `S${i}`,
      Effect: 'Allow',
      Principal: '*',
      Action: ['codecommit:GitPull'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    });
    const next = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    if (next.length > 20_480) break;
    policy = next;
  }
  return finding({
    remediation: `Add a Deny for repositories outside account 123456789012, keeping every other statement: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-0abc --policy-document '${policy}'`,
    fix: { policyDocument: policy },
  });
}

describe('the vendored schema', () => {
  it("accepts AWS's own samples", () => {
    expect(chatSchemaErrors(awsFullSample)).toBe('');
    expect(chatSchemaErrors(awsMinimalSample)).toBe('');
  });

  it('rejects what the format does not allow', () => {
    expect(chatSchemaErrors({ ...awsMinimalSample, version: '2.0' })).toContain('must be equal to constant');
    expect(
      chatSchemaErrors({ ...awsFullSample, content: { ...awsFullSample.content, title: 'x'.repeat(251) } }),
    ).toContain('must NOT have more than 250 characters');
    expect(
      chatSchemaErrors({ ...awsFullSample, content: { ...awsFullSample.content, keywords: ['k'.repeat(76)] } }),
    ).toContain('must NOT have more than 75 characters');
    expect(chatSchemaErrors({ version: '1.0', source: 'custom', content: {} })).toContain(
      "must have required property 'description'",
    );
  });
});

describe('chat notifications', () => {
  it('NEW: severity, check and resource in the title; where, why and how to fix in the description', () => {
    const chat = chatOf(alertFor(transition('NEW')));
    expect(chatSchemaErrors(chat)).toBe('');
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      id: `${ID}|FAILED:HIGH`,
      content: {
        textType: 'client-markdown',
        title: ':red_circle: [HIGH] CCE.7 Endpoint policy has no resource perimeter: vpce-0abc',
        keywords: ['CCE.7', 'HIGH', '123456789012'],
      },
      metadata: {
        threadId: ID,
        summary: 'CCE.7 vpce-0abc (123456789012 us-east-2)',
        eventType: 'codecommit-endpoint-auditor-new',
        relatedResources: ['arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-0abc'],
      },
    });
    expect(chat.content.description.split('\n')).toEqual([
      '*New HIGH finding:* Endpoint policy has no resource perimeter',
      '*Where:* account 123456789012, region us-east-2, VPC vpc-0abc',
      '*Resource:* AWS::EC2::VPCEndpoint vpce-0abc',
      '*Why:* Statement "OrgPrincipals" lets requests reach repositories outside account 123456789012.',
      '*How to fix:* Enable private DNS: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-0abc --private-dns-enabled.',
    ]);
    const [command, link] = chat.content.nextSteps;
    expect(command).toBe(finding().remediation);
    expect(link).toMatch(
      /^<https:\/\/console\.aws\.amazon\.com\/securityhub\/home\?region=us-east-2#\/findings\?search=/,
    );
    expect(link).toContain(encodeURIComponent(ID));
    expect(link).toMatch(/\|Open the finding in Security Hub>$/);
  });

  it('RESOLVED threads with the NEW alert of its finding, and says what it was', () => {
    const opened = chatOf(alertFor(transition('NEW')));
    const resolved = chatOf(
      alertFor(
        transition('RESOLVED', finding({ status: 'PASSED', message: 'The policy now has a perimeter.' }), 'HIGH'),
      ),
    );
    expect(chatSchemaErrors(resolved)).toBe('');
    expect(resolved.metadata.threadId).toBe(opened.metadata.threadId);
    expect(resolved.content.title).toBe(
      ':white_check_mark: [RESOLVED, was HIGH] CCE.7 Endpoint policy has no resource perimeter: vpce-0abc',
    );
    expect(resolved.content.description).toContain('*Resolved (was HIGH):*');
    expect(resolved.content.description).toContain('*Now:* The policy now has a perimeter.');
    expect(resolved.content.description).not.toContain('How to fix');
    expect(resolved.content.nextSteps).toHaveLength(1);
    expect(resolved.content.keywords).toEqual(['CCE.7', 'HIGH', '123456789012']);
    expect(resolved.metadata.eventType).toBe('codecommit-endpoint-auditor-resolved');
  });

  it('SEVERITY_CHANGED names both severities and keeps eventType in [a-zA-Z0-9-]', () => {
    const chat = chatOf(alertFor(transition('SEVERITY_CHANGED', finding({ severity: 'CRITICAL' }), 'MEDIUM')));
    expect(chatSchemaErrors(chat)).toBe('');
    expect(chat.content.title).toBe(
      ':rotating_light: [MEDIUM → CRITICAL] CCE.7 Endpoint policy has no resource perimeter: vpce-0abc',
    );
    expect(chat.content.description).toContain('*Severity changed from MEDIUM to CRITICAL:*');
    expect(chat.metadata.eventType).toBe('codecommit-endpoint-auditor-severity-changed');
    expect(chat.metadata.eventType).toMatch(/^[a-zA-Z0-9-]+$/);
    expect(chat.metadata.threadId).toBe(ID);
  });

  it('with a proven fix: says so in one line and gives the command that applies it, not the policy', () => {
    const f = largestPolicyFinding();
    const chat = chatOf(alertFor(transition('NEW', f)));
    expect(chatSchemaErrors(chat)).toBe('');
    const fixLine = chat.content.description.split('\n').find((line) => line.startsWith('*Proven fix:*'));
    expect(fixLine).toBe(
      '*Proven fix:* Add a Deny for repositories outside account 123456789012, keeping every other statement. ' +
        'The auditor applied the corrected policy and judged it again before offering it; it is in the finding: ' +
        '`fix.policyDocument` in the scan output (`--format json`), `codecommit-endpoint-auditor/FixPolicyDocument` ' +
        'in Security Hub (ProductFields).',
    );
    expect(chat.content.nextSteps[0]).toBe(
      'Apply the proven fix, saved as fixed-policy.json: `aws ec2 modify-vpc-endpoint --region us-east-2 ' +
        '--vpc-endpoint-id vpce-0abc --policy-document file://fixed-policy.json`',
    );
    expect(variants(alertFor(transition('NEW', f))).https).not.toContain('EnforceResourcePerimeter');
    expect(variants(alertFor(transition('NEW', f))).https).not.toContain('"Sid');
  });

  it('a remediation too long for a step is not cut there: it stays whole in the description', () => {
    const remediation = `Revoke, then authorize: aws ec2 revoke-security-group-ingress ${'--x y '.repeat(80)}&& aws ec2 authorize-security-group-ingress --cidr VPC_CIDR`;
    const chat = chatOf(alertFor(transition('NEW', finding({ remediation }))));
    expect(chatSchemaErrors(chat)).toBe('');
    expect(chat.content.nextSteps[0]).toBe('Follow *How to fix* above: its commands are too long to repeat in a step.');
    expect(chat.content.description).toContain(`*How to fix:* ${escapeSlack(remediation)}`);
    expect(chat.content.description).toContain('&amp;&amp; aws ec2 authorize-security-group-ingress');
  });

  it('digest: the FAILED findings most severe first, threaded per account-region', () => {
    const findings = [
      finding({ resourceId: 'vpce-low', severity: 'LOW' }),
      finding({ resourceId: 'vpce-passed', status: 'PASSED' }),
      finding({ resourceId: 'vpce-critical', severity: 'CRITICAL' }),
    ];
    const chat = chatOf(digestFor('123456789012', 'us-east-2', findings, 'InvalidAccessException') as Alert);
    expect(chatSchemaErrors(chat)).toBe('');
    expect(chat.content.title).toBe(
      ':rotating_light: [CRITICAL] CodeCommit endpoint digest: 2 FAILED (123456789012 us-east-2)',
    );
    expect(chat.content.description.split('\n')).toEqual([
      '*2 FAILED CodeCommit endpoint findings* in account 123456789012, region us-east-2.',
      'Security Hub is not available in this account-region (InvalidAccessException), so these are all FAILED findings of this scan, not only changes.',
      '',
      `• [CRITICAL] CCE.7 vpce-critical: ${findings[0]?.message ?? ''}`,
      `• [LOW] CCE.7 vpce-low: ${findings[0]?.message ?? ''}`,
    ]);
    expect(chat.content.keywords).toEqual(['DIGEST', 'CRITICAL', '123456789012']);
    expect(chat.content.nextSteps[0]).toContain('`aws securityhub enable-security-hub --region us-east-2`');
    expect(chat.metadata).toMatchObject({
      threadId: 'codecommit-endpoint-auditor/123456789012/us-east-2/digest',
      eventType: 'codecommit-endpoint-auditor-digest',
    });
  });

  it('digest of thousands of findings: within 8,000 characters, the rest counted', () => {
    const many = Array.from({ length: 3000 }, (_, i) => finding({ resourceId: `vpce-${i}`, message: 'm'.repeat(200) }));
    const chat = chatOf(digestFor('123456789012', 'us-east-2', many, 'not enabled') as Alert);
    expect(chatSchemaErrors(chat)).toBe('');
    const lines = chat.content.description.split('\n');
    const listed = lines.filter((l) => l.startsWith('• ')).length;
    expect(listed).toBeGreaterThan(10);
    expect(lines.at(-1)).toBe(`… and ${3000 - listed} more`);
  });
});

describe('hostile text and the size limits', () => {
  const hostile =
    '<!channel> <https://evil.example|click> & @here *bold* _it_ `code` https://x.example www.y.example #general @alice ';
  const longest = finding({
    resourceId: `vpce-*_${hostile}`.repeat(4),
    vpcId: `vpc-${hostile}`,
    message: hostile.repeat(10).slice(0, 256),
    remediation: hostile.repeat(400),
    title: `A title ${hostile}`.repeat(5),
  });

  it.each(['NEW', 'RESOLVED', 'SEVERITY_CHANGED'] as const)(
    '%s at maximum length with Slack markup: valid, escaped, every field within its limit',
    (kind) => {
      const chat = chatOf(alertFor(transition(kind, longest, 'LOW')));
      expect(chatSchemaErrors(chat)).toBe('');
      const texts = [chat.content.title, chat.content.description, ...chat.content.nextSteps, ...chat.content.keywords];
      for (const text of texts) {
        // Only the links the auditor writes itself: none from finding text.
        expect(text.replace(/<https:\/\/console\.aws\.amazon\.com\/[^|>]+\|[^<>]+>/g, '')).not.toMatch(/[<>]/);
        // Every & starts a whole escape: no escape cut in half by a limit.
        expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(text).not.toMatch(/@(here|channel|everyone)/i);
        // Finding text forms no link, channel or mention: a word joiner follows ://, www., # and @.
        expect(text.replace(/<https:\/\/console\.aws\.amazon\.com\/[^|>]+\|[^<>]+>/g, '')).not.toMatch(
          /https?:\/\/(?!console\.aws)|www\.[a-z]|#[a-z]|@[a-z]/i,
        );
      }
      expect(chat.content.title.length).toBeLessThanOrEqual(CHAT_LIMITS.title);
      expect(chat.content.title).toContain('&lt;!channel&gt;');
      expect(chat.content.description.length).toBeLessThanOrEqual(CHAT_LIMITS.description);
      expect(chat.content.description).toContain(
        "&lt;https:\u2060//evil.example|click&gt; &amp; @\u2060here *bold* _it_ 'code'",
      );
      // Resource ids keep their * and _ (no escape exists for them, and they cannot form a link or mention).
      expect(chat.content.description).toContain('*Resource:* AWS::EC2::VPCEndpoint vpce-*_&lt;!channel&gt;');
    },
  );

  it('cuts at any length without splitting an escape', () => {
    for (let n = 100; n < 140; n++) {
      const chat = chatOf(alertFor(transition('NEW', finding({ title: 'x'.repeat(n) + '&'.repeat(200) }))));
      expect(chatSchemaErrors(chat)).toBe('');
      expect(chat.content.title).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(chat.content.title).toMatch(/…: vpce-0abc$/);
    }
  });

  it('an alert whose corrected policy is near 20,480 characters still fits one SNS message', () => {
    const f = largestPolicyFinding();
    const alert = alertFor(transition('NEW', f));
    const bytes = Buffer.byteLength(alert.message);
    expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const machine = JSON.parse(variants(alert).sqs ?? '') as { finding: Finding; shortened: string };
    // The corrected policy is left out of the machine variant rather than cut: a cut policy would be wrong.
    expect(machine.finding.fix).toBeUndefined();
    expect(machine.shortened).toContain('codecommit-endpoint-auditor/FixPolicyDocument');
    expect(machine.finding.remediation).toBe(
      'Add a Deny for repositories outside account 123456789012, keeping every other statement. The corrected policy is in the Security Hub finding (ProductFields codecommit-endpoint-auditor/FixPolicyDocument); apply it with aws ec2 modify-vpc-endpoint --policy-document.',
    );
    expect(variants(alert).email).toContain(`How to fix: ${machine.finding.remediation}`);
    expect(chatSchemaErrors(chatOf(alert))).toBe('');
  });

  it('an ordinary alert keeps the whole finding in its machine variant', () => {
    const f = finding({ fix: { policyDocument: '{"Statement":[]}' } });
    const machine = JSON.parse(variants(alertFor(transition('NEW', f))).lambda ?? '') as Record<string, unknown>;
    expect(machine).toEqual({ transition: 'NEW', findingId: ID, finding: f });
  });

  it('a digest of thousands of findings fits one SNS message and counts what it leaves out', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({ resourceId: `vpce-${i}`, message: 'm'.repeat(200), remediation: 'r'.repeat(1000) }),
    );
    const digest = digestFor('123456789012', 'us-east-2', many, 'not enabled') as Alert;
    expect(Buffer.byteLength(digest.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const machine = JSON.parse(variants(digest).sqs ?? '') as { findings: Finding[]; omitted: number };
    expect(machine.findings.length).toBeGreaterThan(10);
    expect(machine.findings.length + machine.omitted).toBe(3000);
    expect(variants(digest).default?.split('\n').at(-1)).toBe(`- … and ${machine.omitted} more`);
  });

  it('counts the chat variant when it batches: two alerts that fit one call without it go in two', async () => {
    const sns = acceptingTopic();
    try {
      const alerts = Array.from({ length: 4 }, (_, i) =>
        alertFor({
          ...transition('NEW', finding({ resourceId: `vpce-${i}`, remediation: 'r'.repeat(21_000) })),
          key: `k-${i}`,
        }),
      );
      const bytes = (e: PublishBatchRequestEntry): number =>
        Buffer.byteLength(e.Message ?? '') +
        Buffer.byteLength(e.Subject ?? '') +
        Buffer.byteLength(JSON.stringify(e.MessageAttributes));
      for (const alert of alerts) {
        const entry = publishEntry(alert, 'a', false);
        const withoutChat = { ...entry, Message: JSON.stringify({ ...variants(alert), https: undefined }) };
        // Without its chat variant an alert is under half a call; with it, over.
        expect(bytes(withoutChat)).toBeLessThanOrEqual(MAX_BATCH_BYTES / 2);
        expect(bytes(entry)).toBeGreaterThan(MAX_BATCH_BYTES / 2);
      }
      const topic = 'arn:aws:sns:us-east-2:123456789012:alerts';
      const outcome = await publishAlerts(new SNSClient({ region: 'us-east-2' }), topic, alerts, {
        sleep: () => Promise.resolve(),
      });
      expect(outcome.sent).toBe(4);
      const calls = sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input.PublishBatchRequestEntries ?? []);
      expect(calls.map((entries) => entries.length)).toEqual([1, 1, 1, 1]);
      for (const entries of calls)
        expect(entries.reduce((sum, e) => sum + bytes(e), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    } finally {
      sns.restore();
    }
  });
});

describe('what each protocol receives', () => {
  it('default and email: readable text; email-json, sqs, lambda, http: the finding JSON; https: the chat card', () => {
    const alert = alertFor(transition('NEW'));
    const message = variants(alert);
    expect(Object.keys(message)).toEqual(['default', 'email', 'email-json', 'sqs', 'lambda', 'http', 'https']);
    expect(message.default).toBe(message.email);
    for (const key of ['email-json', 'sqs', 'lambda', 'http'])
      expect(JSON.parse(message[key] ?? '')).toEqual({ transition: 'NEW', findingId: ID, finding: finding() });
    expect(JSON.parse(message.https ?? '')).toMatchObject({ version: '1.0', source: 'custom' });
    expect(publishEntry(alert, 'a', false)).toMatchObject({ MessageStructure: 'json', Message: alert.message });
  });

  it('the email reads as before: what, where, why, how to fix, the link', () => {
    const email = variants(alertFor(transition('NEW'))).email ?? '';
    expect(email.split('\n')).toEqual([
      'NEW: CCE.7 Endpoint policy has no resource perimeter',
      'New HIGH finding.',
      '',
      'Where: AWS::EC2::VPCEndpoint vpce-0abc in VPC vpc-0abc, account 123456789012, region us-east-2',
      'Resource: arn:aws:ec2:us-east-2:123456789012:vpc-endpoint/vpce-0abc',
      'Why: Statement "OrgPrincipals" lets requests reach repositories outside account 123456789012.',
      `How to fix: ${finding().remediation}`,
      `Security Hub: ${LINK_PREFIX}${encodeURIComponent(`Id=\\operator\\:EQUALS\\:${ID}`)}`,
    ]);
  });

  it('the email of an account-level finding names no VPC', () => {
    const account = finding({
      checkId: 'CCE.12',
      title: 'Account lets CodeCommit be used from outside your networks',
      resourceType: 'AWS::::Account',
      resourceId: '123456789012',
      resourceArn: 'arn:aws:iam::123456789012:root',
      vpcId: '',
    });
    const email = variants(alertFor(transition('NEW', account))).email ?? '';
    expect(email).toContain('Where: AWS::::Account 123456789012, account 123456789012, region us-east-2\n');
    const chat = chatOf(alertFor(transition('NEW', account)));
    expect(chat.content.description).toContain('*Where:* account 123456789012, region us-east-2\n');
  });
});
