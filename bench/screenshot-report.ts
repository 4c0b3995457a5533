/**
 * `npx tsx bench/screenshot-report.ts`: the HTML report of the demo scan, as README shows it
 * (docs/report-demo.png, 1280 px wide). Needs Debian's chromium at /usr/bin/chromium.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CATALOGUE, CHECK_IDS } from '../functions/checks/index';
import { evaluate } from '../functions/core/engine';
import type { Finding } from '../functions/core/finding';
import { parseInventory, type ScopeInventory } from '../functions/core/inventory';
import { parseParamsJson } from '../functions/core/params';
import { endpointPolicyLookup, renderHtmlReport } from '../functions/publish/html-report';
import type { ReportMeta } from '../functions/publish/report-meta';

export const CHROMIUM = '/usr/bin/chromium';
const at = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export interface DemoScan {
  scopes: ScopeInventory[];
  findings: Finding[];
  meta: ReportMeta;
}

/** The demo scan of `npm start`: the demo inventory with the demo parameters. */
export function demoScan(scannedAt = '2026-11-27T09:30:00.000Z'): DemoScan {
  const scopes = parseInventory(readFileSync(at('../events/demo-inventory.json'), 'utf8'), 'demo inventory');
  const params = parseParamsJson(readFileSync(at('../events/demo-params.json'), 'utf8'), 'demo params', CHECK_IDS);
  const findings = evaluate(scopes, params, CATALOGUE);
  const version = (JSON.parse(readFileSync(at('../package.json'), 'utf8')) as { version: string }).version;
  const meta: ReportMeta = {
    scannedAt,
    toolVersion: version,
    accounts: [...new Set(scopes.map((s) => s.accountId))].sort(),
    regions: [...new Set(scopes.map((s) => s.region))].sort(),
    params: { ...params },
  };
  return { scopes, findings, meta };
}

export function demoReport(): string {
  const { scopes, findings, meta } = demoScan();
  return renderHtmlReport(findings, meta, endpointPolicyLookup(scopes));
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'docs/report-demo.png';
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await page.setContent(demoReport());
    await page.waitForSelector('body[data-ready]');
    // The FAILED findings of CCE.9, the seed policy's opened: its message, remediation and policy diff.
    await page.selectOption('#f-status', 'FAILED');
    await page.selectOption('#f-check', 'CCE.9');
    await page.click('#findings-body tr[data-status] td.msg:has-text("us-west-2") >> xpath=.. >> button.expand');
    await page.screenshot({ path: out, fullPage: true });
    process.stderr.write(`wrote ${out}\n`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
