/**
 * Findings as CSV (RFC 4180): a header row, then one row per finding, in the column order of
 * CSV_COLUMNS; every field in double quotes (inner quotes doubled), CRLF after every row,
 * UTF-8 without a byte-order mark (MIME type `text/csv; header=present`).
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, and messages
 * carry text chosen by whoever named a resource or wrote a policy. So a value that starts
 * with a formula character (OWASP's list: `= + - @`, tab, CR, LF, NUL and the full-width
 * `＝ ＋ － ＠`, also after leading spaces) is written with a leading `'`, which a spreadsheet
 * shows as text. A value that itself starts with `'` gets one too, so the rule is exact both
 * ways: a program reading the file drops one leading `'` from every field that has one and
 * gets back the original value, `-` at the start of a legitimate message included.
 */
import type { Finding } from '../core/finding';

/** The columns, in order: every field of a finding, the proven fix's policy last (empty when there is none). */
export const CSV_COLUMNS = [
  'checkId',
  'title',
  'status',
  'severity',
  'accountId',
  'region',
  'resourceType',
  'resourceId',
  'resourceArn',
  'vpcId',
  'message',
  'remediation',
  'fixPolicyDocument',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^(?:[\t\r\n\0]| *[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** The cell as a spreadsheet will show it: a leading `'` where the value could start a formula (or starts with `'`). */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) || value.startsWith("'") ? `'${value}` : value;
}

/** One RFC 4180 field, always quoted: quotes inside are doubled; commas, semicolons and line breaks stay inside. */
function field(value: string): string {
  return `"${neutralizeCell(value).replaceAll('"', '""')}"`;
}

function cellOf(finding: Finding, column: CsvColumn): string {
  if (column === 'fixPolicyDocument') return finding.fix?.policyDocument ?? '';
  return finding[column];
}

const ROW_END = '\r\n';

export function csvHeader(): string {
  return CSV_COLUMNS.map(field).join(',') + ROW_END;
}

export function csvRow(finding: Finding): string {
  return CSV_COLUMNS.map((column) => field(cellOf(finding, column))).join(',') + ROW_END;
}

/** The whole file, in chunks of rows: compact enough for a million findings. */
export function* formatCsvChunks(findings: readonly Finding[], chunkSize = 1000): Generator<string> {
  yield csvHeader();
  for (let start = 0; start < findings.length; start += chunkSize) {
    let chunk = '';
    for (const finding of findings.slice(start, start + chunkSize)) chunk += csvRow(finding);
    yield chunk;
  }
}

export function formatCsv(findings: readonly Finding[]): string {
  return [...formatCsvChunks(findings)].join('');
}
