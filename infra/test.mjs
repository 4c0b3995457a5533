#!/usr/bin/env node
// `npm test`: the typecheck and the test suite, side by side (the suite waits on I/O much of the
// time, which the typecheck fills on a two-core machine). The typecheck's output is shown when it
// fails; the suite's streams. Exits non-zero when either fails. Lint: `npm run lint` (CI runs both).
import { spawn } from 'node:child_process';

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

const results = await Promise.all([
  run('typecheck', 'npx', ['tsc', '--noEmit'], false),
  run('vitest', 'npx', ['vitest', 'run', ...process.argv.slice(2)], true),
]);
for (const r of results.filter((r) => r.name !== 'vitest' && r.code !== 0)) {
  process.stdout.write(`\n--- ${r.name} failed ---\n${r.output}`);
}
process.stdout.write(
  `\n${results.map((r) => `${r.name} ${r.code === 0 ? 'passed' : 'FAILED'} (${r.seconds.toFixed(1)} s)`).join(', ')}\n`,
);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
