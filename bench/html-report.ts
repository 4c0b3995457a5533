/**
 * `npx tsx bench/html-report.ts [count]`: the HTML report at scale. Generates 100,000 findings
 * (the demo scan's findings copied across 250 accounts × 8 regions, statuses varied), renders
 * the report, and opens it in Chromium from a file:// URL: file size, render time, first paint,
 * first contentful paint, the first table page, and the time a filter and a sort take.
 * Needs Debian's chromium at /usr/bin/chromium.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Finding, Status } from '../functions/core/finding';
import { endpointPolicyLookup, renderHtmlReport } from '../functions/publish/html-report';
import type { ReportMeta } from '../functions/publish/report-meta';
import { random } from './generate';
import { CHROMIUM, demoScan } from './screenshot-report';

const REGIONS = [
  'ap-northeast-1',
  'ap-southeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'us-east-1',
  'us-east-2',
  'us-west-2',
];
const ACCOUNTS = 250;
const STATUSES: readonly Status[] = ['PASSED', 'FAILED', 'NOT_APPLICABLE', 'ERROR'];

export interface HtmlReportFigures {
  findings: number;
  bytes: number;
  gzipBytes: number;
  renderMs: number;
  firstPaintMs: number;
  firstContentfulPaintMs: number;
  firstTablePageMs: number;
  tableReadyMs: number;
  domContentLoadedMs: number;
  loadEventMs: number;
  filterFailedMs: number;
  filterFailedPaintedMs: number;
  filterFailedRows: number;
  sortByResourceMs: number;
  jsHeapMb: number;
  requests: string[];
}

/** `count` findings: the demo scan's, account and region substituted, a seeded share of statuses changed. */
export function manyFindings(count: number): {
  findings: Finding[];
  meta: ReportMeta;
  original: (f: Finding) => string | undefined;
} {
  const demo = demoScan();
  const policyOf = endpointPolicyLookup(demo.scopes);
  const templates = demo.findings.filter((f) => f.accountId === '123456789012' && f.region !== 'af-south-1');
  const rand = random(17);
  const findings: Finding[] = [];
  const templateOf = new Map<Finding, Finding>();
  const accounts: string[] = [];
  for (let a = 0; findings.length < count && a < ACCOUNTS * 100; a++) {
    const accountId = String(100000000000 + a * 7919).padStart(12, '0');
    accounts.push(accountId);
    for (const region of REGIONS) {
      for (const template of templates) {
        if (findings.length >= count) break;
        const swap = (text: string): string =>
          text.replaceAll('123456789012', accountId).replaceAll(template.region, region);
        const roll = rand();
        const status =
          roll < 0.15 ? (STATUSES[Math.floor(rand() * STATUSES.length)] ?? template.status) : template.status;
        const copy: Finding = {
          ...template,
          status,
          accountId,
          region,
          resourceArn: swap(template.resourceArn),
          message: swap(template.message),
          remediation: swap(template.remediation),
          ...(template.fix ? { fix: { policyDocument: swap(template.fix.policyDocument) } } : {}),
        };
        templateOf.set(copy, template);
        findings.push(copy);
      }
    }
  }
  const meta: ReportMeta = { ...demo.meta, accounts, regions: [...REGIONS] };
  const original = (f: Finding): string | undefined => {
    const template = templateOf.get(f);
    return template ? policyOf(template) : undefined;
  };
  return { findings, meta, original };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Page-side measurements, as script text (the bench is compiled without the DOM library). */
const PAGE_TIMINGS = `(() => {
  const paint = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    firstPaintMs: paint('first-paint'),
    firstContentfulPaintMs: paint('first-contentful-paint'),
    firstTablePageMs: paint('findings-first-page'),
    tableReadyMs: paint('findings-table-rendered'),
    domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : NaN,
    loadEventMs: nav ? nav.loadEventEnd : NaN,
    jsHeapMb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : NaN,
  };
})()`;

const FILTER_FAILED = `new Promise((done) => {
  const select = document.getElementById('f-status');
  const start = performance.now();
  select.value = 'FAILED';
  select.dispatchEvent(new Event('change', { bubbles: true }));
  const filtered = performance.now();
  requestAnimationFrame(() => setTimeout(() => done({
    filterFailedMs: filtered - start,
    filterFailedPaintedMs: performance.now() - start,
    filterFailedRows: Number(document.getElementById('table-status').textContent.match(/of ([\\d,]+)/)[1].replace(/,/g, '')),
  })));
})`;

const SORT_BY_RESOURCE = `(() => {
  const start = performance.now();
  document.querySelector('th[data-col="7"] button').click();
  return performance.now() - start;
})()`;

export async function benchHtmlReport(
  count = 100_000,
  file = resolve('bench/out/report-100k.html'),
): Promise<HtmlReportFigures> {
  const { findings, meta, original } = manyFindings(count);
  const renders: number[] = [];
  let html = '';
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    html = renderHtmlReport(findings, meta, original);
    renders.push(performance.now() - start);
  }
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--enable-precise-memory-info'],
  });
  try {
    const loadOnce = async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      await page.route('**/*', (route) => {
        if (route.request().url() !== url) requests.push(route.request().url());
        return route.request().url() === url ? route.continue() : route.abort();
      });
      await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
      await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
      const timings = (await page.evaluate(PAGE_TIMINGS)) as Pick<
        HtmlReportFigures,
        | 'firstPaintMs'
        | 'firstContentfulPaintMs'
        | 'firstTablePageMs'
        | 'tableReadyMs'
        | 'domContentLoadedMs'
        | 'loadEventMs'
        | 'jsHeapMb'
      >;
      const filter = (await page.evaluate(FILTER_FAILED)) as Pick<
        HtmlReportFigures,
        'filterFailedMs' | 'filterFailedPaintedMs' | 'filterFailedRows'
      >;
      const sortByResourceMs = (await page.evaluate(SORT_BY_RESOURCE)) as number;
      await page.close();
      return { ...timings, ...filter, sortByResourceMs, requests };
    };
    const loads: Awaited<ReturnType<typeof loadOnce>>[] = [];
    for (let run = 0; run < 3; run++) loads.push(await loadOnce());
    const pick = (k: Exclude<keyof (typeof loads)[number], 'requests'>): number => median(loads.map((l) => l[k]));
    return {
      findings: findings.length,
      bytes: Buffer.byteLength(html),
      gzipBytes: gzipSync(html).length,
      renderMs: median(renders),
      firstPaintMs: pick('firstPaintMs'),
      firstContentfulPaintMs: pick('firstContentfulPaintMs'),
      firstTablePageMs: pick('firstTablePageMs'),
      tableReadyMs: pick('tableReadyMs'),
      domContentLoadedMs: pick('domContentLoadedMs'),
      loadEventMs: pick('loadEventMs'),
      filterFailedMs: pick('filterFailedMs'),
      filterFailedPaintedMs: pick('filterFailedPaintedMs'),
      filterFailedRows: loads[0]?.filterFailedRows ?? 0,
      sortByResourceMs: pick('sortByResourceMs'),
      jsHeapMb: pick('jsHeapMb'),
      requests: loads.flatMap((l) => l.requests),
    };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const f = await benchHtmlReport(count);
  const ms = (n: number): string => `${Math.round(n)} ms`;
  const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
  const lines = [
    `HTML report of ${f.findings.toLocaleString('en-US')} findings (median of 3)`,
    `file size                 ${mb(f.bytes)} (${mb(f.gzipBytes)} gzipped)`,
    `render (renderHtmlReport) ${ms(f.renderMs)}`,
    `first paint               ${ms(f.firstPaintMs)}`,
    `first contentful paint    ${ms(f.firstContentfulPaintMs)}`,
    `first table page shown    ${ms(f.firstTablePageMs)}`,
    `page read (DOMContentLoaded) ${ms(f.domContentLoadedMs)}`,
    `filters and sort ready    ${ms(f.tableReadyMs)}`,
    `load event                ${ms(f.loadEventMs)}`,
    `filter status = FAILED    ${ms(f.filterFailedMs)} (${ms(f.filterFailedPaintedMs)} to the next frame), ${f.filterFailedRows.toLocaleString('en-US')} rows`,
    `sort by resource          ${ms(f.sortByResourceMs)} (FAILED rows)`,
    `JS heap after load        ${f.jsHeapMb.toFixed(0)} MB`,
    `network requests          ${f.requests.length === 0 ? 'none' : f.requests.join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
