/**
 * The command line (DESIGN section 5): collect (demo, inventory files or a live scan)
 * → evaluate → print (and publish). Thin: the work is in core, checks, jobs and publish.
 */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, CHECK_IDS } from '../checks/index';
import { evaluate, incompleteScopes } from '../core/engine';
import { decodeUtf8 } from '../core/json';
import { AuditorError, errorMessage, ScanFailedError, UsageError } from '../core/errors';
import { severityRank } from '../core/finding';
import { assertDistinctScopes, parseInventory, type ScopeInventory } from '../core/inventory';
import { parseParams, parseParamsJson, type Params } from '../core/params';
import { parseCliArgs, USAGE, type CliOptions } from './args';
import { outputFiles, prepareOutputDir, render, reportMeta, writeOutput } from './outputs';
import { toolVersion } from './package-info';
import type { CliIo, ScanOutcome } from './types';

export type { CliIo, ScanOutcome } from './types';

// Relative to this module: functions/cli/ as source, dist/cli/ bundled (package-info.ts): the same two levels down.
export const DEMO_INVENTORY = fileURLToPath(new URL('../../events/demo-inventory.json', import.meta.url));
/** The demo organization's parameters: its office CIDR, and the tag exceptions of its data-perimeter SCP. */
export const DEMO_PARAMS = fileURLToPath(new URL('../../events/demo-params.json', import.meta.url));

export async function readText(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : errorMessage(error)}`);
  }
  return decodeUtf8(bytes, `${what} ${path}`, UsageError);
}

export async function loadParams(value: string | undefined): Promise<Params> {
  if (value === undefined) return parseParams({}, CHECK_IDS);
  // Inline JSON (an object, or anything else JSON-shaped, which then gets its own clear error), else a file.
  const trimmed = value.replace(/^\uFEFF/, '').trim();
  if (/^[{["]/.test(trimmed)) return parseParamsJson(trimmed, '--params', CHECK_IDS);
  return parseParamsJson(await readText(value, '--params file'), `--params file ${value}`, CHECK_IDS);
}

/** The parameters of a run: --params (the demo's own with --demo), then --since over trafficLookbackHours. */
export async function scanParams(options: Pick<CliOptions, 'demo' | 'params' | 'sinceHours'>): Promise<Params> {
  const loaded = await loadParams(options.demo && options.params === undefined ? DEMO_PARAMS : options.params);
  return options.sinceHours === undefined ? loaded : { ...loaded, trafficLookbackHours: options.sinceHours };
}

async function loadInventories(paths: readonly string[]): Promise<ScopeInventory[]> {
  const scopes: ScopeInventory[] = [];
  for (const path of paths) scopes.push(...parseInventory(await readText(path, 'inventory file'), path));
  assertDistinctScopes(scopes);
  return scopes;
}

async function collect(options: CliOptions, params: Params, io: CliIo): Promise<ScanOutcome> {
  if (options.demo || options.inventories.length > 0) {
    const scopes = await loadInventories(options.demo ? [DEMO_INVENTORY] : options.inventories);
    return { scopes, findings: evaluate(scopes, params, CATALOGUE), incomplete: [] };
  }
  const { liveScan } = await import('./live');
  return liveScan(options, params, io);
}

function exitCode(outcome: ScanOutcome, failOn: CliOptions['failOn']): number {
  const incomplete = [...incompleteScopes(outcome.scopes), ...outcome.incomplete];
  if (incomplete.length > 0) return 3;
  if (failOn && outcome.findings.some((f) => f.status === 'FAILED' && severityRank(f.severity) >= severityRank(failOn)))
    return 1;
  return 0;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    if (options.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (options.version) {
      io.stdout(`${toolVersion()}\n`);
      return 0;
    }
    const scannedAt = io.now?.() ?? new Date();
    const note = (text: string): void => {
      if (!options.quiet) io.stderr(text);
    };
    const params = await scanParams(options);
    // Checked before the scan, like --save-inventory: a long scan never ends on a file it may not write.
    const files = options.outputDir === undefined ? [] : outputFiles(options.outputDir, options.formats, scannedAt);
    if (options.outputDir !== undefined) await prepareOutputDir(options.outputDir, files, options.force);
    if (options.demo && options.params === undefined)
      note(`Demo parameters from events/demo-params.json (--params to override)\n`);
    const outcome = await collect(options, params, io);
    const { findings } = outcome;
    const input = {
      findings,
      scopes: outcome.scopes,
      meta: reportMeta(outcome.scopes, params, scannedAt),
      reportPassed: options.reportPassed,
    };
    // A file that cannot be written does not stop the others; the exit code says so (2, unless 3).
    let unwritten = 0;
    for (const file of files) {
      try {
        await writeOutput(file.path, await render(file.format, input), options.force);
        io.stdout(`${file.path}\n`);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        io.stderr(`error: ${error.message}\n`);
        unwritten++;
      }
    }
    if (options.dryRun) {
      // The messages take the findings' place on stdout (--output-dir still writes the formats).
      const { printDryRun } = await import('./dry-run');
      printDryRun(outcome, options, io, note);
    } else if (files.length === 0)
      for (const chunk of await render(options.formats[0] ?? 'table', input)) io.stdout(chunk);

    for (const scope of [...incompleteScopes(outcome.scopes), ...outcome.incomplete]) {
      io.stderr(`incomplete: ${scope.accountId} ${scope.region}: ${scope.reason}\n`);
    }
    // CloudTrail is evidence, not configuration: its failure is CCE.14's ERROR, said here, not exit 3.
    for (const scope of outcome.scopes)
      for (const error of scope.collectionErrors ?? [])
        if (error.data === 'cloudTrailEvents')
          io.stderr(
            `warning: ${scope.accountId} ${scope.region}: CloudTrail not read (${error.code}: ${error.message})\n`,
          );
    if (files.length > 0 || options.formats[0] !== 'table' || options.dryRun)
      note(`${findings.length} findings from ${outcome.scopes.length} account-region(s)\n`);
    const code = exitCode(outcome, options.failOn);
    if (code === 1) io.stderr(`--fail-on ${options.failOn}: FAILED findings at or above ${options.failOn}\n`);
    return unwritten > 0 && code < 2 ? 2 : code;
  } catch (error) {
    if (error instanceof ScanFailedError) {
      io.stderr(`error: ${error.message}\n`);
      return 3;
    }
    if (error instanceof AuditorError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    io.stderr(`error: unexpected failure: ${errorMessage(error)}\n`);
    return 2;
  }
}

/** Run as a program (tsx, node, or the installed command, whose path is a link to the bundle), not imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // The SDK's multi-line notice about future Node versions would bury one-line errors; Lambda runs Node 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // A reader that stops early (`| head`) closes the pipe: stop writing, keep the exit code of the scan.
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
  });
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY,
    stderrColumns: process.stderr.columns,
  });
  process.exitCode = code;
}
