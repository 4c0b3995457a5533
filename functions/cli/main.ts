/**
 * The command line (DESIGN section 5): collect (demo, inventory files or a live scan)
 * → evaluate → print (and publish). Thin: the work is in core, checks, jobs and publish.
 */
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
import { formatJsonChunks, formatTable } from './format';
import type { CliIo, ScanOutcome } from './types';

export type { CliIo, ScanOutcome } from './types';

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
    const demoParams = options.demo && options.params === undefined;
    const params = await loadParams(demoParams ? DEMO_PARAMS : options.params);
    if (demoParams) io.stderr(`Demo parameters from events/demo-params.json (--params to override)\n`);
    const outcome = await collect(options, params, io);
    const { findings } = outcome;
    if (options.format === 'json') for (const chunk of formatJsonChunks(findings)) io.stdout(chunk);
    else if (options.format === 'asff') {
      const { formatAsff } = await import('./asff-output');
      io.stdout(formatAsff(findings, options.reportPassed));
    } else io.stdout(formatTable(findings));

    for (const scope of [...incompleteScopes(outcome.scopes), ...outcome.incomplete]) {
      io.stderr(`incomplete: ${scope.accountId} ${scope.region}: ${scope.reason}\n`);
    }
    if (options.format !== 'table')
      io.stderr(`${findings.length} findings from ${outcome.scopes.length} account-region(s)\n`);
    const code = exitCode(outcome, options.failOn);
    if (code === 1) io.stderr(`--fail-on ${options.failOn}: FAILED findings at or above ${options.failOn}\n`);
    return code;
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
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
  });
  process.exitCode = code;
}
