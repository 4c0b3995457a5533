/**
 * `--publish sns --dry-run`: every message a scan would send to SNS, each protocol's variant
 * shown, with no AWS call (a demo or inventory scan needs no credentials at all).
 */
import { previewAlerts, type AlertPreview } from '../publish/index';
import { publishEntry } from '../publish/sns';
import type { CliOptions } from './args';
import type { CliIo, ScanOutcome } from './types';

/** Who reads each key of a MessageStructure=json message. */
const READERS: Record<string, string> = {
  default: 'SMS, Firehose, mobile push and any protocol without its own key',
  email: 'email',
  'email-json': 'email-json',
  sqs: 'SQS',
  lambda: 'Lambda',
  http: 'HTTP',
  https: 'HTTPS: Amazon Q Developer in chat applications, and any HTTPS webhook',
};

const WHEN: Record<AlertPreview['kind'], string> = {
  NEW: 'sent by the first scan with --publish securityhub,sns; later scans send only changes',
  DIGEST: 'sent instead of the NEW alerts by --publish sns alone, or where Security Hub is not enabled',
};

/** A variant as readable text: JSON indented (it is sent compact), text as it is. */
function show(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** One message: its PublishBatch entry, then each distinct variant under the keys that carry it. */
function render(preview: AlertPreview, index: number, total: number, fifo: boolean): string {
  const entry = publishEntry(preview.alert, `alert-${index}`, fifo);
  const attributes = Object.entries(entry.MessageAttributes ?? {}).map(([name, v]) => `${name}=${v.StringValue ?? ''}`);
  const variants = new Map<string, string[]>();
  for (const [key, value] of Object.entries(JSON.parse(entry.Message ?? '{}') as Record<string, string>)) {
    variants.set(value, [...(variants.get(value) ?? []), key]);
  }
  return [
    `=== Message ${index + 1} of ${total}: ${preview.kind}, ${WHEN[preview.kind]} ===`,
    `Subject: ${entry.Subject ?? ''}`,
    `MessageStructure: ${entry.MessageStructure ?? ''}`,
    `MessageAttributes: ${attributes.join(', ')}`,
    ...(entry.MessageGroupId ? [`MessageGroupId: ${entry.MessageGroupId}`] : []),
    ...(entry.MessageDeduplicationId ? [`MessageDeduplicationId: ${entry.MessageDeduplicationId}`] : []),
    ...[...variants].flatMap(([value, keys]) => [
      `--- ${keys.join(', ')} (${keys.map((k) => READERS[k] ?? k).join('; ')}) ---`,
      show(value),
    ]),
    '',
  ].join('\n');
}

export function printDryRun(
  outcome: ScanOutcome,
  options: CliOptions,
  io: CliIo,
  note: (text: string) => void = io.stderr,
): void {
  const previews = previewAlerts(outcome.scopes, outcome.findings);
  const topic = options.topic?.arn;
  note(
    `dry run: nothing is sent and no AWS call is made to publish; the ${previews.length} message(s) ` +
      `${topic ? `for ${topic} ` : ''}follow on stdout\n`,
  );
  note(
    'dry run: with no Security Hub to compare against, every FAILED finding is NEW (as on the first scan with ' +
      'Security Hub); each account-region also shows its digest\n',
  );
  if (options.publish.includes('securityhub'))
    note('dry run: nothing is imported into Security Hub (--format asff prints what would be)\n');
  const fifo = options.topic?.fifo ?? false;
  previews.forEach((preview, index) => io.stdout(render(preview, index, previews.length, fifo)));
}
