/** Command-line flags (DESIGN section 5), validated into options or a UsageError. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { SEVERITIES, type Severity } from '../core/finding';
import { MAX_LOOKBACK_HOURS } from '../core/params';
import { parseRegionList, parseTopicArn, type TopicArn } from '../core/lists';

export const OUTPUT_FORMATS = ['table', 'json', 'asff', 'csv', 'ocsf', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type PublishTarget = 'securityhub' | 'sns';

export interface CliOptions {
  demo: boolean;
  inventories: string[];
  regions: string[] | 'all' | undefined;
  profile: string | undefined;
  params: string | undefined;
  /** The output formats, in the order given, each once. */
  formats: OutputFormat[];
  /** Write every format to a file in this folder (needed for more than one format). */
  outputDir: string | undefined;
  failOn: Severity | undefined;
  saveInventory: string | undefined;
  publish: PublishTarget[];
  topic: TopicArn | undefined;
  reportPassed: boolean;
  /** With --publish sns: print the messages it would send instead of sending them (no AWS call to publish). */
  dryRun: boolean;
  stats: boolean;
  concurrency: number;
  /** Seconds allowed to collect one account-region of a live scan (publishing gets a minute more). */
  timeout: number;
  /** Let --save-inventory and --output-dir replace an existing file. */
  force: boolean;
  /** --since: how far back CloudTrail is read, in whole hours (overrides trafficLookbackHours). */
  sinceHours: number | undefined;
  /** No progress or notes on stderr; warnings and errors still print. */
  quiet: boolean;
  help: boolean;
  version: boolean;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

export const USAGE = `Usage: npm run scan -- [options]
  --demo                              scan the embedded demo account
  --inventory FILE                    scan a recorded inventory (repeatable)
  --regions LIST|all                  live scan of these regions (default: the configured region)
  --profile NAME                      AWS profile for a live scan
  --params FILE|JSON                  parameters (see README, "Parameters")
  --format table|json|asff|csv|ocsf|html
                                      output (default table; one format goes to stdout, progress to stderr);
                                      a comma list (e.g. html,json,csv) needs --output-dir
  --output-dir DIR                    write each format to DIR/codecommit-endpoint-audit-<UTC time>.<ext>
                                      and print the paths (DIR is created; --force to replace a file)
  --fail-on LOW|MEDIUM|HIGH|CRITICAL  exit 1 if a FAILED finding at or above that severity
  --save-inventory FILE               write what a live scan collected (owner-only; --force to replace a file)
  --since DURATION                    how far back CCE.14 reads CloudTrail: 90m, 24h, 7d ... (at most 90d);
                                      overrides the trafficLookbackHours parameter
  --publish securityhub,sns           also publish (live AWS); --topic-arn ARN for SNS
  --topic-arn ARN                     SNS topic for --publish sns (optional with --dry-run)
  --dry-run                           with --publish sns: print to stdout, instead of the findings, every
                                      message it would send (each protocol's variant) and send nothing;
                                      also on --demo and --inventory, with no AWS call and no credentials
  --report-passed                     with --publish securityhub, also import PASSED findings
  --stats                             print API calls per operation (live scans) to stderr
  --concurrency N                     regions scanned at once in a live scan (default 4)
  --timeout SECONDS                   time to collect one region of a live scan (default 120); what is
                                      not collected by then is ERROR and the exit code is 3
  --quiet                             no progress or notes on stderr (warnings and errors still print)
  --version                           print the version
Exit codes: 0 scan completed, 1 --fail-on tripped, 2 bad usage or input, 3 some account-region could not be scanned.`;

const FAIL_ON: readonly Severity[] = SEVERITIES.filter((s) => s !== 'INFORMATIONAL');

/** `--format`: one format or a comma list of them, each once, in the order given. */
function parseFormats(text: string): OutputFormat[] {
  const formats: OutputFormat[] = [];
  for (const item of text.split(',').map((f) => f.trim().toLowerCase())) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(item))
      throw new UsageError(
        `--format ${text}: ${item === '' ? 'an empty format' : JSON.stringify(item)} is not one of table, json, asff, csv, ocsf, html`,
      );
    if (!formats.includes(item as OutputFormat)) formats.push(item as OutputFormat);
  }
  return formats;
}

const SINCE_UNITS = { m: 1, h: 60, d: 24 * 60 } as const;

/**
 * `--since 90m|24h|7d`: more than nothing, at most the 90 days CloudTrail keeps. The look-back is
 * counted in whole hours, so minutes round up (90m reads the last 2 hours).
 */
function parseSince(text: string): number {
  const match = /^(\d{1,6})([mhd])$/.exec(text.trim());
  const minutes = match ? Number(match[1]) * SINCE_UNITS[match[2] as keyof typeof SINCE_UNITS] : Number.NaN;
  if (!(minutes > 0 && minutes <= MAX_LOOKBACK_HOURS * 60))
    throw new UsageError(
      `--since ${text}: expected a duration of whole minutes, hours or days such as 90m, 24h or 7d, more than 0 and at most 90d`,
    );
  return Math.ceil(minutes / 60);
}

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
        'output-dir': { type: 'string' },
        'fail-on': { type: 'string' },
        'save-inventory': { type: 'string' },
        publish: { type: 'string' },
        'topic-arn': { type: 'string' },
        'report-passed': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        stats: { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '4' },
        timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
        force: { type: 'boolean', default: false },
        since: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }

  const formats = parseFormats(values.format);
  const outputDir = values['output-dir'];
  if (outputDir === '') throw new UsageError('--output-dir: expected a folder');
  if (formats.length > 1 && outputDir === undefined)
    throw new UsageError(`--format ${formats.join(',')}: several formats need --output-dir DIR`);
  const sinceHours = values.since === undefined ? undefined : parseSince(values.since);

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
  const dryRun = values['dry-run'];
  if (dryRun && !publish.includes('sns'))
    throw new UsageError('--dry-run prints the messages --publish sns would send: add --publish sns');
  const topicText = values['topic-arn'];
  if (publish.includes('sns') && topicText === undefined && !dryRun)
    throw new UsageError('--publish sns needs --topic-arn ARN');
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
  if (!live && publish.length > 0 && !dryRun)
    throw new UsageError('--publish needs a live scan (--regions), whose credentials belong to the scanned account');
  if (!live && values.profile !== undefined) throw new UsageError('--profile applies to live scans only');

  return {
    demo: values.demo,
    inventories,
    regions,
    profile: values.profile,
    params: values.params,
    formats,
    outputDir,
    failOn,
    saveInventory: values['save-inventory'],
    publish,
    topic,
    reportPassed: values['report-passed'],
    dryRun,
    stats: values.stats,
    concurrency,
    timeout,
    force: values.force,
    sinceHours,
    quiet: values.quiet,
    help: values.help,
    version: values.version,
  };
}
