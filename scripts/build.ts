/**
 * `npm run build`: bundles the CLI into dist/ with esbuild (already installed through tsx), then
 * records a V8 code cache for the bundle's start path.
 *
 * One CommonJS script, not ES-module chunks: Node 20 has no compile cache for ES modules, and a start
 * through its ES-module loader paid for resolving, compiling and linking every chunk. The script is
 * loaded by bin/specdrive.js through `vm.Script` with the code cache (see docs/decisions.md, "Start-up:
 * one script and a V8 code cache"). Lazily imported modules stay lazy: esbuild wraps each in an
 * initialiser run on first `import()`, so `validate` of a YAML file never runs the SVD importer or the
 * generators, and with the code cache it does not compile them either.
 *
 * zod and yaml are bundled (pure JavaScript, on every start's path); the other dependencies stay
 * external and are resolved from node_modules at run time: native addons (serialport, usb),
 * TensorFlow.js (loaded by `require` on first diff), the TypeScript compiler and tsx (run as child
 * processes), handlebars. Type checking is `npm run typecheck`; esbuild only strips types.
 *
 * Templates, runtimes, the solver's .wasm and the matcher weights are not copied: they ship at their
 * repository paths (package.json `files`) and are found from the package root (src/package/root.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** yaml's ES-module entry (its package `exports` give Node the CommonJS build). */
const YAML_ESM = join(dirname(createRequire(import.meta.url).resolve('yaml')), '..', 'browser', 'dist', 'index.js');

/** Dependencies bundled into dist/ (everything else in `dependencies` is external). */
export const BUNDLED = ['zod', 'yaml'];

/** The bundle, and its code cache (both read by bin/specdrive.js, which holds the same names). */
export const BUNDLE_FILE = 'specdrive.cjs';
export const CODE_CACHE_FILE = 'specdrive.cjs.v8cache';

/**
 * What the code cache is recorded on: the commands whose start-up is measured (`npm run bench`,
 * module `command`). Functions these run are compiled once here and deserialised at each start;
 * everything else compiles lazily as before.
 */
const TRAINING_RUNS: readonly (readonly string[])[] = [['--help'], ['validate', 'hardware-specs/demo-board/rev-a.yaml']];

/**
 * The bundle is one function expression, called by bin/specdrive.js with what Node gives a CommonJS
 * module, plus the bundle's own URL for `import.meta.url` (src/package/root.ts finds the package
 * from it). The file is the exact text V8 compiles, so the code cache's checks apply to it as is.
 */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname, __specdriveUrl) {"use strict";';
const WRAPPER_END = '})';

export async function buildDist(outdir = join(root, 'dist')): Promise<void> {
  // Built beside and swapped in by rename, so a command running from dist/ meanwhile never sees half a build.
  const staging = `${outdir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { specdrive: 'src/cli/main.ts' },
    outdir: staging,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Whitespace and syntax only: identifiers keep their names, so an internal error's stack still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // The code cache is checked against the bundle's bytes; ASCII keeps them one-byte text in V8 too.
    charset: 'ascii',
    define: { 'import.meta.url': '__specdriveUrl' },
    banner: { js: WRAPPER_START },
    footer: { js: WRAPPER_END },
    metafile: true,
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          // yaml's ES-module build (the same code as its CommonJS one for Node, which needs no Node API):
          // esbuild drops what specdrive never calls.
          b.onResolve({ filter: /^yaml$/ }, () => ({ path: YAML_ESM }));
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : (args.path.split('/')[0] as string);
            if (name.startsWith('node:') || BUNDLED.includes(name)) return undefined;
            return { path: args.path, external: true };
          });
        },
      },
    ],
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error(`build failed with ${result.errors.length} error(s)`);
  // bin/specdrive.js hands V8 the bytes as Latin-1 text (no UTF-8 decoding): right only for ASCII.
  if (/[^\x00-\x7f]/.test(readFileSync(join(staging, BUNDLE_FILE), 'latin1'))) throw new Error(`build: ${BUNDLE_FILE} is not ASCII`);
  // A script run by vm.Script has no loader for `import()`: an external left as a dynamic import
  // would fail at run time, so the build refuses it (use createRequire for external packages).
  for (const output of Object.values(result.metafile.outputs)) {
    const dynamic = output.imports.filter((i) => i.external && i.kind === 'dynamic-import');
    if (dynamic.length > 0) throw new Error(`build: dynamic import of external ${dynamic.map((i) => i.path).join(', ')} cannot run in the bundle`);
  }
  recordCodeCache(staging);
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}

/**
 * Runs the training commands in a fresh `node` through bin/specdrive.js's own loader, then writes
 * the cache beside the bundle. `--predictable` (single-threaded, a fixed GC schedule) makes the
 * cache the same bytes on every build; V8 leaves that flag out of the flag hash it checks a cache
 * against, so a plain `node` takes it (test/unit/cli/code-cache.test.ts checks both). Any other V8
 * flag would make every plain start refuse the cache.
 */
export function recordCodeCache(distDir: string): void {
  const bin = join(root, 'bin', 'specdrive.js');
  const script = `require(${JSON.stringify(bin)}).recordCodeCache(${JSON.stringify(distDir)}, ${JSON.stringify(TRAINING_RUNS)})`;
  const run = spawnSync(process.execPath, ['--predictable', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (run.status !== 0) throw new Error(`build: recording the code cache failed (exit ${run.status}):\n${run.stderr}`);
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  await buildDist();
  process.stdout.write(`built dist/\n`);
}
