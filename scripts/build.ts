/**
 * `npm run build`: bundles the CLI into dist/ with esbuild (already installed through tsx), then
 * records a V8 code cache for the start path.
 *
 * A chunk per lazily loaded command (esbuild's code splitting), so a start reads the entry and the
 * command it runs, not the whole program. Each chunk is turned into a CommonJS script that
 * bin/specdrive.js compiles with `vm.Script` and the code cache recorded here: Node 20 keeps no
 * compiled code for ES modules, and its ES-module loader resolved, compiled and linked every chunk
 * on every start (docs/decisions.md, "Start-up").
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
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** yaml's ES-module entry (its package `exports` give Node the CommonJS build). */
const YAML_ESM = join(dirname(createRequire(import.meta.url).resolve('yaml')), '..', 'browser', 'dist', 'index.js');

/** The entry chunk holding what the located YAML readers use of `yaml` (src/yaml/yaml-parts.ts). */
const YAML_PARTS = 'yaml-parts';

/** Dependencies bundled into dist/ (everything else in `dependencies` is external). */
export const BUNDLED = ['zod', 'yaml'];

/** The entry chunk and the code cache of every chunk (bin/specdrive.js holds the same names). */
export const BUNDLE_FILE = 'specdrive.cjs';
export const CODE_CACHE_FILE = 'specdrive.v8cache';

/**
 * What the code cache is recorded on: the commands whose start-up is measured (`npm run bench`,
 * module `command`): `--help`, `validate`, then `generate --target c` of an SVD file, which adds the
 * chunks only it loads (the SVD importer, the analysis, the C generator; bin/specdrive.js keeps
 * each chunk's data from the first run that loaded it). Functions these run are compiled once here
 * and deserialised at each start; everything else compiles lazily as before. `scratch` is an empty
 * folder for the generated files.
 */
const trainingRuns = (scratch: string): readonly (readonly string[])[] => [
  ['--help'],
  ['validate', 'hardware-specs/demo-board/rev-a.yaml'],
  ['generate', 'test/fixtures/svd-classes/nordic-conventions.svd', '--target', 'c', '-o', scratch, '--quiet'],
];

/**
 * Each chunk is one function expression, called by bin/specdrive.js with what Node gives a CommonJS
 * module, plus an object whose `url` getter is the chunk's own URL for `import.meta.url`
 * (src/package/root.ts finds the package from it; made on first read: 2 of the ≈27 chunks a start
 * loads read it). The file is the exact text V8 compiles, so the code cache's checks apply to it as is.
 */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname, __specdrive) {"use strict";';
const WRAPPER_END = '})';

export async function buildDist(outdir = join(root, 'dist')): Promise<void> {
  // Built beside and swapped in by rename, so a command running from dist/ meanwhile never sees half a build.
  const staging = `${outdir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    // yaml-parts: the `yaml` library as a chunk of its own, required by name on first use (below).
    entryPoints: { specdrive: 'src/cli/main.ts', [YAML_PARTS]: 'src/yaml/yaml-parts.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    // Whitespace and syntax only: identifiers keep their names, so an internal error's stack still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // bin/specdrive.js hands V8 the bytes as Latin-1 text (no UTF-8 decoding): right only for ASCII.
    charset: 'ascii',
    define: { 'import.meta.url': '__specdrive.url' },
    metafile: true,
    write: false,
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          // yaml's ES-module build (the same code as its CommonJS one for Node, which needs no Node API):
          // esbuild drops what specdrive never calls.
          b.onResolve({ filter: /^yaml$/ }, () => ({ path: YAML_ESM }));
          // The located readers load the library synchronously when the subset reader declines a
          // file: in the bundle, a require of the yaml-parts chunk by its name (the loader in
          // bin/specdrive.js runs chunks synchronously), instead of Node's require of the package.
          b.onLoad({ filter: /[\\/]src[\\/]yaml[\\/]yaml-library\.ts$/ }, () => ({
            contents: `let parts; export function yamlParts() { parts ??= require("./${YAML_PARTS}.cjs"); return parts; }`,
            loader: 'js',
          }));
          b.onResolve({ filter: new RegExp(`^\\./${YAML_PARTS}\\.cjs$`) }, (args) => ({ path: args.path, external: true }));
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
  // The loader in bin/ requires chunks by name; an external left as a dynamic import would need
  // Node's ES-module loader, which a vm.Script does not have (use createRequire, as the code does).
  for (const output of Object.values(result.metafile.outputs)) {
    const dynamic = output.imports.filter((i) => i.external && i.kind === 'dynamic-import');
    if (dynamic.length > 0) throw new Error(`build: dynamic import of external ${dynamic.map((i) => i.path).join(', ')} cannot run in the bundle`);
  }
  mkdirSync(staging, { recursive: true });
  for (const file of result.outputFiles) {
    const name = basename(file.path).replace(/\.js$/, '.cjs');
    writeFileSync(join(staging, name), await asScript(file.text, name));
  }
  recordCodeCache(staging);
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}

/**
 * An ES-module chunk as a CommonJS script: `import`/`export` become `require`/`exports` (esbuild
 * reads each imported name from the chunk's exports object when used, so bindings stay live), a
 * dynamic `import()` of a chunk becomes a `require` in a promise, and `./x.js` names `./x.cjs`.
 */
async function asScript(chunk: string, name: string): Promise<string> {
  // The rename below must only meet the requires esbuild writes, never text of the program's own.
  if (/require\("\.\/[^"]*\.js"\)/.test(chunk)) throw new Error(`build: ${name} holds the text require("./…"), which the chunk rename would change`);
  const { code } = await transform(chunk, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
  });
  const text = `${WRAPPER_START}${directExports(code, name).replace(/require\("(\.\/[^"]+)\.js"\)/g, 'require("$1.cjs")')}${WRAPPER_END}`;
  if (/[^\x00-\x7f]/.test(text)) throw new Error(`build: ${name} is not ASCII`);
  return text;
}

/** What esbuild's CommonJS output assigns: a copy of the namespace whose every export is a getter forwarding to the namespace's getter. */
const COPIED_EXPORTS = 'module.exports=__toCommonJS(stdin_exports);';

/**
 * The chunk's namespace object (one getter per export, so bindings stay live) becomes its exports
 * as is, instead of esbuild's copy of it, whose getters read the namespace by a keyed lookup: every
 * call from one chunk into a function of another went through two getters, ≈5 % of `validate`
 * STM32N657 (the SVD importer calls the XML chunk's `child` millions of times, mostly before V8
 * optimises the caller). `__esModule` is set as `__toCommonJS` sets it (`__toESM` looks for it).
 */
function directExports(code: string, name: string): string {
  const at = code.indexOf(COPIED_EXPORTS);
  if (at === -1) return code;
  if (code.indexOf(COPIED_EXPORTS, at + 1) !== -1) throw new Error(`build: ${name} assigns module.exports twice`);
  return `${code.slice(0, at)}__defProp(stdin_exports,"__esModule",{value:!0});module.exports=stdin_exports;${code.slice(at + COPIED_EXPORTS.length)}`;
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
  const scratch = mkdtempSync(join(tmpdir(), 'specdrive-training-'));
  const script = `require(${JSON.stringify(bin)}).recordCodeCache(${JSON.stringify(distDir)}, ${JSON.stringify(trainingRuns(scratch))})`;
  const run = spawnSync(process.execPath, ['--predictable', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  rmSync(scratch, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`build: recording the code cache failed (exit ${run.status}):\n${run.stderr}`);
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  await buildDist();
  process.stdout.write(`built dist/\n`);
}
