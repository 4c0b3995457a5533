/**
 * The CLI's outputs: each --format rendered (to stdout, or with --output-dir to a file of its
 * own), the files named and written, and the report metadata the formats share (publish/report-meta,
 * which the worker's reports use too).
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, UsageError } from '../core/errors';
import type { Finding } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import { formatCsvChunks } from '../publish/csv';
import { formatOcsfChunks } from '../publish/ocsf';
import type { ReportMeta } from '../publish/report-meta';
export { paramsRecord, reportMeta } from '../publish/report-meta';
import type { OutputFormat } from './args';
import { formatJsonChunks, formatTable } from './format';

export const FILE_PREFIX = 'codecommit-endpoint-audit';

/** The file name ending of each format. */
export const EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  table: 'txt',
  json: 'json',
  asff: 'asff.json',
  csv: 'csv',
  ocsf: 'ocsf.jsonl',
  html: 'html',
};

/** UTC, to the second, safe in a file name on any system: 20261127T205049Z. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

export interface OutputFile {
  format: OutputFormat;
  path: string;
}

export function outputFiles(dir: string, formats: readonly OutputFormat[], date: Date): OutputFile[] {
  const stamp = fileTimestamp(date);
  return formats.map((format) => ({ format, path: join(dir, `${FILE_PREFIX}-${stamp}.${EXTENSIONS[format]}`) }));
}

/**
 * Before the scan: the folder exists (created if missing), and no file would be replaced
 * without --force, nor written through a symbolic link.
 */
export async function prepareOutputDir(dir: string, files: readonly OutputFile[], force: boolean): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--output-dir ${dir}: ${code === 'EEXIST' || code === 'ENOTDIR' ? 'not a folder' : errorMessage(error)}`,
    );
  }
  for (const { path } of files) {
    const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new UsageError(`--output-dir: cannot write ${path}: ${error.message}`);
    });
    if (!existing) continue;
    if (existing.isSymbolicLink()) throw new UsageError(`--output-dir: ${path} is a symbolic link; it is not written`);
    if (!existing.isFile()) throw new UsageError(`--output-dir: ${path} exists and is not a regular file`);
    if (!force) throw new UsageError(`--output-dir: ${path} exists; pass --force to replace it`);
  }
}

/**
 * Write one output file, readable by its owner only (findings name accounts, principals and
 * endpoint policies, like a saved inventory): never through a symbolic link, never over a file
 * unless --force.
 */
export async function writeOutput(path: string, chunks: Iterable<string>, force: boolean): Promise<void> {
  await writeOwnerOnly(path, chunks, force, `--output-dir: cannot write ${path}`);
}

/**
 * Write a file readable by its owner only, never through a symbolic link, never over a file
 * unless `force`; a failure is a UsageError starting with `what`.
 */
export async function writeOwnerOnly(
  path: string,
  chunks: Iterable<string>,
  force: boolean,
  what: string,
): Promise<void> {
  const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW } = constants;
  let file;
  try {
    file = await open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL), 0o600);
    await file.chmod(0o600); // a replaced file keeps its old mode otherwise
    for (const chunk of chunks) await file.write(chunk);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST'
        ? 'it was created during the scan; pass --force to replace it'
        : code === 'ELOOP'
          ? 'it is a symbolic link'
          : errorMessage(error);
    throw new UsageError(`${what}: ${why}`);
  } finally {
    await file?.close();
  }
}

export interface RenderInput {
  findings: readonly Finding[];
  scopes: readonly ScopeInventory[];
  meta: ReportMeta;
  reportPassed: boolean;
}

/** One format's text, in chunks (JSON, CSV and OCSF stream a large scan; the others come whole). */
export async function render(format: OutputFormat, input: RenderInput): Promise<Iterable<string>> {
  const { findings, meta } = input;
  switch (format) {
    case 'table':
      return [formatTable(findings)];
    case 'json':
      return formatJsonChunks(findings);
    case 'asff': {
      const { formatAsff } = await import('./asff-output');
      return [formatAsff(findings, input.reportPassed, meta.scannedAt)];
    }
    case 'csv':
      return formatCsvChunks(findings);
    case 'ocsf':
      return formatOcsfChunks(findings, meta);
    case 'html': {
      const { endpointPolicyLookup, renderHtmlReport } = await import('../publish/html-report');
      return [renderHtmlReport(findings, meta, endpointPolicyLookup(input.scopes))];
    }
  }
}
