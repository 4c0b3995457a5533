/**
 * SNS alerts on transitions only (NEW, RESOLVED, SEVERITY_CHANGED): a re-scan that finds
 * nothing new sends nothing. Without Security Hub (no previous state), one digest per
 * account-region scan lists the FAILED findings. Each message carries a variant per protocol
 * (MessageStructure json): readable text for email (and `default`), the finding as JSON for
 * SQS, Lambda, HTTP and email-json, and a chat notification for `https`, where Amazon Q
 * Developer in chat applications subscribes. Every message fits SNS's 256 KB; PublishBatch
 * with ≤10 entries and ≤256 KB a call; failed entries retried, then reported.
 */
import { createHash } from 'node:crypto';
import {
  PublishBatchCommand,
  type MessageAttributeValue,
  type PublishBatchRequestEntry,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { severityRank, truncate, type Finding } from '../core/finding';
import type { CallCounter } from '../core/call-counter';
import { FIX_FIELD } from './asff';
import { failedEntries, sendWithRetries, splitBatches } from './batches';
import { chatForDigest, chatForTransition } from './chat';
import { securityHubLink, type ReportLink } from './links';
import type { Transition } from './transitions';

export { securityHubLink } from './links';

export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_BATCH_BYTES = 256 * 1024;
/** SNS takes at most 256 KB a message, body and attributes together. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** SNS takes a Subject of ASCII text, no line break or control character, under 100 characters. */
export const MAX_SUBJECT = 99;

/** A subject SNS accepts: printable ASCII (anything else becomes `?`), cut with `...` to MAX_SUBJECT. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= MAX_SUBJECT ? ascii : `${ascii.slice(0, MAX_SUBJECT - 3)}...`;
}

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

const LABEL = { NEW: 'NEW', RESOLVED: 'RESOLVED', SEVERITY_CHANGED: 'SEVERITY CHANGED' } as const;

export function subjectFor(t: Transition): string {
  const f = t.finding;
  const severity = t.kind === 'RESOLVED' ? 'RESOLVED' : f.severity;
  const base = `[${severity}] ${f.checkId} ${f.title}: ${f.resourceId} (${f.accountId} ${f.region})`;
  if (base.length <= MAX_SUBJECT) return snsSubject(base);
  // Keep the part that says where: shorten the title first.
  const where = `: ${f.resourceId} (${f.accountId} ${f.region})`;
  const head = `[${severity}] ${f.checkId} `;
  const room = Math.max(10, MAX_SUBJECT - head.length - where.length);
  const title = f.title.length <= room ? f.title : `${f.title.slice(0, room - 3)}...`;
  return snsSubject(`${head}${title}${where}`);
}

function textBody(t: Transition, report: ReportLink | undefined): string {
  const f = t.finding;
  const what =
    t.kind === 'NEW'
      ? `New ${f.severity} finding.`
      : t.kind === 'RESOLVED'
        ? `Resolved (was ${t.previousSeverity ?? 'FAILED'}).`
        : `Severity changed from ${t.previousSeverity ?? '?'} to ${f.severity}.`;
  const vpc = f.vpcId ? ` in VPC ${f.vpcId}` : '';
  return [
    `${LABEL[t.kind]}: ${f.checkId} ${f.title}`,
    what,
    '',
    `Where: ${f.resourceType} ${f.resourceId}${vpc}, account ${f.accountId}, region ${f.region}`,
    `Resource: ${f.resourceArn}`,
    `Why: ${f.message}`,
    ...(t.kind === 'RESOLVED' ? [] : [`How to fix: ${f.remediation}`]),
    `Security Hub: ${securityHubLink(f)}`,
    ...(report ? [`Scan report: ${report.console}`] : []),
  ].join('\n');
}

function attributes(values: Record<string, string>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key, { DataType: 'String', StringValue: value }]),
  );
}

/**
 * The message of every protocol: SNS delivers a protocol's own key, else `default`. Email and
 * `default` (SMS, Firehose, mobile push) read text, the machine subscribers the JSON, and `https`
 * the chat notification (an HTTPS webhook on the topic receives it too).
 */
function envelope(text: string, json: string, chat: string): string {
  return JSON.stringify({
    default: text,
    email: text,
    'email-json': json,
    sqs: json,
    lambda: json,
    http: json,
    https: chat,
  });
}

function fits(alert: Alert): boolean {
  return entryBytes(publishEntry(alert, 'alert-0', false)) <= MAX_MESSAGE_BYTES;
}

/** Said in the JSON of an alert whose finding had to be shortened to fit one SNS message. */
const SHORTENED =
  "fix and the remediation's command left out: the message would exceed 256 KB. The corrected policy is in " +
  `the Security Hub finding (ProductFields ${FIX_FIELD}) and in the scan output (fix.policyDocument).`;

/** The finding without its corrected policy, and its remediation in words: what still fits a message. */
function shortened(f: Finding): Finding {
  const { fix, ...rest } = f;
  const at = f.remediation.indexOf('aws ec2 modify-vpc-endpoint');
  const remediation =
    fix && at > 0
      ? `${f.remediation.slice(0, at).replace(/[:.\s]+$/, '')}. The corrected policy is in the Security Hub finding (ProductFields ${FIX_FIELD}); apply it with aws ec2 modify-vpc-endpoint --policy-document.`
      : f.remediation;
  return { ...rest, remediation: truncate(remediation, 4000) };
}

export function alertFor(t: Transition): Alert {
  return transitionAlert(t, undefined);
}

/** Alerts whose readable text also links to the scan's report of the account-region (when one was written). */
export function linkedAlertFor(report: ReportLink | undefined): (t: Transition) => Alert {
  return (t) => transitionAlert(t, report);
}

function transitionAlert(t: Transition, report: ReportLink | undefined): Alert {
  const f = t.finding;
  const chat = JSON.stringify(chatForTransition(t));
  const build = (finding: Finding, note?: string): Alert => {
    const json = JSON.stringify({
      transition: t.kind,
      findingId: t.findingId,
      previousSeverity: t.previousSeverity,
      finding,
      ...(note ? { shortened: note } : {}),
    });
    return {
      key: t.key,
      subject: subjectFor(t),
      message: envelope(textBody({ ...t, finding }, report), json, chat),
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
  };
  // A corrected policy near AWS's 20,480 characters, in the remediation and the fix of every variant, would not fit.
  const whole = build(f);
  return fits(whole) ? whole : build(shortened(f), SHORTENED);
}

/**
 * One message listing the FAILED findings of a scan, for accounts without Security Hub. When they
 * do not all fit one SNS message, the first ones are listed and the rest counted (`omitted`). With
 * `report`, every variant links to the scan's report of the account-region.
 */
export function digestFor(
  accountId: string,
  region: string,
  findings: readonly Finding[],
  reason: string,
  report?: ReportLink,
): Alert | undefined {
  const failed = findings.filter((f) => f.status === 'FAILED');
  const top = failed.reduce<Finding | undefined>(
    (a, b) => (a === undefined || severityRank(b.severity) > severityRank(a.severity) ? b : a),
    undefined,
  );
  if (top === undefined) return undefined;
  const chat = JSON.stringify(chatForDigest(accountId, region, failed, reason, top.severity, report));
  const build = (listed: number): Alert => {
    const lines = failed.slice(0, listed).map((f) => `- [${f.severity}] ${f.checkId} ${f.resourceId}: ${f.message}`);
    if (listed < failed.length) lines.push(`- … and ${failed.length - listed} more`);
    const text = [
      `Digest: ${failed.length} FAILED CodeCommit endpoint findings in account ${accountId}, region ${region}.`,
      `Security Hub is not available in this account-region (${reason}), so these are all FAILED findings of this scan, not only changes.`,
      ...(report
        ? [`Full report, every finding with its fix: ${report.console}`, `(${report.html}; CSV: ${report.csv})`]
        : []),
      '',
      ...lines,
    ].join('\n');
    const json = JSON.stringify({
      transition: 'DIGEST',
      accountId,
      region,
      findings: failed.slice(0, listed),
      ...(listed < failed.length ? { omitted: failed.length - listed } : {}),
      ...(report ? { report } : {}),
    });
    return {
      key: `digest|${accountId}|${region}`,
      subject: snsSubject(
        `[${top.severity}] CodeCommit endpoint digest: ${failed.length} FAILED (${accountId} ${region})`,
      ),
      message: envelope(text, json, chat),
      attributes: {
        severity: top.severity,
        checkId: 'DIGEST',
        accountId,
        region,
        transition: 'DIGEST',
        status: 'FAILED',
      },
    };
  };
  let listed = failed.length;
  for (;;) {
    const digest = build(listed);
    const bytes = entryBytes(publishEntry(digest, 'alert-0', false));
    if (bytes <= MAX_MESSAGE_BYTES || listed === 0) return digest;
    // The size grows about linearly with the findings listed: aim just under the limit.
    listed = Math.min(listed - 1, Math.floor((listed * MAX_MESSAGE_BYTES) / bytes));
  }
}

/**
 * One PublishBatch entry. On a FIFO topic, SNS drops a message whose deduplication id it saw in
 * the last five minutes: the id is the alert's key (finding and state), so an alert sent again
 * after a failure to record it is not delivered twice.
 */
export function publishEntry(alert: Alert, id: string, fifo: boolean): PublishBatchRequestEntry {
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
    alerts.map((alert, index) => publishEntry(alert, `alert-${index}`, topicArn.endsWith('.fifo'))),
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
        failed: failedEntries(batch, response.Failed),
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
