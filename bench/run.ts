/**
 * `npm run bench`: evaluation throughput, API economy, cold start and the end-to-end CLI,
 * each next to its floor. Prints a table and writes bench/results.json. Not part of npm test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { apiEconomy, organizationRun } from './economy';
import { benchHtmlReport } from './html-report';
import { trafficRun } from './traffic';
import { generateInventory } from './generate';
import { buildAll, FUNCTIONS } from '../infra/build.mjs';
import fc from 'fast-check';
import { viewPolicy } from '../functions/policy/index';
import { ENDPOINT_POLICY_LIMIT, FAMILIES, hostilePolicy, largest, text } from '../test/fixtures/adversarial-policies';

// The SDK's notice about future Node versions would interleave with the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const OUT = resolve('bench/out');
const BANNER = {
  js: "import { createRequire as __cceCreateRequire } from 'node:module'; const require = __cceCreateRequire(import.meta.url);",
};

interface Row {
  benchmark: string;
  measured: string;
  floor: string;
  ratio: number | null;
  budget: string;
  ok: boolean | null;
}

const rows: Row[] = [];
const results: Record<string, unknown> = {};

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    mainFields: ['module', 'main'],
    banner: BANNER,
    logLevel: 'error',
  });
}

async function evaluation(): Promise<void> {
  const child = join(OUT, 'eval-child.mjs');
  await bundle('bench/eval-child.ts', child);
  const evaluationResults: Record<string, unknown> = {};
  for (const [size, runs] of [
    [1_000, 7],
    [10_000, 5],
    [50_000, 3],
  ] as const) {
    const file = join(OUT, `inventory-${size}.json`);
    const inventory = generateInventory(size);
    writeFileSync(file, JSON.stringify(inventory));
    const endpoints = inventory.vpcEndpoints.length;
    log(`evaluation: ${size} VPCs, ${endpoints} endpoints (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)…`);
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', child, file, String(runs)],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(out) as { parseMs: number; evalMs: number; findings: number; maxRssMiB: number };
    const ratio = r.evalMs / r.parseMs;
    evaluationResults[String(size)] = { vpcs: size, endpoints, ...r, ratio };
    rows.push({
      benchmark: `evaluate ${size.toLocaleString('en')} VPCs (${r.findings.toLocaleString('en')} findings, peak RSS ${r.maxRssMiB.toFixed(0)} MiB)`,
      measured: `${r.evalMs.toFixed(0)} ms`,
      floor: `JSON.parse ${r.parseMs.toFixed(0)} ms`,
      ratio,
      budget: size === 50_000 ? '≤ 2.00×' : '-',
      ok: size === 50_000 ? ratio <= 2 : null,
    });
  }
  results.evaluation = evaluationResults;
}

/** The slowest endpoint policy found within AWS's 20,480 characters: each hostile family at the limit, then random ones. */
async function policyWorstCase(): Promise<void> {
  const facts = {
    accountId: '123456789012',
    region: 'us-east-2',
    partition: 'aws' as const,
    vpcId: 'vpc-1',
    endpointId: 'vpce-1',
    traffic: 'git' as const,
  };
  const trust = { trustedAccounts: [], trustedOrgIds: [] };
  const judge = (document: string) => {
    const times: number[] = [];
    let outcome = '';
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const view = viewPolicy(document, facts, trust);
      times.push(performance.now() - started);
      outcome = view.ok ? `judged in ${view.analysis.steps.toLocaleString('en')} steps` : view.kind;
    }
    return { ms: median(times), outcome };
  };
  const cases: { name: string; chars: number; ms: number; outcome: string }[] = [];
  for (const [name, family] of Object.entries(FAMILIES)) {
    const { n, text: document } = largest(family);
    cases.push({ name: `${name} (n=${n})`, chars: document.length, ...judge(document) });
  }
  const random = fc
    .sample(hostilePolicy, { numRuns: 300, seed: 42 })
    .map(text)
    .filter((document) => document.length <= ENDPOINT_POLICY_LIMIT);
  let slowest = { name: 'random', chars: 0, ms: 0, outcome: '' };
  for (const document of random) {
    const result = judge(document);
    if (result.ms > slowest.ms)
      slowest = { name: `random hostile (${random.length} tried)`, chars: document.length, ...result };
  }
  cases.push(slowest);
  for (const c of cases) log(`policy: ${c.name}: ${c.chars} chars, ${c.ms.toFixed(1)} ms, ${c.outcome}`);
  const worst = cases.reduce((a, b) => (b.ms > a.ms ? b : a));
  results.policyWorstCase = { cases, worst };
  rows.push({
    benchmark: `policy analysis, worst case at ${ENDPOINT_POLICY_LIMIT.toLocaleString('en')} chars: ${worst.name}, ${worst.outcome}`,
    measured: `${worst.ms.toFixed(0)} ms`,
    floor: '-',
    ratio: null,
    budget: '≤ 1000 ms',
    ok: worst.ms <= 1000,
  });
}

async function economy(): Promise<void> {
  log('API economy: 2,500 VPCs / 10,000 endpoints (mocked AWS)…');
  const lines = await apiEconomy();
  results.apiEconomy = lines;
  results.organization = organizationRun;
  if (organizationRun) {
    const run = organizationRun;
    log(
      `organization scan: ${run.tasksSent} tasks, ${run.taskFailures} failed, ${run.scopesImported} account-regions imported; ` +
        `worker ${run.workerSeconds.toFixed(1)} s; ${((run.ec2Calls + run.otherCalls) / run.tasksSent).toFixed(2)} API calls per task; peak RSS ${run.peakRssMiB} MiB`,
    );
    rows.push({
      benchmark: `organization scan (${run.activeAccounts} accounts × ${run.regions} regions): tasks not scanned`,
      measured: String(run.tasksSent - run.scopesImported + run.taskFailures),
      floor: '0',
      ratio: null,
      budget: '0',
      ok: run.tasksSent === run.scopesImported && run.taskFailures === 0,
    });
  }
  for (const line of lines) {
    const ratio = line.calls / line.minimum;
    rows.push({
      benchmark: `calls: ${line.operation} (${line.items.toLocaleString('en')} ${line.unit})`,
      measured: String(line.calls),
      floor: `${line.minimum} (${line.rule})`,
      ratio,
      budget: '= 1.00×',
      ok: ratio === 1,
    });
  }
}

function importTime(file: string, runs = 15): number {
  const times: number[] = [];
  const script = `const t = performance.now(); await import(${JSON.stringify(`file://${file}`)}); process.stdout.write(String(performance.now() - t));`;
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, AWS_REGION: 'us-east-2' },
    });
    times.push(Number(out));
  }
  return median(times);
}

function zippedSize(file: string): number {
  // The deployment zip stores each file deflated: deflate size plus headers.
  return deflateRawSync(readFileSync(file), { level: 9 }).length + 200;
}

const FLOOR_CLIENTS: Record<string, string[]> = {
  scheduler: [
    'client-sqs:SQSClient',
    'client-organizations:OrganizationsClient',
    'client-sts:STSClient',
    'client-ec2:EC2Client',
  ],
  worker: [
    'client-ec2:EC2Client',
    'client-iam:IAMClient',
    'client-cloudtrail:CloudTrailClient',
    'client-securityhub:SecurityHubClient',
    'client-sns:SNSClient',
    'client-sqs:SQSClient',
    'client-s3:S3Client',
    'client-sts:STSClient',
  ],
  'config-rule': ['client-ec2:EC2Client', 'client-config-service:ConfigServiceClient'],
  traffic: ['client-securityhub:SecurityHubClient', 'client-sns:SNSClient', 'client-sts:STSClient'],
};

async function coldStart(): Promise<void> {
  log('cold start: bundling handlers and their SDK-only floors…');
  const dist = join(OUT, 'dist');
  await buildAll({ outdir: dist, quiet: true });
  const cold: Record<string, unknown> = {};
  for (const name of FUNCTIONS) {
    const file = join(dist, name, 'index.mjs');
    const floorEntry = join(OUT, `floor-${name}.ts`);
    writeFileSync(
      floorEntry,
      (FLOOR_CLIENTS[name] ?? [])
        .map((spec) => {
          const [pkg, client] = spec.split(':');
          return `export { ${client} } from '@aws-sdk/${pkg}';`;
        })
        .join('\n'),
    );
    const floorFile = join(OUT, `floor-${name}.mjs`);
    await bundle(floorEntry, floorFile);
    const raw = statSync(file).size;
    const zipped = zippedSize(file);
    const floorRaw = statSync(floorFile).size;
    const t = importTime(file);
    const floor = importTime(floorFile);
    cold[name] = { rawBytes: raw, zippedBytes: zipped, floorRawBytes: floorRaw, importMs: t, floorImportMs: floor };
    rows.push({
      benchmark: `cold start: import ${name} (median of 15)`,
      measured: `${t.toFixed(1)} ms`,
      floor: `SDK clients only ${floor.toFixed(1)} ms`,
      ratio: t / floor,
      budget: '≤ 1.30×',
      ok: t / floor <= 1.3,
    });
    rows.push({
      benchmark: `bundle size: ${name} (zipped ${(zipped / 1024).toFixed(0)} KiB)`,
      measured: `${(raw / 1024).toFixed(0)} KiB`,
      floor: `SDK clients only ${(floorRaw / 1024).toFixed(0)} KiB`,
      ratio: raw / floorRaw,
      budget: '≤ 1024 KiB',
      ok: raw <= 1024 * 1024,
    });
  }
  results.coldStart = cold;
}

async function endToEnd(): Promise<void> {
  log('end-to-end CLI: --inventory of 10,000 VPCs…');
  const cli = join(OUT, 'cli.mjs');
  await bundle('functions/cli/main.ts', cli);
  const file = join(OUT, 'inventory-10000.json');
  const args = [cli, '--inventory', file, '--format', 'json'];
  let wallMs: number;
  let rssMiB: number | null = null;
  if (existsSync('/usr/bin/time')) {
    const started = performance.now();
    const devNull = openSync('/dev/null', 'w');
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', devNull, 'pipe'],
    });
    closeSync(devNull);
    wallMs = performance.now() - started;
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    rssMiB = match ? Number(match[1]) / 1024 : null;
    if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr.slice(-500)}`);
  } else {
    const started = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    wallMs = performance.now() - started;
  }
  const started = performance.now();
  spawnSync(process.execPath, ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'))`]);
  const floorMs = performance.now() - started;
  results.endToEnd = { wallMs, peakRssMiB: rssMiB, floorMs };
  rows.push({
    benchmark: `CLI --inventory 10,000 VPCs --format json${rssMiB ? ` (peak RSS ${rssMiB.toFixed(0)} MiB)` : ''}`,
    measured: `${(wallMs / 1000).toFixed(2)} s`,
    floor: `node reading + parsing it ${(floorMs / 1000).toFixed(2)} s`,
    ratio: wallMs / floorMs,
    budget: '-',
    ok: null,
  });
}

/** CCE.14: LookupEvents calls against ⌈events/50⌉, and how 100,000 events in the window end. */
async function traffic(): Promise<void> {
  log('traffic: CloudTrail LookupEvents, paced and continued (virtual time)...');
  const figures = [];
  for (const count of [1_000, 100_000]) {
    const f = await trafficRun(count);
    figures.push(f);
    rows.push({
      benchmark: `LookupEvents for ${count.toLocaleString('en')} CodeCommit events (${f.tasks} worker task(s) of 300 s, ${(f.virtualSeconds / 60).toFixed(0)} min, ${f.eventsCounted.toLocaleString('en')} counted, ${f.sameAsOneGo ? 'same summary as in one go' : 'SUMMARY DIFFERS'})`,
      measured: String(f.calls),
      floor: `⌈events/50⌉ = ${f.floor}`,
      ratio: f.calls / f.floor,
      budget: '= floor, no event lost',
      ok: f.calls === f.floor && f.eventsCounted === count && f.sameAsOneGo,
    });
  }
  results.traffic = figures;
}

/** The HTML report of 100,000 findings in Debian's chromium (size, first paint, filter). */
async function htmlReport(): Promise<void> {
  log('html: the HTML report of 100,000 findings in chromium...');
  const f = await benchHtmlReport(100_000);
  results.htmlReport = f;
  rows.push({
    benchmark: `HTML report of 100,000 findings: ${(f.bytes / 2 ** 20).toFixed(1)} MB, first paint ${f.firstPaintMs.toFixed(0)} ms, first page ${f.firstTablePageMs.toFixed(0)} ms, filter FAILED ${f.filterFailedMs.toFixed(0)} ms`,
    measured: `${(f.tableReadyMs / 1000).toFixed(2)} s to filters ready`,
    floor: '-',
    ratio: null,
    budget: '-',
    ok: f.requests.length === 0 ? null : false,
  });
}

function table(): string {
  const headers = ['benchmark', 'measured', 'floor', 'ratio', 'budget', 'ok'];
  const cells = rows.map((r) => [
    r.benchmark,
    r.measured,
    r.floor,
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`,
    r.budget,
    r.ok === null ? '' : r.ok ? 'yes' : 'NO',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string =>
    c
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

mkdirSync(OUT, { recursive: true });
const started = Date.now();
// `npm run bench -- policy economy`: only the named sections; by default, all of them.
const SECTIONS: Record<string, () => Promise<void>> = {
  policy: policyWorstCase,
  evaluation,
  economy,
  'cold-start': coldStart,
  'end-to-end': endToEnd,
  traffic,
  html: htmlReport,
};
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!(name in SECTIONS)) {
    process.stderr.write(`npm run bench: no section ${name}; sections: ${Object.keys(SECTIONS).join(', ')}\n`);
    process.exit(2);
  }
}
for (const [name, run] of Object.entries(SECTIONS)) if (chosen.length === 0 || chosen.includes(name)) await run();
results.machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};
results.rows = rows;
results.seconds = (Date.now() - started) / 1000;
if (chosen.length === 0) writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(
  `${table()}\n\nbench finished in ${results.seconds as number} s; ${chosen.length === 0 ? 'figures in bench/results.json' : 'bench/results.json kept (not every section ran)'}\n`,
);
