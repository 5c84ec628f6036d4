#!/usr/bin/env node
// The installed command: runs the bundle built by `npm run build` (the repository's `prepare` builds
// it on `npm install`). Repository scripts and tests may run the TypeScript sources through tsx.
//
// CommonJS (bin/package.json). The bundle is a set of chunks, each a script compiled with vm.Script
// and the V8 code cache the build recorded for it: Node 20 caches no compiled code for ES modules,
// and compiling was most of a small command's start-up (docs/decisions.md, "Start-up").
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

const ENTRY = 'specdrive.cjs';
const CODE_CACHE_FILE = 'specdrive.v8cache';

/**
 * The cache file: a 4-byte length, a JSON list of { name, sourceLength, length } (one per chunk the
 * training run loaded), then per chunk the bytes it was recorded from followed by its V8 data. A
 * chunk takes its data only if its bytes equal the recorded ones: V8 checks its own version and
 * flags but, of the source, only the length, so an edited chunk of the same length would otherwise
 * run the old bytecode. Comparing bytes is exact and costs a memcmp; a digest would cost loading
 * node:crypto (≈3.5 ms CPU of a 100 ms start). A missing, unreadable or refused cache costs compile
 * time, never a different result.
 */
function readCodeCache(dir) {
  const entries = new Map();
  let data;
  try {
    data = readFileSync(join(dir, CODE_CACHE_FILE));
    const headerEnd = 4 + data.readUInt32LE(0);
    let at = headerEnd;
    for (const { name, sourceLength, length } of JSON.parse(data.toString('latin1', 4, headerEnd))) {
      const source = data.subarray(at, at + sourceLength);
      at += sourceLength;
      entries.set(name, { source, data: data.subarray(at, at + length) });
      at += length;
    }
  } catch {
    return new Map();
  }
  return entries;
}

/**
 * A loader of the chunks in `dir`: `load(name)` runs a chunk once and returns its exports; chunks
 * name each other as `./x.cjs`, anything else is Node's `require` (builtins, external packages).
 * When `recording`, scripts are named by file name only: V8 keeps the name in the cache (and replaces
 * it on loading), so the build records the same bytes wherever it runs.
 */
function chunkLoader(dir, { useCodeCache, recording }) {
  const cache = useCodeCache ? readCodeCache(dir) : new Map();
  const loaded = new Map();
  const nodeRequire = createRequire(join(dir, ENTRY));
  const requireFromChunk = (specifier) => (specifier.startsWith('./') ? load(specifier.slice(2)) : nodeRequire(specifier));
  function load(name) {
    const done = loaded.get(name);
    if (done) return done.module.exports;
    const file = join(dir, name);
    const bytes = readFileSync(file);
    const cached = cache.get(name);
    const cachedData = cached && bytes.equals(cached.source) ? cached.data : undefined;
    const script = new Script(bytes.toString('latin1'), { filename: recording ? name : file, cachedData });
    const module = { exports: {} };
    loaded.set(name, { module, script, bytes });
    let url;
    const meta = {
      get url() {
        url ??= pathToFileURL(file).href;
        return url;
      },
    };
    script.runInThisContext()(module.exports, requireFromChunk, module, file, dir, meta);
    return module.exports;
  }
  return { load, loaded };
}

/**
 * Build step (scripts/build.ts): runs each training command on fresh compiles, then writes the code
 * cache of every chunk they loaded. A chunk's data is taken after the first run that loaded it, so
 * it holds the functions the commands before it compiled: a later, bigger command (`generate`)
 * adds the chunks only it loads without making the start of the earlier ones deserialise its code.
 */
async function recordCodeCache(dir, runs) {
  const loader = chunkLoader(dir, { useCodeCache: false, recording: true });
  const { runCli, processContext } = loader.load(ENTRY);
  const blobOf = new Map();
  for (const argv of runs) {
    const code = await runCli(argv, processContext());
    if (code !== 0) throw new Error(`training run specdrive ${argv.join(' ')} exited ${code}`);
    for (const [name, { script }] of loader.loaded) if (!blobOf.has(name)) blobOf.set(name, script.createCachedData());
  }
  const names = [...loader.loaded.keys()].sort();
  const sources = names.map((name) => loader.loaded.get(name).bytes);
  const blobs = names.map((name) => blobOf.get(name));
  const header = Buffer.from(JSON.stringify(names.map((name, i) => ({ name, sourceLength: sources[i].length, length: blobs[i].length }))), 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  writeFileSync(join(dir, CODE_CACHE_FILE), Buffer.concat([length, header, ...names.flatMap((_, i) => [sources[i], blobs[i]])]));
}

async function main() {
  try {
    const { runCli, processContext } = chunkLoader(join(__dirname, '..', 'dist'), { useCodeCache: true, recording: false }).load(ENTRY);
    process.exitCode = await runCli(process.argv.slice(2), processContext());
  } catch (error) {
    process.stderr.write(`specdrive: internal error: ${error?.stack ?? error}\n`);
    process.exitCode = 2;
  }
}

module.exports = { chunkLoader, recordCodeCache };
if (require.main === module) main();
