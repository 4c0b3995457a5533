#!/usr/bin/env node
// Bundles each Lambda handler with esbuild: ESM, minified, mainFields ['module','main'],
// everything it imports inside (the AWS SDK clients and the generated action catalogue
// included), one folder per function under dist/ (and dist/NAME.meta.json, esbuild's account of
// its inputs), and the command line as dist/cli/codecommit-endpoint-auditor.mjs (the package's
// `bin`). Prints each bundle's size. `--cli` builds the command line only, `--functions` the
// handlers only (what `npm run package` deploys).
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['scheduler', 'worker', 'config-rule', 'traffic'];
export const CLI_BUNDLE = join('cli', 'codecommit-endpoint-auditor.mjs');

// Some dependencies still call require(); give ESM bundles one.
const REQUIRE_SHIM =
  "import { createRequire as __cceRequire } from 'node:module'; const require = __cceRequire(import.meta.url);";

/**
 * The command line, self-contained (its version included) but for the demo it reads from
 * events/: the bundle sits two folders below the package root, as its source does
 * (functions/cli/), so the same relative path finds it.
 */
export async function buildCli({ outdir = join(root, 'dist'), quiet = false } = {}) {
  const outfile = join(outdir, CLI_BUNDLE);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'functions', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  const size = statSync(outfile).size;
  if (!quiet) console.log(`dist/${CLI_BUNDLE}  ${(size / 1024).toFixed(0)} KiB`);
  return size;
}

export async function buildAll({ outdir = join(root, 'dist'), quiet = false, cli = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const sizes = {};
  for (const name of FUNCTIONS) {
    const dir = join(outdir, name);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'index.mjs');
    await build({
      entryPoints: [join(root, 'functions', 'handlers', `${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      mainFields: ['module', 'main'],
      banner: { js: REQUIRE_SHIM },
      logLevel: 'warning',
      // What went into the bundle (the IAM test reads it to find every AWS call the function can make).
      metafile: true,
    }).then((result) => writeFileSync(join(outdir, `${name}.meta.json`), JSON.stringify(result.metafile)));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    sizes[name] = statSync(outfile).size;
    if (!quiet) console.log(`dist/${name}/index.mjs  ${(sizes[name] / 1024).toFixed(0)} KiB`);
  }
  if (cli) sizes.cli = await buildCli({ outdir, quiet });
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--cli')) await buildCli();
  else await buildAll({ cli: !process.argv.includes('--functions') });
}
