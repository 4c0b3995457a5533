/**
 * Child process of the evaluation benchmark (bundled by bench/run.ts, run with plain node):
 * median time to JSON.parse an inventory file (the floor: reading the input) and to
 * evaluate the parsed inventory, plus the peak RSS.
 */
import { readFileSync } from 'node:fs';
import { CATALOGUE } from '../functions/checks/index';
import { evaluate } from '../functions/core/engine';
import { validateInventory } from '../functions/core/inventory';
import { parseParams } from '../functions/core/params';
import { CHECK_IDS } from '../functions/checks/index';

const [file, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 5);
const text = readFileSync(file as string, 'utf8');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const parseTimes: number[] = [];
const evalTimes: number[] = [];
let findings = 0;
const params = parseParams({}, CHECK_IDS);
for (let i = 0; i < runs; i++) {
  gc();
  let t = performance.now();
  const document: unknown = JSON.parse(text);
  parseTimes.push(performance.now() - t);
  const scopes = validateInventory(document, file as string);
  gc();
  t = performance.now();
  findings = evaluate(scopes, params, CATALOGUE).length;
  evalTimes.push(performance.now() - t);
}
process.stdout.write(
  JSON.stringify({
    parseMs: median(parseTimes),
    evalMs: median(evalTimes),
    findings,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
