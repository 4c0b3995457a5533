#!/usr/bin/env node
// `npm test`: the typecheck and the lint (ESLint and Prettier) side by side, then the test suite
// (on a two-core machine running all four at once is slower than this). The static checks'
// output is shown when they fail; the suite's streams. Exits non-zero when any of them fails.
import { spawn } from 'node:child_process';

const STATIC = [
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['eslint', 'npx', ['eslint', '.']],
  ['prettier', 'npx', ['prettier', '--check', '.']],
];

function run(name, command, args, stream) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', stream ? 'inherit' : 'pipe', stream ? 'inherit' : 'pipe'] });
    if (!stream) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code) => resolve({ name, code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(STATIC.map(([name, command, args]) => run(name, command, args, false)));
results.push(await run('vitest', 'npx', ['vitest', 'run', ...process.argv.slice(2)], true));
for (const r of results.filter((r) => r.name !== 'vitest' && r.code !== 0)) {
  process.stdout.write(`\n--- ${r.name} failed ---\n${r.output}`);
}
process.stdout.write(
  `\n${results.map((r) => `${r.name} ${r.code === 0 ? 'passed' : 'FAILED'} (${r.seconds.toFixed(1)} s)`).join(', ')}\n`,
);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
