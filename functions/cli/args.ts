/** Command-line flags (DESIGN section 5), validated into options or a UsageError. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { SEVERITIES, type Severity } from '../core/finding';
import { parseRegionList, parseTopicArn, type TopicArn } from '../core/lists';

export type OutputFormat = 'table' | 'json' | 'asff';
export type PublishTarget = 'securityhub' | 'sns';

export interface CliOptions {
  demo: boolean;
  inventories: string[];
  regions: string[] | 'all' | undefined;
  profile: string | undefined;
  params: string | undefined;
  format: OutputFormat;
  failOn: Severity | undefined;
  saveInventory: string | undefined;
  publish: PublishTarget[];
  topic: TopicArn | undefined;
  reportPassed: boolean;
  stats: boolean;
  concurrency: number;
  /** Seconds allowed to collect one account-region of a live scan (publishing gets a minute more). */
  timeout: number;
  /** Let --save-inventory replace an existing file. */
  force: boolean;
  help: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

export const USAGE = `Usage: npm run scan -- [options]
  --demo                              scan the embedded demo account
  --inventory FILE                    scan a recorded inventory (repeatable)
  --regions LIST|all                  live scan of these regions (default: the configured region)
  --profile NAME                      AWS profile for a live scan
  --params FILE|JSON                  parameters (see README, "Parameters")
  --format table|json|asff            output (default table; json/asff go to stdout, progress to stderr)
  --fail-on LOW|MEDIUM|HIGH|CRITICAL  exit 1 if a FAILED finding at or above that severity
  --save-inventory FILE               write what a live scan collected (owner-only; --force to replace a file)
  --publish securityhub,sns           also publish (live AWS); --topic-arn ARN for SNS
  --topic-arn ARN                     SNS topic for --publish sns
  --report-passed                     with --publish securityhub, also import PASSED findings
  --stats                             print API calls per operation (live scans) to stderr
  --concurrency N                     regions scanned at once in a live scan (default 4)
  --timeout SECONDS                   time to collect one region of a live scan (default 120); what is
                                      not collected by then is ERROR and the exit code is 3
Exit codes: 0 scan completed, 1 --fail-on tripped, 2 bad usage or input, 3 some account-region could not be scanned.`;

const FAIL_ON: readonly Severity[] = SEVERITIES.filter((s) => s !== 'INFORMATIONAL');

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        demo: { type: 'boolean', default: false },
        inventory: { type: 'string', multiple: true, default: [] },
        regions: { type: 'string' },
        profile: { type: 'string' },
        params: { type: 'string' },
        format: { type: 'string', default: 'table' },
        'fail-on': { type: 'string' },
        'save-inventory': { type: 'string' },
        publish: { type: 'string' },
        'topic-arn': { type: 'string' },
        'report-passed': { type: 'boolean', default: false },
        stats: { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '4' },
        timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }

  const format = values.format;
  if (format !== 'table' && format !== 'json' && format !== 'asff')
    throw new UsageError(`--format ${format}: expected table, json or asff`);

  let failOn: Severity | undefined;
  if (values['fail-on'] !== undefined) {
    const upper = values['fail-on'].toUpperCase();
    if (!(FAIL_ON as string[]).includes(upper))
      throw new UsageError(`--fail-on ${values['fail-on']}: expected one of ${FAIL_ON.join(', ')}`);
    failOn = upper as Severity;
  }

  const regions = values.regions === undefined ? undefined : parseRegionList('--regions', values.regions, UsageError);

  const publish: PublishTarget[] = [];
  if (values.publish !== undefined) {
    for (const target of values.publish
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean)) {
      if (target !== 'securityhub' && target !== 'sns')
        throw new UsageError(`--publish: unknown target ${JSON.stringify(target)}; expected securityhub, sns`);
      if (!publish.includes(target)) publish.push(target);
    }
    if (publish.length === 0) throw new UsageError('--publish: expected securityhub, sns or both');
  }
  const topicText = values['topic-arn'];
  if (publish.includes('sns') && topicText === undefined) throw new UsageError('--publish sns needs --topic-arn ARN');
  const topic = topicText === undefined ? undefined : parseTopicArn('--topic-arn', topicText, UsageError);

  const concurrency = /^\d{1,2}$/.test(values.concurrency) ? Number(values.concurrency) : Number.NaN;
  if (!(concurrency >= 1 && concurrency <= 32))
    throw new UsageError(`--concurrency ${values.concurrency}: expected a whole number from 1 to 32`);

  const timeout = /^\d{1,4}$/.test(values.timeout) ? Number(values.timeout) : Number.NaN;
  if (!(timeout >= 1 && timeout <= 3600))
    throw new UsageError(`--timeout ${values.timeout}: expected a whole number of seconds from 1 to 3600`);

  const inventories = values.inventory;
  const sources = [values.demo, inventories.length > 0, regions !== undefined].filter(Boolean).length;
  if (sources > 1) throw new UsageError('choose one source: --demo, --inventory FILE or --regions LIST (a live scan)');
  const live = sources === 0 || regions !== undefined;
  if (!live && values['save-inventory'] !== undefined)
    throw new UsageError(
      '--save-inventory writes what a live scan collected; it does not go with --demo or --inventory',
    );
  if (!live && publish.length > 0)
    throw new UsageError('--publish needs a live scan (--regions), whose credentials belong to the scanned account');
  if (!live && values.profile !== undefined) throw new UsageError('--profile applies to live scans only');

  return {
    demo: values.demo,
    inventories,
    regions,
    profile: values.profile,
    params: values.params,
    format,
    failOn,
    saveInventory: values['save-inventory'],
    publish,
    topic,
    reportPassed: values['report-passed'],
    stats: values.stats,
    concurrency,
    timeout,
    force: values.force,
    help: values.help,
  };
}
