#!/usr/bin/env node
// The installed command: runs the bundle built by `npm run build` (the repository's `prepare` builds
// it on `npm install`). Repository scripts and tests may run the TypeScript sources through tsx.
//
// CommonJS (bin/package.json), loading dist/specdrive.cjs as a vm.Script with the V8 code cache the
// build recorded beside it: Node 20 caches no compiled code for ES modules, and compiling the bundle
// was most of a small command's start-up (docs/decisions.md, "Start-up: one script and a V8 code cache").
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const BUNDLE_FILE = 'specdrive.cjs';
const CODE_CACHE_FILE = 'specdrive.cjs.v8cache';
/** The cache file starts with the sha256 of the bundle it was made from. */
const DIGEST_BYTES = 32;

/**
 * The cache recorded for exactly these bundle bytes, or undefined. V8 checks its own version and
 * flags and the source length only, so a cache of another bundle of the same length would be taken:
 * the digest rules that out. A rejected or missing cache costs compile time, never a different result.
 */
function codeCacheFor(dir, bundle) {
  let data;
  try {
    data = readFileSync(join(dir, CODE_CACHE_FILE));
  } catch {
    return undefined;
  }
  if (data.length <= DIGEST_BYTES) return undefined;
  const digest = createHash('sha256').update(bundle).digest();
  return digest.equals(data.subarray(0, DIGEST_BYTES)) ? data.subarray(DIGEST_BYTES) : undefined;
}

/**
 * Compiles and runs the bundle in `dir`; returns its exports and the compiled script. The script's
 * name is its path (for stack traces), except when recording: V8 keeps the name in the cache (and
 * replaces it on loading), so the build names it alike wherever it runs, for the same cache bytes.
 */
function loadBundle(dir, useCodeCache, recording = false) {
  const file = join(dir, BUNDLE_FILE);
  const bundle = readFileSync(file);
  const cachedData = useCodeCache ? codeCacheFor(dir, bundle) : undefined;
  const script = new Script(bundle.toString('latin1'), { filename: recording ? BUNDLE_FILE : file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir, pathToFileURL(file).href);
  return { exports: module.exports, script };
}

/**
 * Build step (scripts/build.ts): runs each training command on a fresh compile, then writes the
 * code cache, which then holds every function those commands compiled.
 */
async function recordCodeCache(dir, runs) {
  const { exports, script } = loadBundle(dir, false, true);
  for (const argv of runs) {
    const code = await exports.runCli(argv, exports.processContext());
    if (code !== 0) throw new Error(`training run specdrive ${argv.join(' ')} exited ${code}`);
  }
  const digest = createHash('sha256')
    .update(readFileSync(join(dir, BUNDLE_FILE)))
    .digest();
  writeFileSync(join(dir, CODE_CACHE_FILE), Buffer.concat([digest, script.createCachedData()]));
}

async function main() {
  try {
    const { runCli, processContext } = loadBundle(join(__dirname, '..', 'dist'), true).exports;
    process.exitCode = await runCli(process.argv.slice(2), processContext());
  } catch (error) {
    process.stderr.write(`specdrive: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  }
}

module.exports = { loadBundle, recordCodeCache };
if (require.main === module) main();
