import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, CODE_CACHE_FILE, recordCodeCache } from '../../../scripts/build.ts';
import { corpusCases, validFixtures } from '../../errors/corpus.ts';
import { runCliIn } from '../../helpers/run-cli.ts';

/**
 * Issue 17 (start-up): bin/specdrive.js runs the chunks in dist/ with the V8 code cache the build
 * recorded. The cache may only make a start faster: a plain `node` must accept it, a cache of other
 * bytes or another V8 must be ignored, and the command's output must be that of the sources.
 * (The vitest global setup has built dist/.)
 */
const root = join(import.meta.dirname, '..', '..', '..');
const dist = join(root, 'dist');
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The cache file's entries, as bin/specdrive.js reads them (a 4-byte length, a JSON header, per chunk its recorded bytes and V8 data). */
function cacheEntries(cache: Buffer): { name: string; sourceAt: number; source: Buffer; dataAt: number; data: Buffer }[] {
  const headerEnd = 4 + cache.readUInt32LE(0);
  let at = headerEnd;
  return (JSON.parse(cache.toString('latin1', 4, headerEnd)) as { name: string; sourceLength: number; length: number }[]).map((e) => {
    const sourceAt = at;
    const dataAt = at + e.sourceLength;
    at = dataAt + e.length;
    return { name: e.name, sourceAt, source: cache.subarray(sourceAt, dataAt), dataAt, data: cache.subarray(dataAt, at) };
  });
}

/** A copy of the installed command (package.json, bin/, dist/) whose cache a test may spoil. */
function packageCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-code-cache-'));
  scratch.push(dir);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist'));
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
  for (const file of ['specdrive.js', 'package.json']) copyFileSync(join(root, 'bin', file), join(dir, 'bin', file));
  for (const file of readdirSync(dist)) copyFileSync(join(dist, file), join(dir, 'dist', file));
  // The templates ship beside the bundle (package.json `files`): the training's `generate` renders them.
  for (const generator of readdirSync(join(root, 'generators'))) {
    const templates = join(root, 'generators', generator, 'templates');
    if (existsSync(templates)) cpSync(templates, join(dir, 'generators', generator, 'templates'), { recursive: true });
  }
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

const runSources = (args: readonly string[]): Promise<Run> => runCliIn(root, args);

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
  it('was recorded from these chunks, holds the start path, and is accepted by a plain node', () => {
    const entries = cacheEntries(readFileSync(join(dist, CODE_CACHE_FILE)));
    // The entry chunk and the validate command's, at least; not every chunk (a start reads what it runs).
    expect(entries.map((e) => e.name)).toContain(BUNDLE_FILE);
    expect(entries.some((e) => e.name.startsWith('validate-'))).toBe(true);
    expect(entries.length).toBeLessThan(readdirSync(dist).length - 1);
    for (const entry of entries) {
      const chunk = readFileSync(join(dist, entry.name));
      expect(chunk.equals(entry.source), entry.name).toBe(true);
      // This process runs under vitest without V8 flags of its own, as a user's node does.
      const script = new Script(chunk.toString('latin1'), { filename: join(dist, entry.name), cachedData: entry.data });
      expect(script.cachedDataRejected, entry.name).toBe(false);
    }
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
      // Same length, one byte of a recorded chunk copy changed: a cache recorded from other chunk bytes.
      'other chunk bytes': (cache) => {
        const spoiled = Buffer.from(cache);
        for (const entry of cacheEntries(cache)) {
          const at = entry.sourceAt + (entry.source.length >> 1);
          spoiled.writeUInt8(spoiled.readUInt8(at) ^ 1, at);
        }
        return spoiled;
      },
      // The right chunk copies with V8 data whose header V8 does not recognise (magic, version, flags).
      'not this V8': (cache) => {
        const spoiled = Buffer.from(cache);
        for (const entry of cacheEntries(cache)) spoiled.fill(0x5a, entry.dataAt, entry.dataAt + 32);
        return spoiled;
      },
      truncated: (cache) => cache.subarray(0, cache.length >> 1),
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

  it('is not used for an edited chunk of the same length (V8 itself checks only the length)', () => {
    const copy = packageCopy();
    const line = 'hardware revisions in, tested drivers';
    const chunk = readdirSync(join(copy, 'dist')).find((f) => f.endsWith('.cjs') && readFileSync(join(copy, 'dist', f), 'latin1').includes(line))!;
    const file = join(copy, 'dist', chunk);
    const text = readFileSync(file, 'latin1');
    const edited = text.replace(line, line.toUpperCase());
    expect(edited.length).toBe(text.length);
    expect(edited).not.toBe(text);
    writeFileSync(file, edited, 'latin1');
    // With the old cache taken, V8 would run the old bytecode and print the old line.
    expect(runBin(copy, ['--help']).stdout).toContain(line.toUpperCase());
  });
});
