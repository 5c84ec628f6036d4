import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, CODE_CACHE_FILE, recordCodeCache } from '../../../scripts/build.ts';
import type { CommandContext } from '../../../src/cli/command.ts';
import { runCli } from '../../../src/cli/main.ts';
import { corpusCases, validFixtures } from '../../errors/corpus.ts';

/**
 * Issue 17 (start-up): bin/specdrive.js runs dist/specdrive.cjs with the V8 code cache the build
 * recorded. The cache may only make a start faster: a plain `node` must accept it, a cache of other
 * bytes or another V8 must be ignored, and the command's output must be that of the sources.
 * (The vitest global setup has built dist/.)
 */
const root = join(import.meta.dirname, '..', '..', '..');
const dist = join(root, 'dist');
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const DIGEST_BYTES = 32;

/** A copy of the installed command (package.json, bin/, dist/) whose cache a test may spoil. */
function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-code-cache-'));
  scratch.push(dir);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const file of ['specdrive.js', 'package.json']) copyFileSync(join(root, 'bin', file), join(dir, 'bin', file));
  for (const file of [BUNDLE_FILE, CODE_CACHE_FILE]) copyFileSync(join(dist, file), join(dir, 'dist', file));
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBin(packageDir: string, args: readonly string[]): Run {
  const r = spawnSync(process.execPath, [join(packageDir, 'bin', 'specdrive.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function runSources(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const context: CommandContext = {
    cwd: root,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    color: false,
    isTTY: false,
    signal: new AbortController().signal,
  };
  const code = await runCli(args, context);
  return { code, stdout, stderr };
}

/** Every error-corpus case and valid fixture in one `validate`, and a second time as JSON. */
const corpusFiles = [...corpusCases().map((c) => c.file), ...validFixtures().map((f) => f.file)].map((file) => relative(root, file));
const commands: readonly (readonly string[])[] = [
  ['validate', '--fail-on', 'warning', ...corpusFiles],
  ['validate', '--format', 'json', ...corpusFiles],
  ['validate', 'hardware-specs/demo-board/rev-a.yaml'],
  ['--help'],
  ['validate', '--help'],
];

describe('the V8 code cache of the bundle', () => {
  it('was recorded from these bundle bytes and is accepted by a plain node', () => {
    const bundle = readFileSync(join(dist, BUNDLE_FILE));
    const cache = readFileSync(join(dist, CODE_CACHE_FILE));
    expect(cache.subarray(0, DIGEST_BYTES).equals(createHash('sha256').update(bundle).digest())).toBe(true);
    // This process runs under vitest without V8 flags of its own, as a user's node does.
    const script = new Script(bundle.toString('latin1'), { filename: join(dist, BUNDLE_FILE), cachedData: cache.subarray(DIGEST_BYTES) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('is the same bytes when recorded again elsewhere', () => {
    const copy = packageCopy();
    recordCodeCache(join(copy, 'dist'));
    expect(readFileSync(join(copy, 'dist', CODE_CACHE_FILE)).equals(readFileSync(join(dist, CODE_CACHE_FILE)))).toBe(true);
  });

  it('changes no output: the bundle with its cache prints what the sources print', async () => {
    const copy = packageCopy();
    for (const args of commands) expect(runBin(copy, args), args.join(' ')).toEqual(await runSources(args));
  });

  it('is ignored, with the same output, when it belongs to other bytes, another V8, or is missing', async () => {
    const cases: Record<string, (cache: Buffer) => Buffer | undefined> = {
      // Same length, one byte of the digest off: a cache recorded from another bundle.
      'other bundle': (cache) => Buffer.concat([Buffer.from([cache[0]! ^ 1]), cache.subarray(1)]),
      // The right digest over a header V8 does not recognise (magic, version, flags): V8 refuses it.
      'not this V8': (cache) => Buffer.concat([cache.subarray(0, DIGEST_BYTES), Buffer.alloc(32, 0x5a), cache.subarray(DIGEST_BYTES + 32)]),
      truncated: (cache) => cache.subarray(0, DIGEST_BYTES),
      missing: () => undefined,
    };
    const expected = await Promise.all(commands.map((args) => runSources(args)));
    for (const [name, spoil] of Object.entries(cases)) {
      const copy = packageCopy();
      const cacheFile = join(copy, 'dist', CODE_CACHE_FILE);
      const spoiled = spoil(readFileSync(cacheFile));
      rmSync(cacheFile);
      if (spoiled) writeFileSync(cacheFile, spoiled);
      commands.forEach((args, i) => expect(runBin(copy, args), `${name}: ${args.join(' ')}`).toEqual(expected[i]));
    }
  });

  it('is not used for an edited bundle of the same length (V8 itself checks only the length)', () => {
    const copy = packageCopy();
    const bundleFile = join(copy, 'dist', BUNDLE_FILE);
    const text = readFileSync(bundleFile, 'latin1');
    const edited = text.replace('hardware revisions in, tested drivers', 'HARDWARE REVISIONS IN, tested drivers');
    expect(edited.length).toBe(text.length);
    expect(edited).not.toBe(text);
    writeFileSync(bundleFile, edited, 'latin1');
    // With the old cache taken, V8 would run the old bytecode and print the old line.
    expect(runBin(copy, ['--help']).stdout).toContain('HARDWARE REVISIONS IN, tested drivers');
  });
});
