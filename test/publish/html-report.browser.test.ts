/**
 * The HTML report of the demo scan, opened in a real browser: Debian's chromium, driven by
 * playwright-core. The page must show the summary the findings add up to, filter and sort
 * them, log no error and make no request of any kind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE, CHECK_IDS } from '../../functions/checks/index';
import { evaluate } from '../../functions/core/engine';
import { STATUSES, type Finding } from '../../functions/core/finding';
import { parseInventory, type ScopeInventory } from '../../functions/core/inventory';
import { parseParamsJson } from '../../functions/core/params';
import { endpointPolicyLookup, renderHtmlReport } from '../../functions/publish/html-report';
import type { ReportMeta } from '../../functions/publish/report-meta';

const CHROMIUM = '/usr/bin/chromium';
const EVENTS = (name: string): URL => new URL(`../../events/${name}`, import.meta.url);

function demoScan(): { scopes: ScopeInventory[]; findings: Finding[]; meta: ReportMeta } {
  const scopes = parseInventory(readFileSync(EVENTS('demo-inventory.json'), 'utf8'), 'demo inventory');
  const params = parseParamsJson(readFileSync(EVENTS('demo-params.json'), 'utf8'), 'demo params', CHECK_IDS);
  const meta: ReportMeta = {
    scannedAt: '2026-11-27T09:30:00.000Z',
    toolVersion: '0.1.0',
    accounts: [...new Set(scopes.map((s) => s.accountId))].sort(),
    regions: [...new Set(scopes.map((s) => s.region))].sort(),
    params: { ...params },
  };
  return { scopes, findings: evaluate(scopes, params, CATALOGUE), meta };
}

interface Visit {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request the page tried to make (each is refused). */
  requests: string[];
}

let browser: Browser;

async function visit(html: string, options: BrowserContextOptions = {}): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  await context.route('**/*', (route) => route.abort());
  await page.setContent(html);
  if (options.javaScriptEnabled !== false) await page.waitForSelector('body[data-ready]', { timeout: 5000 });
  return { page, errors, requests };
}

/** Each row of the current page of the table, as `status checkId account region resource`. */
function shownRows(page: Page): Promise<string[]> {
  return page.$$eval('#findings-body tr[data-status]', (rows) =>
    rows.map((row) =>
      [...row.querySelectorAll('td')]
        .slice(1, 7)
        .filter((_, i) => i !== 1)
        .map((td) => td.textContent?.replace(/^\W+/, '').trim())
        .join(' '),
    ),
  );
}

const key = (f: Finding): string => `${f.status} ${f.checkId} ${f.accountId} ${f.region} ${f.resourceId}`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: these tests need Debian's chromium package (apt-get install -y chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 20_000);

afterAll(async () => {
  await browser?.close();
});

const { scopes, findings, meta } = demoScan();

describe('the HTML report of the demo scan, in Chromium', () => {
  const html = renderHtmlReport(findings, meta, endpointPolicyLookup(scopes));
  let demo: Visit;

  beforeAll(async () => {
    demo = await visit(html);
  }, 20_000);

  it('shows the summary counts the findings add up to', async () => {
    const cards = await demo.page.$$eval('[data-summary-status]', (cells) =>
      cells.map((c) => [c.getAttribute('data-summary-status'), Number(c.textContent?.replace(/,/g, ''))]),
    );
    const matrix = await demo.page.$$eval('td[data-severity]', (cells) =>
      cells.map((c) => [
        `${c.getAttribute('data-status')} ${c.getAttribute('data-severity')}`,
        Number(c.textContent?.replace(/,/g, '')),
      ]),
    );

    expect(Object.fromEntries(cards)).toEqual(
      Object.fromEntries(STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length])),
    );
    for (const [cell, count] of matrix) {
      const [status, severity] = String(cell).split(' ');
      expect(count, String(cell)).toBe(findings.filter((f) => f.status === status && f.severity === severity).length);
    }
    expect(await demo.page.textContent('[data-summary-total]')).toBe(String(findings.length));
    expect(await demo.page.textContent('#table-status')).toBe(`Showing 1–100 of ${findings.length} findings.`);
  });

  it('filtering by FAILED shows exactly the FAILED findings', async () => {
    const failed = findings.filter((f) => f.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);

    await demo.page.selectOption('#f-status', 'FAILED');

    expect((await shownRows(demo.page)).sort()).toEqual(failed.map(key).sort());
    expect(await demo.page.textContent('#table-status')).toBe(
      `Showing 1–${failed.length} of ${failed.length} matching findings (${findings.length} in all).`,
    );
    await demo.page.click('#f-clear');
    expect(await shownRows(demo.page)).toHaveLength(100);
  });

  it('filters by the grid cell chosen, sorts by a column and pages through the rest', async () => {
    const inCell = findings.filter((f) => f.accountId === '123456789012' && f.region === 'eu-west-1');

    await demo.page.click('#grid button[data-account="123456789012"][data-region="eu-west-1"]');
    expect((await shownRows(demo.page)).sort()).toEqual(inCell.map(key).sort());
    await demo.page.click('#f-clear');

    await demo.page.click('th[data-col="7"] button');
    const resources = (await shownRows(demo.page)).map((row) => row.split(' ')[4] ?? '');
    expect(resources).toEqual([...resources].sort());
    expect(await demo.page.getAttribute('th[data-col="7"]', 'aria-sort')).toBe('ascending');
    await demo.page.click('#p-next');
    expect(await shownRows(demo.page)).toHaveLength(findings.length - 100);
    await demo.page.click('th[data-col="0"] button');
  });

  it("expands a row to its message, remediation and the proposed policy as a diff against the endpoint's", async () => {
    const fixed = findings.find((f) => f.checkId === 'CCE.9' && f.fix && f.message.includes('us-west-2'));
    if (!fixed) throw new Error('the demo has no CCE.9 fix on the seed policy');
    await demo.page.selectOption('#f-check', 'CCE.9');
    await demo.page.fill('#f-text', 'us-west-2');
    // The text filter waits for typing to pause.
    await expect.poll(async () => (await shownRows(demo.page)).length).toBe(1);

    await demo.page.click('#findings-body button.expand');

    const detail = await demo.page.textContent('tr.detail');
    expect(detail).toContain(fixed.message);
    expect(detail).toContain(fixed.remediation);
    expect(await demo.page.getAttribute('#findings-body button.expand', 'aria-expanded')).toBe('true');
    const removed = await demo.page.$$eval('tr.detail del', (lines) => lines.map((l) => l.textContent ?? ''));
    expect(removed.join('')).toContain('"Action": "codecommit:GitPush"');
    expect(await demo.page.$$eval('tr.detail ins', (lines) => lines.length)).toBe(0);
  });

  it('follows dark mode and prints without its controls', async () => {
    await demo.page.emulateMedia({ colorScheme: 'dark' });
    expect(await demo.page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
    await demo.page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await demo.page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    expect(await demo.page.isVisible('#filters')).toBe(false);
    expect(await demo.page.isVisible('#findings')).toBe(true);
  });

  // Last: over everything the tests above did on the page.
  it('logged no console error and made no network request', () => {
    expect(demo.errors).toEqual([]);
    expect(demo.requests).toEqual([]);
  });
});

describe('the HTML report, hostile or without JavaScript', () => {
  it('shows hostile text as text, even with the page policy off', async () => {
    const HOSTILE = '</script><img src="x" onerror="window.pwned = 1"><script>window.pwned = 2</script>';
    const hostile: Finding = {
      ...findings[0]!,
      status: 'FAILED',
      severity: 'CRITICAL',
      message: HOSTILE,
      remediation: HOSTILE,
    };

    const { page, errors, requests } = await visit(renderHtmlReport([hostile, ...findings], meta), { bypassCSP: true });
    await page.selectOption('#f-status', 'FAILED');
    await page.click('#findings-body button.expand');

    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await page.$$('img')).toHaveLength(0);
    expect(await page.textContent('#findings-body td.msg')).toBe(HOSTILE);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('shows the header and the summary without JavaScript, and says the table needs it', async () => {
    const { page } = await visit(renderHtmlReport(findings, meta), { javaScriptEnabled: false });

    expect(await page.isVisible('h1')).toBe(true);
    expect(await page.textContent('[data-summary-status="FAILED"]')).toBe(
      String(findings.filter((f) => f.status === 'FAILED').length),
    );
    expect(await page.isVisible('#grid')).toBe(true);
    expect(await page.isVisible('#findings')).toBe(false);
    expect(await page.textContent('#findings-section')).toContain('The findings table needs JavaScript');
  });
});
