/**
 * SNS alerts on transitions only (NEW, RESOLVED, SEVERITY_CHANGED): a re-scan that finds
 * nothing new sends nothing. Without Security Hub (no previous state), one digest per
 * account-region scan lists the FAILED findings. PublishBatch with ≤10 entries and
 * ≤256 KB a call; failed entries retried, then reported.
 */
import { createHash } from 'node:crypto';
import {
  PublishBatchCommand,
  type MessageAttributeValue,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { truncate, type Finding } from '../core/finding';
import { partitionOf } from '../core/regions';
import type { CallCounter } from '../core/call-counter';
import { findingId } from './asff';
import { failuresOf, sendWithRetries, splitBatches } from './batches';
import type { Transition } from './transitions';

export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BATCH_BYTES = 256 * 1024;
export const MAX_SUBJECT = 100;

export interface Alert {
  /** What the alert announces (finding id and state; a digest's scope): the same for a repeat. */
  key: string;
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

export interface SnsOutcome {
  sent: number;
  /** Keys of the alerts SNS accepted. */
  delivered: Set<string>;
  failed: { id: string; code: string; message: string }[];
}

function consoleHost(region: string): string {
  const partition = partitionOf(region);
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

export function securityHubLink(f: Finding): string {
  const search = encodeURIComponent(`Id=\\operator\\:EQUALS\\:${findingId(f)}`);
  return `https://${consoleHost(f.region)}/securityhub/home?region=${f.region}#/findings?search=${search}`;
}

const LABEL = { NEW: 'NEW', RESOLVED: 'RESOLVED', SEVERITY_CHANGED: 'SEVERITY CHANGED' } as const;

export function subjectFor(t: Transition): string {
  const f = t.finding;
  const severity = t.kind === 'RESOLVED' ? 'RESOLVED' : f.severity;
  const base = `[${severity}] ${f.checkId} ${f.title}: ${f.resourceId} (${f.accountId} ${f.region})`;
  if (base.length <= MAX_SUBJECT) return base;
  // Keep the part that says where: shorten the title first.
  const where = `: ${f.resourceId} (${f.accountId} ${f.region})`;
  const head = `[${severity}] ${f.checkId} `;
  return truncate(
    `${head}${truncate(f.title, Math.max(10, MAX_SUBJECT - head.length - where.length))}${where}`,
    MAX_SUBJECT,
  );
}

function textBody(t: Transition): string {
  const f = t.finding;
  const what =
    t.kind === 'NEW'
      ? `New ${f.severity} finding.`
      : t.kind === 'RESOLVED'
        ? `Resolved (was ${t.previousSeverity ?? 'FAILED'}).`
        : `Severity changed from ${t.previousSeverity ?? '?'} to ${f.severity}.`;
  return [
    `${LABEL[t.kind]}: ${f.checkId} ${f.title}`,
    what,
    '',
    `Where: ${f.resourceType} ${f.resourceId} in VPC ${f.vpcId}, account ${f.accountId}, region ${f.region}`,
    `Resource: ${f.resourceArn}`,
    `Why: ${f.message}`,
    ...(t.kind === 'RESOLVED' ? [] : [`How to fix: ${f.remediation}`]),
    `Security Hub: ${securityHubLink(f)}`,
  ].join('\n');
}

function attributes(values: Record<string, string>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, { DataType: 'String', StringValue: value }]),
  );
}

export function alertFor(t: Transition): Alert {
  const f = t.finding;
  const text = textBody(t);
  const json = JSON.stringify({
    transition: t.kind,
    findingId: t.findingId,
    previousSeverity: t.previousSeverity,
    finding: f,
  });
  return {
    key: t.key,
    subject: subjectFor(t),
    message: JSON.stringify({
      default: text,
      email: text,
      'email-json': json,
      sqs: json,
      lambda: json,
      http: json,
      https: json,
    }),
    attributes: {
      severity: t.kind === 'RESOLVED' ? (t.previousSeverity ?? f.severity) : f.severity,
      checkId: f.checkId,
      accountId: f.accountId,
      region: f.region,
      transition: t.kind,
      status: f.status,
      alertId: t.key,
    },
  };
}

/** One message listing the FAILED findings of a scan, for accounts without Security Hub. */
export function digestFor(
  accountId: string,
  region: string,
  findings: readonly Finding[],
  reason: string,
): Alert | undefined {
  const failed = findings.filter((f) => f.status === 'FAILED');
  if (failed.length === 0) return undefined;
  const lines: string[] = [];
  let size = 0;
  for (const f of failed) {
    const line = `- [${f.severity}] ${f.checkId} ${f.resourceId}: ${f.message}`;
    if (size + line.length > 200_000) {
      lines.push(`- … and ${failed.length - lines.length} more`);
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  const text = [
    `Digest: ${failed.length} FAILED CodeCommit endpoint findings in account ${accountId}, region ${region}.`,
    `Security Hub is not available in this account-region (${reason}), so these are all FAILED findings of this scan, not only changes.`,
    '',
    ...lines,
  ].join('\n');
  const top = failed.reduce((a, b) =>
    ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(b.severity) >
    ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(a.severity)
      ? b
      : a,
  );
  const json = JSON.stringify({ transition: 'DIGEST', accountId, region, findings: failed });
  return {
    key: `digest|${accountId}|${region}`,
    subject: truncate(
      `[${top.severity}] CodeCommit endpoint digest: ${failed.length} FAILED (${accountId} ${region})`,
      MAX_SUBJECT,
    ),
    message: JSON.stringify({
      default: text,
      email: text,
      'email-json': json,
      sqs: json,
      lambda: json,
      http: json,
      https: json,
    }),
    attributes: {
      severity: top.severity,
      checkId: 'DIGEST',
      accountId,
      region,
      transition: 'DIGEST',
      status: 'FAILED',
    },
  };
}

/**
 * One PublishBatch entry. On a FIFO topic, SNS drops a message whose deduplication id it saw in
 * the last five minutes: the id is the alert's key (finding and state), so an alert sent again
 * after a failure to record it is not delivered twice.
 */
function entry(alert: Alert, id: string, fifo: boolean): PublishBatchRequestEntry {
  return {
    Id: id,
    Subject: alert.subject,
    Message: alert.message,
    MessageStructure: 'json',
    MessageAttributes: attributes(alert.attributes),
    ...(fifo
      ? {
          MessageGroupId: `${alert.attributes.accountId ?? 'auditor'}-${alert.attributes.region ?? 'all'}`,
          MessageDeduplicationId: createHash('sha256').update(alert.key).digest('hex'),
        }
      : {}),
  };
}

function entryBytes(e: PublishBatchRequestEntry): number {
  return (
    Buffer.byteLength(e.Message ?? '') +
    Buffer.byteLength(e.Subject ?? '') +
    Buffer.byteLength(JSON.stringify(e.MessageAttributes ?? {}))
  );
}

export async function publishAlerts(
  client: SNSClient,
  topicArn: string,
  alerts: readonly Alert[],
  options: { counter?: CallCounter; sleep?: (ms: number) => Promise<void> } = {},
): Promise<SnsOutcome> {
  const keyOf = new Map(alerts.map((alert, index) => [`alert-${index}`, alert.key]));
  const delivered = new Set<string>();
  const result = await sendWithRetries(
    alerts.map((alert, index) => entry(alert, `alert-${index}`, topicArn.endsWith('.fifo'))),
    (items) => splitBatches(items, MAX_ENTRIES_PER_CALL, MAX_BATCH_BYTES, entryBytes),
    async (batch) => {
      options.counter?.add('PublishBatch');
      const response = await client.send(
        new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch }),
      );
      // Delivered means listed as successful: an entry SNS names in neither list is not counted.
      for (const ok of response.Successful ?? []) {
        const key = keyOf.get(ok.Id ?? '');
        if (key !== undefined) delivered.add(key);
      }
      return {
        succeeded: response.Successful?.length ?? 0,
        failed: failuresOf(
          batch,
          (e) => e.Id,
          response.Failed,
          (f) => ({ id: f.Id, code: f.Code, message: f.Message }),
        ),
      };
    },
    { sleep: options.sleep },
  );
  return {
    sent: result.succeeded,
    delivered,
    failed: result.failed.map((f) => ({ id: f.item.Subject ?? f.item.Id ?? '', code: f.code, message: f.message })),
  };
}
