/**
 * Chat alerts through the real SDK stack: publishScan against the AWS emulator (Security Hub and
 * SNS in their wire protocols), which checks what SNS checks of a MessageStructure=json message
 * (a JSON object of strings with a `default`) and refuses a PublishBatch call over 256 KB.
 */
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeClient } from '../../functions/aws/clients';
import type { Finding } from '../../functions/core/finding';
import type { ScopeInventory } from '../../functions/core/inventory';
import { publishScan, type PublishTargets } from '../../functions/publish/index';
import { AwsEmulator, type DeliveredAlert } from '../fixtures/aws-emulator';
import { chatSchemaErrors } from '../fixtures/chatbot/schema';

const ACCOUNT = '123456789012';
const TOPIC = `arn:aws:sns:us-east-2:${ACCOUNT}:alerts`;
const SCOPE: ScopeInventory = { accountId: ACCOUNT, region: 'us-east-2', vpcs: [], vpcEndpoints: [] };
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

function finding(resourceId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return {
    checkId: 'CCE.6',
    title: 'Endpoint policy has no identity perimeter',
    status,
    severity: 'HIGH',
    accountId: ACCOUNT,
    region: 'us-east-2',
    resourceType: 'AWS::EC2::VPCEndpoint',
    resourceId,
    resourceArn: `arn:aws:ec2:us-east-2:${ACCOUNT}:vpc-endpoint/${resourceId}`,
    vpcId: 'vpc-0abc',
    message: 'Statement "Open" lets principals outside account 123456789012 through <@here & co>.',
    remediation: `Add a Deny: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id ${resourceId} --policy-document file://fixed-policy.json`,
    ...extra,
  };
}

let emulator: AwsEmulator;
let targets: PublishTargets;
beforeEach(async () => {
  emulator = await new AwsEmulator().start();
  const options = { region: 'us-east-2', endpoint: emulator.url, credentials: CREDENTIALS, maxAttempts: 2 };
  targets = {
    securityHub: (_account, region) => makeClient(SecurityHubClient, { ...options, region }),
    sns: { client: makeClient(SNSClient, options), topicArn: TOPIC },
  };
});
afterEach(() => emulator.stop());

function publish(findings: Finding[], now: string, to: PublishTargets = targets) {
  return publishScan([SCOPE], findings, to, { now, checksRun: ['CCE.6'], sleep: () => Promise.resolve() });
}

/** What a chat subscription receives of an alert SNS accepted: the `https` value, parsed. */
function chatVariant(alert: DeliveredAlert): unknown {
  expect(alert.messageStructure).toBe('json');
  const message = JSON.parse(alert.message) as Record<string, string>;
  expect(typeof message.default).toBe('string');
  return JSON.parse(message.https ?? '');
}

describe('chat alerts through the emulator', () => {
  it('NEW and RESOLVED: each PublishBatch entry carries a valid chat notification under https, one thread', async () => {
    const first = await publish([finding('vpce-1', 'FAILED'), finding('vpce-2', 'FAILED')], '2026-11-01T00:00:00.000Z');
    expect(first).toMatchObject({ alertsSent: 2, failures: [] });
    const resolved = await publish(
      [finding('vpce-1', 'PASSED'), finding('vpce-2', 'FAILED')],
      '2026-11-02T00:00:00.000Z',
    );
    expect(resolved).toMatchObject({ alertsSent: 1, failures: [] });

    expect(emulator.alerts.map((a) => a.attributes.transition)).toEqual(['NEW', 'NEW', 'RESOLVED']);
    const chats = emulator.alerts.map(chatVariant) as {
      content: { title: string; description: string };
      metadata: { threadId: string };
    }[];
    for (const chat of chats) expect(chatSchemaErrors(chat)).toBe('');
    expect(chats.map((c) => c.content.title)).toEqual([
      ':red_circle: [HIGH] CCE.6 Endpoint policy has no identity perimeter: vpce-1',
      ':red_circle: [HIGH] CCE.6 Endpoint policy has no identity perimeter: vpce-2',
      ':white_check_mark: [RESOLVED, was HIGH] CCE.6 Endpoint policy has no identity perimeter: vpce-1',
    ]);
    expect(chats[2]?.metadata.threadId).toBe(chats[0]?.metadata.threadId);
    expect(chats[1]?.metadata.threadId).not.toBe(chats[0]?.metadata.threadId);
    expect(chats[0]?.content.description).toContain('through &lt;@\u2060here &amp; co&gt;.');
  });

  it('the digest (Security Hub not requested) carries one too', async () => {
    const report = await publish([finding('vpce-1', 'FAILED'), finding('vpce-2', 'FAILED')], 'now', {
      sns: targets.sns,
    });
    expect(report).toMatchObject({ alertsSent: 1, failures: [] });
    const [digest] = emulator.alerts;
    expect(digest?.attributes.transition).toBe('DIGEST');
    const chat = chatVariant(digest as DeliveredAlert);
    expect(chatSchemaErrors(chat)).toBe('');
    expect(chat).toMatchObject({
      content: { title: ':red_circle: [HIGH] CodeCommit endpoint digest: 2 FAILED (123456789012 us-east-2)' },
    });
  });

  it('an alert carrying a corrected policy of nearly 20,480 characters is accepted', async () => {
    const statement = { Effect: 'Allow', Principal: '*', Action: 'codecommit:GitPull', Resource: '*' };
    const policy = JSON.stringify({
      Statement: Array.from({ length: 220 }, (_, i) => ({ Sid: `S${i}`, ...statement })),
    });
    expect(policy.length).toBeGreaterThan(19_000);
    expect(policy.length).toBeLessThanOrEqual(20_480);
    const big = finding('vpce-1', 'FAILED', {
      remediation: `Add a Deny, keeping every other statement: aws ec2 modify-vpc-endpoint --region us-east-2 --vpc-endpoint-id vpce-1 --policy-document '${policy}'`,
      fix: { policyDocument: policy },
    });
    const report = await publish([big], '2026-11-01T00:00:00.000Z');
    expect(report).toMatchObject({ alertsSent: 1, failures: [] });
    expect(chatSchemaErrors(chatVariant(emulator.alerts[0] as DeliveredAlert))).toBe('');
  });

  it('the emulator refuses what SNS refuses: no default, or more than 256 KB in a call', async () => {
    const client = targets.sns?.client as SNSClient;
    const refused = await client.send(
      new PublishBatchCommand({
        TopicArn: TOPIC,
        PublishBatchRequestEntries: [{ Id: 'a', Message: JSON.stringify({ https: '{}' }), MessageStructure: 'json' }],
      }),
    );
    expect(refused.Failed).toEqual([
      expect.objectContaining({
        Id: 'a',
        Code: 'InvalidParameter',
        Message: 'Invalid parameter: Message Structure - No default entry in JSON message body',
      }),
    ]);
    await expect(
      client.send(
        new PublishBatchCommand({
          TopicArn: TOPIC,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'x'.repeat(140_000) },
            { Id: 'b', Message: 'x'.repeat(140_000) },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'BatchRequestTooLongException' });
    expect(emulator.alerts).toEqual([]);
  });
});
