#!/usr/bin/env node
// Bundles each Lambda handler with esbuild: ESM, minified, mainFields ['module','main'],
// everything it imports inside (the AWS SDK clients and the generated action catalogue
// included), one folder per function under dist/ (and dist/NAME.meta.json, esbuild's account of
// its inputs). Prints each bundle's size.
import { build } from 'esbuild';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FUNCTIONS = ['scheduler', 'worker', 'config-rule'];

export async function buildAll({ outdir = join(root, 'dist'), quiet = false } = {}) {
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
      // Some dependencies still call require(); give ESM bundles one.
      banner: {
        js: "import { createRequire as __cceRequire } from 'node:module'; const require = __cceRequire(import.meta.url);",
      },
      logLevel: 'warning',
      // What went into the bundle (the IAM test reads it to find every AWS call the function can make).
      metafile: true,
    }).then((result) => writeFileSync(join(outdir, `${name}.meta.json`), JSON.stringify(result.metafile)));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    sizes[name] = statSync(outfile).size;
    if (!quiet) console.log(`dist/${name}/index.mjs  ${(sizes[name] / 1024).toFixed(0)} KiB`);
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildAll();
}
