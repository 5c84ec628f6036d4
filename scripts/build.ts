/**
 * `npm run build`: bundles the CLI into dist/ with esbuild (already installed through tsx).
 *
 * One bundle with a chunk per lazily loaded command, so a start pays for one file and the command
 * it runs, not for resolving two hundred modules (see docs/decisions.md, "Build"). zod and yaml are
 * bundled (pure JavaScript, on every start's path); the other dependencies stay external and are
 * resolved from node_modules at run time: native addons (serialport, usb), TensorFlow.js (loaded by
 * `require` on first diff), the TypeScript compiler and tsx (run as child processes), handlebars.
 * Type checking is `npm run typecheck`; esbuild only strips types.
 *
 * Templates, runtimes, the solver's .wasm and the matcher weights are not copied: they ship at their
 * repository paths (package.json `files`) and are found from the package root (src/package/root.ts).
 */
import { renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** yaml's ES-module entry (its package `exports` give Node the CommonJS build). */
const YAML_ESM = join(dirname(createRequire(import.meta.url).resolve('yaml')), '..', 'browser', 'dist', 'index.js');

/** Dependencies bundled into dist/ (everything else in `dependencies` is external). */
export const BUNDLED = ['zod', 'yaml'];

export async function buildDist(outdir = join(root, 'dist')): Promise<void> {
  // Built beside and swapped in by rename, so a command running from dist/ meanwhile never sees half a build.
  const staging = `${outdir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { specdrive: 'src/cli/main.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    // Whitespace and syntax only: identifiers keep their names, so an internal error's stack still reads.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // Bundled CommonJS (yaml's node build) calls require() for builtins; give every chunk one.
    banner: { js: "import { createRequire as __specdriveRequire } from 'node:module'; const require = __specdriveRequire(import.meta.url);" },
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          // yaml's ES-module build (the same code as its CommonJS one for Node, which needs no Node API):
          // esbuild drops what specdrive never calls, and the module needs no CommonJS wrapper at start-up.
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
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  await buildDist();
  process.stdout.write(`built dist/\n`);
}
