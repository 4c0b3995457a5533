/**
 * `--format html`: one self-contained report file. The header, the summary, the charts and the
 * account × region grid are rendered here, so they show without JavaScript; the findings travel
 * as JSON in the page and a small inline script renders them a page at a time, so 100,000
 * findings stay usable. Nothing is loaded from anywhere: the page's Content-Security-Policy
 * allows only its own style and script (by hash), no request of any kind.
 */
import { createHash } from 'node:crypto';
import { formatCidr, type Cidr } from '../core/cidr';
import { compareFindings, SEVERITIES, severityRank, type Finding, type Severity, type Status } from '../core/finding';
import type { ScopeInventory } from '../core/inventory';
import { DEFAULT_POLICY_TEXT } from '../policy/index';
import { decodePolicyText } from '../policy/parse';
import type { ReportMeta } from './report-meta';

/** Worst first: the summary's order, the grid's colouring and the table's default sort. */
const STATUS_ORDER: readonly Status[] = ['FAILED', 'ERROR', 'PASSED', 'NOT_APPLICABLE'];
const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();
/** A glyph beside every status word, so that status never rests on colour alone. */
const STATUS_GLYPH: Record<Status, string> = { FAILED: '✗', ERROR: '!', PASSED: '✓', NOT_APPLICABLE: '–' };
/** Beyond this many accounts the grid shows those with the most FAILED findings; the table has them all. */
export const GRID_MAX_ACCOUNTS = 200;
/** A line diff compares at most this many lines × lines after the common head and tail; beyond, old then new. */
const DIFF_MAX_CELLS = 4_000_000;

// ---------------------------------------------------------------------------------------------
// Escaping

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** JSON safe inside a `<script>` element: no `<` (so no `</script>` or `<!--`), `>` or `&` in it. */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value);
  // Most rows have none of these: test before replacing, a large report is mostly rows.
  return /[<>&]/.test(json)
    ? json.replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

/** A JSON array written one row at a time (a single string of every row would be built twice). */
function jsonRowsForScript(rows: readonly unknown[]): string {
  return `[${rows.map(jsonForScript).join(',')}]`;
}

const fmt = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// ---------------------------------------------------------------------------------------------
// Policies: the proposed fix, as a line diff against the policy in force when it is known

function prettyPolicy(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Longest-common-subsequence line diff: each line prefixed `  `, `- ` (removed) or `+ ` (added). */
export function lineDiff(before: readonly string[], after: readonly string[]): string[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const same = (lines: readonly string[]): string[] => lines.map((line) => `  ${line}`);
  const middle: string[] = [];
  if (a.length * b.length > DIFF_MAX_CELLS) {
    middle.push(...a.map((line) => `- ${line}`), ...b.map((line) => `+ ${line}`));
  } else {
    // lcs[i * (m + 1) + j]: the longest common subsequence of a[i..] and b[j..].
    const n = a.length;
    const m = b.length;
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        lcs[i * (m + 1) + j] =
          a[i] === b[j]
            ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) {
        middle.push(`  ${a[i++]}`);
        j++;
      } else if (j >= m || (i < n && (lcs[(i + 1) * (m + 1) + j] ?? 0) >= (lcs[i * (m + 1) + j + 1] ?? 0)))
        middle.push(`- ${a[i++]}`);
      else middle.push(`+ ${b[j++]}`);
    }
  }
  return [...same(before.slice(0, head)), ...middle, ...same(before.slice(before.length - tail))];
}

/** The diff between two policies, each pretty-printed (key order kept), one prefixed line each. */
export function policyDiff(original: string, proposed: string): string {
  return lineDiff(prettyPolicy(original).split('\n'), prettyPolicy(proposed).split('\n')).join('\n');
}

/**
 * The policy an endpoint has now, from the scanned inventory (AWS's default full access when it
 * has none), for the report's policy diffs. Findings on other resources have none.
 */
export function endpointPolicyLookup(scopes: readonly ScopeInventory[]): (f: Finding) => string | undefined {
  const policies = new Map<string, string>();
  for (const scope of scopes)
    for (const endpoint of scope.vpcEndpoints) {
      const policy: unknown = endpoint.PolicyDocument;
      const text =
        policy === undefined || policy === null || (typeof policy === 'string' && policy.trim() === '')
          ? DEFAULT_POLICY_TEXT
          : typeof policy === 'string'
            ? decodePolicyText(policy)
            : JSON.stringify(policy);
      policies.set(`${scope.accountId} ${scope.region} ${endpoint.VpcEndpointId}`, text);
    }
  return (f) =>
    f.resourceType === 'AWS::EC2::VPCEndpoint' ? policies.get(`${f.accountId} ${f.region} ${f.resourceId}`) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The findings as data for the page

/**
 * One finding in the page's data, by position (the inline script reads the same positions):
 * indexes into the columns for status, severity, check, title, account, region and resource type;
 * then resource id, VPC id, ARN, message, remediation; and, with a fix, its text and 1 if a diff.
 */
type Row = (string | number)[];

interface ReportData {
  columns: Record<'status' | 'severity' | 'check' | 'title' | 'account' | 'region' | 'type', string[]>;
  glyphs: Record<Status, string>;
  total: number;
  rows: Row[];
}

/** Rows in the small block read first: the table's first page, shown while the browser reads the rest. */
export const FIRST_PAGE_ROWS = 100;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareChecks = (a: string, b: string): number => Number(a.slice(4)) - Number(b.slice(4)) || compareText(a, b);

/** Worst first, then the engine's order: status, severity (highest first), account, region, VPC, resource, check. */
function compareWorstFirst(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareFindings(a, b)
  );
}

function distinct(values: Iterable<string>, compare: (a: string, b: string) => number = compareText): string[] {
  return [...new Set(values)].sort(compare);
}

function indexer(values: readonly string[]): (value: string) => number {
  const positions = new Map(values.map((value, i) => [value, i]));
  return (value) => positions.get(value) ?? -1;
}

function reportData(ordered: readonly Finding[], original?: (f: Finding) => string | undefined): ReportData {
  const columns: ReportData['columns'] = {
    status: [...STATUS_ORDER],
    severity: [...SEVERITY_ORDER],
    check: distinct(
      ordered.map((f) => f.checkId),
      compareChecks,
    ),
    title: distinct(ordered.map((f) => f.title)),
    account: distinct(ordered.map((f) => f.accountId)),
    region: distinct(ordered.map((f) => f.region)),
    type: distinct(ordered.map((f) => f.resourceType)),
  };
  const at = {
    status: indexer(columns.status),
    severity: indexer(columns.severity),
    check: indexer(columns.check),
    title: indexer(columns.title),
    account: indexer(columns.account),
    region: indexer(columns.region),
    type: indexer(columns.type),
  };
  const rows = ordered.map((f): Row => {
    const row = [
      at.status(f.status),
      at.severity(f.severity),
      at.check(f.checkId),
      at.title(f.title),
      at.account(f.accountId),
      at.region(f.region),
      at.type(f.resourceType),
      f.resourceId,
      f.vpcId,
      f.resourceArn,
      f.message,
      f.remediation,
    ];
    if (f.fix === undefined) return row;
    const before = original?.(f);
    return before === undefined
      ? [...row, prettyPolicy(f.fix.policyDocument), 0]
      : [...row, policyDiff(before, f.fix.policyDocument), 1];
  });
  return { columns, glyphs: STATUS_GLYPH, total: rows.length, rows };
}

// ---------------------------------------------------------------------------------------------
// Server-rendered parts: header, summary, charts, grid, the table's frame

function badge(status: Status, text: string = status): string {
  return `<span class="badge st-${status}"><span aria-hidden="true">${STATUS_GLYPH[status]} </span>${escapeHtml(text)}</span>`;
}

function formatTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time)
    ? iso
    : new Date(time)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

function isCidr(value: object): value is Cidr {
  return 'version' in value && 'network' in value && typeof (value as Cidr).network === 'bigint';
}

/** A parameter's value as a person writes it: lists comma-separated, tags as key=value, CIDRs in slash notation. */
export function formatParam(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) || value instanceof Set) {
    const items = [...(value as Iterable<unknown>)].map(formatParam);
    return items.length === 0 ? '(empty)' : items.join(', ');
  }
  if (typeof value === 'object') {
    if (isCidr(value)) return formatCidr(value);
    const { key, value: tagValue } = value as { key?: unknown; value?: unknown };
    if (typeof key === 'string' && typeof tagValue === 'string' && Object.keys(value).length === 2)
      return `${key}=${tagValue}`;
  }
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? typeof value;
}

function shortList(values: readonly string[], limit: number): string {
  if (values.length === 0) return '(none)';
  const shown = values.slice(0, limit).map((v) => `<code>${escapeHtml(v)}</code>`);
  return values.length > limit ? `${shown.join(', ')} and ${fmt(values.length - limit)} more` : shown.join(', ');
}

function renderHeader(findings: readonly Finding[], meta: ReportMeta, accounts: string[], regions: string[]): string {
  const params = Object.keys(meta.params)
    .sort()
    .map(
      (key) =>
        `<div><dt><code>${escapeHtml(key)}</code></dt><dd>${escapeHtml(formatParam(meta.params[key]))}</dd></div>`,
    )
    .join('');
  return `<header>
<h1>CodeCommit endpoint audit</h1>
<p class="lede">${fmt(findings.length)} findings in ${fmt(accounts.length)} account${accounts.length === 1 ? '' : 's'} and ${fmt(regions.length)} region${regions.length === 1 ? '' : 's'}, scanned <time datetime="${escapeHtml(meta.scannedAt)}">${escapeHtml(formatTime(meta.scannedAt))}</time></p>
<dl class="scope">
<div><dt>Scanned at</dt><dd>${escapeHtml(formatTime(meta.scannedAt))}</dd></div>
<div><dt>Accounts</dt><dd>${shortList(accounts, 30)}</dd></div>
<div><dt>Regions</dt><dd>${shortList(regions, 40)}</dd></div>
<div><dt>Tool</dt><dd>codecommit-endpoint-auditor ${escapeHtml(meta.toolVersion)}</dd></div>
</dl>
<h2 id="parameters">Parameters</h2>
<dl class="params">${params || '<div><dt>(none)</dt><dd></dd></div>'}</dl>
</header>`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function renderSummary(findings: readonly Finding[]): string {
  const byStatus = countBy(findings, (f) => f.status);
  const byCell = countBy(findings, (f) => `${f.status} ${f.severity}`);
  const bySeverity = countBy(findings, (f) => f.severity);
  const cards = STATUS_ORDER.map(
    (s) =>
      `<li class="card st-${s}"><span class="n" data-summary-status="${s}">${fmt(byStatus.get(s) ?? 0)}</span>${badge(s)}</li>`,
  ).join('');
  const head = SEVERITY_ORDER.map((v) => `<th scope="col" class="num">${v}</th>`).join('');
  const body = STATUS_ORDER.map((s) => {
    const cells = SEVERITY_ORDER.map(
      (v) => `<td class="num" data-status="${s}" data-severity="${v}">${fmt(byCell.get(`${s} ${v}`) ?? 0)}</td>`,
    ).join('');
    return `<tr><th scope="row">${badge(s)}</th>${cells}<td class="num total">${fmt(byStatus.get(s) ?? 0)}</td></tr>`;
  }).join('\n');
  const totals = SEVERITY_ORDER.map((v) => `<td class="num total">${fmt(bySeverity.get(v) ?? 0)}</td>`).join('');
  return `<section aria-labelledby="summary">
<h2 id="summary">Summary</h2>
<ul class="cards">${cards}</ul>
<table class="matrix">
<caption>Findings by status and severity</caption>
<thead><tr><th scope="col">Status</th>${head}<th scope="col" class="num">Total</th></tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr><th scope="row">Total</th>${totals}<td class="num total" data-summary-total>${fmt(findings.length)}</td></tr></tfoot>
</table>
</section>`;
}

interface Bar {
  label: string;
  hint: string;
  counts: Map<string, number>;
  total: number;
}

function failedBars(
  failed: readonly Finding[],
  labels: readonly string[],
  key: (f: Finding) => string,
  hint: (label: string) => string,
): Bar[] {
  return labels.map((label) => {
    const mine = failed.filter((f) => key(f) === label);
    return { label, hint: hint(label), counts: countBy(mine, (f) => f.severity), total: mine.length };
  });
}

function breakdown(bar: Bar): string {
  const parts = SEVERITY_ORDER.filter((v) => (bar.counts.get(v) ?? 0) > 0).map((v) => `${v} ${bar.counts.get(v) ?? 0}`);
  return parts.length === 0 ? `${bar.total}` : `${fmt(bar.total)} (${parts.join(', ')})`;
}

/** Horizontal bars, stacked by severity, each labelled with its count per severity in words. */
function barChart(id: string, title: string, bars: readonly Bar[]): string {
  const labelWidth = 120;
  const barWidth = 340;
  const rowHeight = 24;
  const max = Math.max(1, ...bars.map((b) => b.total));
  const height = Math.max(1, bars.length) * rowHeight + 4;
  const rows = bars.map((bar, i) => {
    const y = i * rowHeight + 2;
    let done = 0;
    const segments = SEVERITY_ORDER.flatMap((v) => {
      const n = bar.counts.get(v) ?? 0;
      if (n === 0) return [];
      const x0 = labelWidth + Math.round((done / max) * barWidth);
      done += n;
      const x1 = labelWidth + Math.round((done / max) * barWidth);
      return [
        `<rect class="sev-fill-${v}" x="${x0}" y="${y + 3}" width="${Math.max(1, x1 - x0)}" height="${rowHeight - 8}"><title>${v} ${n}</title></rect>`,
      ];
    });
    const end = labelWidth + Math.round((done / max) * barWidth) + 6;
    return `<g><title>${escapeHtml(bar.hint)}</title><text x="0" y="${y + rowHeight / 2 + 4}">${escapeHtml(bar.label)}</text>${segments.join('')}<text x="${end}" y="${y + rowHeight / 2 + 4}">${escapeHtml(breakdown(bar))}</text></g>`;
  });
  const described = bars.map((b) => `${b.label}: ${breakdown(b)}`).join('; ');
  return `<figure>
<h3 id="${id}-title">${escapeHtml(title)}</h3>
<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${labelWidth + barWidth + 220} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<desc id="${id}-desc">${escapeHtml(described || 'no data')}</desc>
${rows.join('\n')}
</svg>
</figure>`;
}

function renderCharts(findings: readonly Finding[], regions: readonly string[]): string {
  const failed = findings.filter((f) => f.status === 'FAILED');
  const titles = new Map(findings.map((f) => [f.checkId as string, f.title]));
  const checks = distinct(titles.keys(), compareChecks);
  const legend = SEVERITY_ORDER.map(
    (v) => `<li><span class="swatch sev-bg-${v}" aria-hidden="true"></span>${v}</li>`,
  ).join('');
  const body =
    failed.length === 0
      ? '<p>No FAILED findings.</p>'
      : `<ul class="legend" aria-label="Bar colours by severity">${legend}</ul>
<div class="charts">
${barChart(
  'chart-check',
  'FAILED findings per check',
  failedBars(
    failed,
    checks,
    (f) => f.checkId,
    (c) => `${c}: ${titles.get(c) ?? ''}`,
  ),
)}
${barChart(
  'chart-region',
  'FAILED findings per region',
  failedBars(
    failed,
    regions,
    (f) => f.region,
    (r) => r,
  ),
)}
</div>`;
  return `<section aria-labelledby="failed">
<h2 id="failed">Where the FAILED findings are</h2>
${body}
</section>`;
}

interface Cell {
  counts: Map<Status, number>;
  worstSeverity: Severity | undefined;
  total: number;
}

function gridCells(findings: readonly Finding[]): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const f of findings) {
    const key = `${f.accountId} ${f.region}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { counts: new Map(), worstSeverity: undefined, total: 0 }));
    cell.counts.set(f.status, (cell.counts.get(f.status) ?? 0) + 1);
    cell.total++;
    if (f.status === 'FAILED' && (!cell.worstSeverity || severityRank(f.severity) > severityRank(cell.worstSeverity)))
      cell.worstSeverity = f.severity;
  }
  return cells;
}

function gridCell(account: string, region: string, cell: Cell | undefined): string {
  if (!cell) return '<td class="none">no findings</td>';
  const worst = STATUS_ORDER.find((s) => (cell.counts.get(s) ?? 0) > 0) ?? 'NOT_APPLICABLE';
  const n = cell.counts.get(worst) ?? 0;
  const what =
    worst === 'FAILED' ? `${n} FAILED · ${cell.worstSeverity ?? ''}` : worst === 'ERROR' ? `${n} ERROR` : worst;
  const detail = STATUS_ORDER.filter((s) => cell.counts.has(s))
    .map((s) => `${s} ${cell.counts.get(s) ?? 0}`)
    .join(', ');
  return `<td><button type="button" class="cell st-${worst}" data-account="${escapeHtml(account)}" data-region="${escapeHtml(region)}" title="${escapeHtml(detail)}">${badge(worst, what)}<span class="of">${fmt(cell.total)} findings</span></button></td>`;
}

function renderGrid(findings: readonly Finding[], accounts: readonly string[], regions: readonly string[]): string {
  const cells = gridCells(findings);
  const failedIn = countBy(
    findings.filter((f) => f.status === 'FAILED'),
    (f) => f.accountId,
  );
  const shown =
    accounts.length <= GRID_MAX_ACCOUNTS
      ? accounts
      : [...accounts]
          .sort((a, b) => (failedIn.get(b) ?? 0) - (failedIn.get(a) ?? 0) || compareText(a, b))
          .slice(0, GRID_MAX_ACCOUNTS)
          .sort(compareText);
  const note =
    shown.length < accounts.length
      ? `<p class="note">The ${fmt(shown.length)} accounts with the most FAILED findings of ${fmt(accounts.length)}; filter the table by account for the others.</p>`
      : '';
  const head = regions.map((r) => `<th scope="col"><code>${escapeHtml(r)}</code></th>`).join('');
  const body = shown
    .map(
      (a) =>
        `<tr><th scope="row"><code>${escapeHtml(a)}</code></th>${regions.map((r) => gridCell(a, r, cells.get(`${a} ${r}`))).join('')}</tr>`,
    )
    .join('\n');
  return `<section aria-labelledby="grid-title">
<h2 id="grid-title">Accounts and regions</h2>
${note}<div class="scroll"><table class="grid" id="grid">
<caption>Worst status of each account-region (FAILED, then ERROR, PASSED, NOT_APPLICABLE); select one to list its findings below</caption>
<thead><tr><th scope="col">Account</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table></div>
</section>`;
}

function options(column: string, values: readonly string[], counts: Map<string, number>): string {
  const all = `<option value="">All</option>`;
  const each = values.map(
    (v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)} (${fmt(counts.get(v) ?? 0)})</option>`,
  );
  return `<select id="f-${column}" data-col="${column}">${all}${each.join('')}</select>`;
}

/** Sortable columns name the row position the inline script sorts on. */
const TABLE_COLUMNS: readonly { label: string; sort?: number; className?: string }[] = [
  { label: 'Status', sort: 0 },
  { label: 'Severity', sort: 1 },
  { label: 'Check', sort: 2 },
  { label: 'Account', sort: 4 },
  { label: 'Region', sort: 5 },
  { label: 'Resource', sort: 7 },
  { label: 'Message', className: 'msg' },
];

function renderFindingsSection(data: ReportData, findings: readonly Finding[]): string {
  const { columns } = data;
  const filters = [
    ['status', 'Status', columns.status, countBy(findings, (f) => f.status)],
    ['severity', 'Severity', columns.severity, countBy(findings, (f) => f.severity)],
    ['check', 'Check', columns.check, countBy(findings, (f) => f.checkId)],
    ['account', 'Account', columns.account, countBy(findings, (f) => f.accountId)],
    ['region', 'Region', columns.region, countBy(findings, (f) => f.region)],
  ] as const;
  const controls = filters
    .map(([column, label, values, counts]) => `<label>${label} ${options(column, values, counts)}</label>`)
    .join('\n');
  const heads = TABLE_COLUMNS.map(({ label, sort, className }) =>
    sort === undefined
      ? `<th scope="col" class="${className ?? ''}">${label}</th>`
      : `<th scope="col" data-col="${sort}"${sort === 0 ? ' aria-sort="ascending"' : ''}><button type="button" data-sort="${sort}">${label}<span class="arrow" aria-hidden="true"></span></button></th>`,
  ).join('');
  return `<section aria-labelledby="findings-title" id="findings-section">
<h2 id="findings-title">Findings</h2>
<noscript><p>The findings table needs JavaScript. The summary above is complete; <code>--format json</code> or <code>--format csv</code> give every finding.</p></noscript>
<form id="filters" class="needs-js" role="search" aria-label="Filter findings">
<fieldset id="filters-set" class="controls" disabled>
${controls}
<label>Text <input type="search" id="f-text" placeholder="resource, VPC, words of the message"></label>
<button type="button" id="f-clear">Clear filters</button>
</fieldset>
</form>
<p id="table-status" class="needs-js" role="status">Loading ${fmt(findings.length)} findings…</p>
<table class="findings needs-js" id="findings">
<caption class="sr">Findings, worst first. Sort with the column headings; each row's first button shows its message, remediation and proposed fix.</caption>
<thead><tr><th scope="col" class="x"><span class="sr">Details</span></th>${heads}</tr></thead>
<tbody id="findings-body"></tbody>
</table>
<nav class="pager needs-js" aria-label="Pages of findings">
<button type="button" id="p-first">« First</button> <button type="button" id="p-prev">‹ Previous</button>
<span id="p-label">Page 1 of 1</span>
<button type="button" id="p-next">Next ›</button> <button type="button" id="p-last">Last »</button>
<label>Rows per page <select id="p-size"><option>25</option><option selected>100</option><option>500</option></select></label>
</nav>
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Style and script (inline, hashed into the Content-Security-Policy)

const CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;--accent:#0969da;
--failed:#cf222e;--failed-bg:#ffebe9;--error:#8250df;--error-bg:#fbefff;--passed:#1a7f37;--passed-bg:#dafbe1;--na:#59636e;--na-bg:#eff2f5;
--critical:#82071e;--high:#cf222e;--medium:#bc4c00;--low:#bf8700;--info:#8c959f;--add:#dafbe1;--del:#ffebe9}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;--accent:#4493f8;
--failed:#ff7b72;--failed-bg:#3c1618;--error:#d2a8ff;--error-bg:#2c1a46;--passed:#3fb950;--passed-bg:#12261e;--na:#9198a1;--na-bg:#212830;
--critical:#ff9492;--high:#f85149;--medium:#f0883e;--low:#d29922;--info:#9198a1;--add:#12261e;--del:#3c1618}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
header,main{max-width:1240px;margin:0 auto;padding:8px 24px}
h1{font-size:26px;margin:12px 0 2px}h2{font-size:18px;margin:26px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:14px;margin:0 0 6px}.lede{color:var(--muted);margin:0 0 12px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
dl.scope{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dl.scope div{display:contents}
dl.params{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:2px 20px;margin:0}dl.params div{display:flex;gap:8px}dl.params dt{font-weight:400}
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
.st-FAILED{--c:var(--failed);--cb:var(--failed-bg)}.st-ERROR{--c:var(--error);--cb:var(--error-bg)}
.st-PASSED{--c:var(--passed);--cb:var(--passed-bg)}.st-NOT_APPLICABLE{--c:var(--na);--cb:var(--na-bg)}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-weight:600;font-size:12px;color:var(--c);background:var(--cb);border:1px solid var(--c);white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0;margin:0 0 14px}
.card{border:1px solid var(--line);border-left:6px solid var(--c);border-radius:6px;padding:6px 14px 8px;min-width:160px;background:var(--panel)}
.card .n{display:block;font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
table{border-collapse:collapse}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
caption{text-align:left;color:var(--muted);padding:0 0 6px}.num{text-align:right;font-variant-numeric:tabular-nums}.total{font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:8px 32px}figure{margin:0}
svg text{fill:var(--fg);font-size:12px;font-family:inherit}
.sev-fill-CRITICAL{fill:var(--critical)}.sev-fill-HIGH{fill:var(--high)}.sev-fill-MEDIUM{fill:var(--medium)}.sev-fill-LOW{fill:var(--low)}.sev-fill-INFORMATIONAL{fill:var(--info)}
.sev-bg-CRITICAL{background:var(--critical)}.sev-bg-HIGH{background:var(--high)}.sev-bg-MEDIUM{background:var(--medium)}.sev-bg-LOW{background:var(--low)}.sev-bg-INFORMATIONAL{background:var(--info)}
.legend{list-style:none;display:flex;gap:14px;padding:0;margin:0 0 8px;color:var(--muted);font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.scroll{overflow-x:auto}.grid td{padding:3px}.grid td.none{color:var(--muted);font-size:12px;padding:8px}
.cell{display:block;width:100%;min-width:150px;text-align:left;font:inherit;color:var(--fg);background:var(--cb);border:1px solid var(--c);border-radius:5px;padding:4px 6px;cursor:pointer}
.cell .of{display:block;font-size:11px;color:var(--muted);margin-top:2px}.note{color:var(--muted);margin:0 0 4px}
fieldset{border:0;padding:0;margin:0;min-width:0}.controls{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:end;margin:0 0 8px}.controls label{display:flex;flex-direction:column;font-size:12px;font-weight:600}
select,input,button{font:inherit;font-size:13px;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:5px;padding:3px 6px}
button{cursor:pointer}button:disabled{opacity:.45;cursor:default}:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.findings{width:100%;table-layout:fixed}.findings th:nth-child(1){width:34px}.findings th:nth-child(2){width:140px}.findings th:nth-child(3){width:84px}
.findings th:nth-child(4){width:70px}.findings th:nth-child(5){width:112px}.findings th:nth-child(6){width:112px}.findings th:nth-child(7){width:190px}
.findings td{overflow-wrap:anywhere}.findings th button{border:0;background:none;padding:0;font-weight:600}
th[aria-sort=ascending] .arrow::after{content:" \\25B2"}th[aria-sort=descending] .arrow::after{content:" \\25BC"}
.expand{border:0;background:none;padding:0 4px}.expand .mk{display:inline-block}.expand[aria-expanded=true] .mk{transform:rotate(90deg)}
.sev{font-weight:600}.sev-CRITICAL{color:var(--critical)}.sev-HIGH{color:var(--high)}.sev-MEDIUM{color:var(--medium)}.sev-LOW{color:var(--low)}.sev-INFORMATIONAL{color:var(--info)}
tr.detail>td{background:var(--panel);padding:8px 12px 12px 42px}tr.detail dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;padding:6px 8px;background:var(--bg);border:1px solid var(--line);border-radius:5px}
pre ins,pre del{text-decoration:none;display:inline}pre ins{background:var(--add)}pre del{background:var(--del)}
.pager{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0 40px}#table-status{margin:6px 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
html:not(.js) .needs-js{display:none}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--line:#bbb;--panel:#fff;--failed-bg:#fff;--error-bg:#fff;--passed-bg:#fff;--na-bg:#fff;--add:#fff;--del:#fff}
body{font-size:11px}header,main{max-width:none;padding:0}.findings{table-layout:auto}.controls,.pager,.findings .x,.expand{display:none}
.cell{border-width:1px;min-width:0}h2,h3{break-after:avoid}tr,figure,.card{break-inside:avoid}*{print-color-adjust:exact;-webkit-print-color-adjust:exact}}`;

/** Renders the findings a page at a time from the page's JSON; builds every node with textContent, never markup. */
const SCRIPT = String.raw`(function () {
  'use strict';
  document.documentElement.className = 'js';
  var STATUS = 0, SEVERITY = 1, CHECK = 2, TITLE = 3, ACCOUNT = 4, REGION = 5, TYPE = 6;
  var ID = 7, VPC = 8, ARN = 9, MESSAGE = 10, REMEDIATION = 11, FIX = 12, DIFF = 13;
  var FILTERED = { status: STATUS, severity: SEVERITY, check: CHECK, account: ACCOUNT, region: REGION };
  var data, rows, order, positions = {}, view = [], page = 0, size = 100;
  var sortCol = STATUS, sortDir = 1, open = {}, haystack = null, ready = false;

  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function badge(status) {
    var b = el('span', 'badge st-' + status);
    b.appendChild(el('span', null, data.glyphs[status] + ' ')).setAttribute('aria-hidden', 'true');
    b.appendChild(document.createTextNode(status));
    return b;
  }
  function cell(tr, cls, text) { return tr.appendChild(el('td', cls, text)); }

  /** The first page, from the small block before this script: shown while the page still reads the rest. */
  function firstPage() {
    data = JSON.parse(byId('report-head').textContent);
    rows = data.rows;
    view = rows.map(function (_, i) { return i; });
    render();
    wireTable();
    performance.mark('findings-first-page');
  }

  /** Every finding, once the page is read: then the table filters, sorts and pages. */
  function everything() {
    rows = rows.concat(JSON.parse(byId('report-data').textContent));
    Object.keys(FILTERED).forEach(function (name) {
      var at = {};
      data.columns[name].forEach(function (value, i) { at[value] = i; });
      positions[name] = at;
    });
    order = rows.map(function (_, i) { return i; });
    ready = true;
    size = Number(byId('p-size').value);
    wireControls();
    byId('filters-set').disabled = false;
    filter();
    performance.mark('findings-table-rendered');
    document.body.setAttribute('data-ready', 'true');
  }

  function criteria() {
    var list = [], selects = document.querySelectorAll('#filters select[data-col]');
    for (var k = 0; k < selects.length; k++) {
      var s = selects[k], name = s.getAttribute('data-col');
      if (s.value === '') continue;
      var at = positions[name][s.value];
      list.push([FILTERED[name], at === undefined ? -1 : at]);
    }
    return list;
  }

  function filter() {
    var list = criteria(), n = list.length, q = byId('f-text').value.trim().toLowerCase();
    if (q && !haystack) haystack = rows.map(function (r) {
      return (r[ID] + ' ' + r[VPC] + ' ' + r[ARN] + ' ' + r[MESSAGE]).toLowerCase();
    });
    view = [];
    next: for (var k = 0; k < order.length; k++) {
      var i = order[k], r = rows[i];
      for (var c = 0; c < n; c++) if (r[list[c][0]] !== list[c][1]) continue next;
      if (q && haystack[i].indexOf(q) < 0) continue;
      view.push(i);
    }
    page = 0;
    render();
  }

  function sortBy(col) {
    sortDir = col === sortCol ? -sortDir : 1;
    sortCol = col;
    order.sort(function (a, b) {
      var ra = rows[a], rb = rows[b];
      var x = col === ID ? (ra[ID] < rb[ID] ? -1 : ra[ID] > rb[ID] ? 1 : 0) : ra[col] - rb[col];
      return x * sortDir || ra[STATUS] - rb[STATUS] || ra[SEVERITY] - rb[SEVERITY] || a - b;
    });
    var heads = document.querySelectorAll('#findings th[data-col]');
    for (var k = 0; k < heads.length; k++) {
      if (Number(heads[k].getAttribute('data-col')) === col)
        heads[k].setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else heads[k].removeAttribute('aria-sort');
    }
    filter();
  }

  function render() {
    var pages = Math.max(1, Math.ceil(view.length / size));
    if (page > pages - 1) page = pages - 1;
    var first = page * size, last = Math.min(view.length, first + size);
    var body = el('tbody');
    body.id = 'findings-body';
    if (view.length === 0) {
      var empty = el('td', 'empty', data.total ? 'No finding matches these filters.' : 'No findings.');
      empty.colSpan = 8;
      body.appendChild(el('tr')).appendChild(empty);
    }
    for (var k = first; k < last; k++) addRow(body, view[k]);
    byId('findings-body').replaceWith(body);
    byId('table-status').textContent = shown(first, last);
    byId('p-label').textContent = 'Page ' + fmt(page + 1) + ' of ' + fmt(pages);
    byId('p-first').disabled = byId('p-prev').disabled = page === 0;
    byId('p-next').disabled = byId('p-last').disabled = page >= pages - 1;
  }

  function shown(first, last) {
    var total = data.total, range = 'Showing ' + fmt(first + 1) + '\u2013' + fmt(last) + ' of ';
    if (total === 0) return 'No findings.';
    if (!ready) return range + fmt(total) + ' findings; reading the others to filter and sort them\u2026';
    if (view.length === 0) return 'No finding matches these filters (' + fmt(total) + ' in all).';
    if (view.length === total) return range + fmt(total) + ' findings.';
    return range + fmt(view.length) + ' matching findings (' + fmt(total) + ' in all).';
  }

  function addRow(body, i) {
    var r = rows[i], c = data.columns, status = c.status[r[STATUS]], severity = c.severity[r[SEVERITY]];
    var tr = el('tr');
    tr.setAttribute('data-row', i);
    tr.setAttribute('data-status', status);
    var b = el('button', 'expand');
    b.type = 'button';
    b.setAttribute('aria-expanded', open[i] ? 'true' : 'false');
    b.setAttribute('aria-controls', 'detail-' + i);
    b.appendChild(el('span', 'mk', '\u25B8')).setAttribute('aria-hidden', 'true');
    b.appendChild(el('span', 'sr', 'Details of ' + c.check[r[CHECK]] + ' on ' + r[ID]));
    cell(tr, 'x').appendChild(b);
    cell(tr).appendChild(badge(status));
    cell(tr, 'sev sev-' + severity, severity);
    cell(tr, 'mono', c.check[r[CHECK]]).title = c.title[r[TITLE]];
    cell(tr, 'mono', c.account[r[ACCOUNT]]);
    cell(tr, 'mono', c.region[r[REGION]]);
    cell(tr, 'mono', r[ID]);
    cell(tr, 'msg', r[MESSAGE]);
    body.appendChild(tr);
    if (open[i]) body.appendChild(detail(i));
  }

  function item(dl, term, text) {
    dl.appendChild(el('dt', null, term));
    return dl.appendChild(el('dd', null, text));
  }

  function detail(i) {
    var r = rows[i], c = data.columns, tr = el('tr', 'detail'), td = el('td'), dl = el('dl');
    tr.id = 'detail-' + i;
    td.colSpan = 8;
    item(dl, 'Check', c.check[r[CHECK]] + ' \u2014 ' + c.title[r[TITLE]]);
    item(dl, 'Resource', c.type[r[TYPE]] + '  ' + r[ARN]);
    if (r[VPC]) item(dl, 'VPC', r[VPC]);
    item(dl, 'Message', r[MESSAGE]);
    item(dl, 'Remediation').appendChild(el('pre', null, r[REMEDIATION]));
    if (r.length > FIX) {
      var diff = r[DIFF] === 1;
      var dd = item(dl, diff ? 'Proposed fix (policy diff)' : 'Proposed fix (whole policy)');
      if (diff) dd.appendChild(el('p', 'note', 'Lines marked + are added, lines marked - are removed.'));
      var pre = dd.appendChild(el('pre', 'policy'));
      if (!diff) pre.textContent = r[FIX];
      else r[FIX].split('\n').forEach(function (line) {
        var mark = line.charAt(0);
        pre.appendChild(el(mark === '+' ? 'ins' : mark === '-' ? 'del' : 'span', null, line + '\n'));
      });
    }
    td.appendChild(dl);
    tr.appendChild(td);
    return tr;
  }

  function toggle(button) {
    var tr = button.closest('tr'), i = Number(tr.getAttribute('data-row'));
    if (open[i]) {
      delete open[i];
      var shown = byId('detail-' + i);
      if (shown) shown.remove();
      button.setAttribute('aria-expanded', 'false');
    } else {
      open[i] = true;
      tr.after(detail(i));
      button.setAttribute('aria-expanded', 'true');
    }
  }

  function go(to) { page = Math.max(0, to); render(); }

  /** Rows open from the first page on; sorting waits for every finding. */
  function wireTable() {
    byId('findings').addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      if (b.hasAttribute('data-sort')) { if (ready) sortBy(Number(b.getAttribute('data-sort'))); }
      else if (b.classList.contains('expand')) toggle(b);
    });
  }

  function wireControls() {
    var form = byId('filters'), timer;
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.addEventListener('change', function (e) { if (e.target.id !== 'f-text') filter(); });
    byId('f-text').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(filter, 150); });
    byId('f-clear').addEventListener('click', function () {
      var fields = form.querySelectorAll('select, input');
      for (var k = 0; k < fields.length; k++) fields[k].value = '';
      filter();
    });
    byId('p-first').addEventListener('click', function () { go(0); });
    byId('p-prev').addEventListener('click', function () { go(page - 1); });
    byId('p-next').addEventListener('click', function () { go(page + 1); });
    byId('p-last').addEventListener('click', function () { go(Math.ceil(view.length / size) - 1); });
    byId('p-size').addEventListener('change', function (e) { size = Number(e.target.value); go(0); });
    var grid = byId('grid');
    if (grid) grid.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-account]');
      if (!b) return;
      byId('f-account').value = b.getAttribute('data-account');
      byId('f-region').value = b.getAttribute('data-region');
      filter();
      byId('findings-title').scrollIntoView();
    });
  }

  firstPage();
  document.addEventListener('DOMContentLoaded', function () { setTimeout(everything, 0); });
})();`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const CSP = `default-src 'none'; style-src ${sha256(CSS)}; script-src ${sha256(SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;

// ---------------------------------------------------------------------------------------------

/**
 * The HTML report of a scan: pure and deterministic (same findings and meta, in any order, give
 * the same bytes). `original`, when given, returns the policy in force for a finding whose fix
 * proposes a new one, and the report shows the fix as a line diff against it.
 */
export function renderHtmlReport(
  findings: readonly Finding[],
  meta: ReportMeta,
  original?: (f: Finding) => string | undefined,
): string {
  const ordered = [...findings].sort(compareWorstFirst);
  const accounts = distinct([...meta.accounts, ...findings.map((f) => f.accountId)]);
  const regions = distinct([...meta.regions, ...findings.map((f) => f.region)]);
  const data = reportData(ordered, original);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="codecommit-endpoint-auditor ${escapeHtml(meta.toolVersion)}">
<title>CodeCommit endpoint audit, ${escapeHtml(formatTime(meta.scannedAt))}</title>
<style>${CSS}</style>
</head>
<body>
${renderHeader(findings, meta, accounts, regions)}
<main>
${renderSummary(findings)}
${renderCharts(findings, regions)}
${renderGrid(findings, accounts, regions)}
${renderFindingsSection(data, findings)}
</main>
<script type="application/json" id="report-head">${jsonForScript({ ...data, rows: data.rows.slice(0, FIRST_PAGE_ROWS) })}</script>
<script>${SCRIPT}</script>
<script type="application/json" id="report-data">${jsonRowsForScript(data.rows.slice(FIRST_PAGE_ROWS))}</script>
</body>
</html>
`;
}
