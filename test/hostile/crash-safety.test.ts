/**
 * Crash safety of generated output: a run killed at any point leaves the previous outputs intact
 * and complete. Two ways of killing:
 *  1. real `node bin/specdrive.js generate` child processes killed with SIGKILL at seeded random
 *     times across the run;
 *  2. every file-system step of `writeOutput` (generators/framework/staging.ts) made to "crash" in
 *     turn (an exception at the k-th write/rename/remove, for every k), which reaches the short
 *     windows between renames that random kills rarely hit.
 * After each crash every target folder must hold exactly the old tree or exactly the new one
 * (hash-compared), and a rerun must converge to the new one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../src/random/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SPEC_OLD = join(ROOT, 'hardware-specs/demo-board/rev-a.yaml');
const SPEC_NEW = join(ROOT, 'hardware-specs/demo-board/rev-b.yaml');
const KILLS = Number(process.env.CRASH_KILLS ?? 6);
const SEED = Number(process.env.CRASH_SEED ?? 20_251_125);

/** The file-system calls the runner makes; the fault injector counts them and fails the k-th. */
const fault = { countdown: -1, calls: 0 };
class InjectedCrash extends Error {}
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      fault.calls++;
      if (fault.countdown >= 0 && fault.countdown-- === 0) throw new InjectedCrash('injected crash');
      return fn(...args);
    };
  return {
    ...real,
    default: real,
    writeFileSync: wrap(real.writeFileSync),
    renameSync: wrap(real.renameSync),
    rmSync: wrap(real.rmSync),
    mkdirSync: wrap(real.mkdirSync),
    rmdirSync: wrap(real.rmdirSync),
    // Files are written piece by piece (generators/framework/output-files.ts).
    openSync: wrap(real.openSync),
    writeSync: wrap(real.writeSync),
  };
});

const work = mkdtempSync(join(tmpdir(), 'specdrive-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Relative path → sha256 of every file under `dir`, leaving out staging folders of interrupted runs. */
function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    if (entry.split('/').some((part) => part.includes('.staging-'))) continue;
    const full = join(dir, entry);
    if (statSync(full).isFile()) out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}

function generate(spec: string, out: string): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/specdrive.js'), 'generate', spec, '--target', 'all', '-o', out], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`generate ${spec} failed: ${r.stderr}`);
}

/** Per target folder, which complete state it is in. */
function stateOf(
  out: string,
  oldTrees: Record<string, Record<string, string>>,
  newTrees: Record<string, Record<string, string>>,
): Record<string, 'old' | 'new' | 'mixed'> {
  const states: Record<string, 'old' | 'new' | 'mixed'> = {};
  for (const target of Object.keys(oldTrees)) {
    const now = JSON.stringify(treeHashes(join(out, target)));
    states[target] = now === JSON.stringify(oldTrees[target]) ? 'old' : now === JSON.stringify(newTrees[target]) ? 'new' : 'mixed';
  }
  return states;
}

describe('crash safety: generate killed at random points', () => {
  // The two reference trees, generated without interruption.
  const oldOut = join(work, 'ref-old');
  const newOut = join(work, 'ref-new');
  let oldTrees: Record<string, Record<string, string>> = {};
  let newTrees: Record<string, Record<string, string>> = {};

  it('builds the reference outputs', () => {
    generate(SPEC_OLD, oldOut);
    generate(SPEC_NEW, newOut);
    // Target folders only: `.c.v-…` beside them are the version folders their links point at.
    oldTrees = Object.fromEntries(
      readdirSync(oldOut)
        .filter((t) => !t.startsWith('.'))
        .map((t) => [t, treeHashes(join(oldOut, t))]),
    );
    newTrees = Object.fromEntries(
      readdirSync(newOut)
        .filter((t) => !t.startsWith('.'))
        .map((t) => [t, treeHashes(join(newOut, t))]),
    );
    expect(Object.keys(oldTrees).length).toBeGreaterThan(1);
    // The revisions must differ in some target, or the test could not tell old from new.
    expect(JSON.stringify(oldTrees)).not.toBe(JSON.stringify(newTrees));
  });

  it(`SIGKILL at ${KILLS} seeded random points (seed ${SEED}) leaves every target old or new, complete`, async () => {
    const start = performance.now();
    generate(SPEC_OLD, join(work, 'timing'));
    const runMs = performance.now() - start;
    const random = seededRandom(SEED);
    const seen: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const out = join(work, `kill-${i}`);
      cpSync(oldOut, out, { recursive: true });
      const delay = Math.floor(random() * runMs * 1.2);
      const child = spawn(process.execPath, [join(ROOT, 'bin/specdrive.js'), 'generate', SPEC_NEW, '--target', 'all', '-o', out], { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      await new Promise<void>((resolve) => child.on('close', () => resolve()));
      clearTimeout(timer);
      const states = stateOf(out, oldTrees, newTrees);
      seen.push(`${delay}ms:${Object.values(states).join(',')}`);
      expect(Object.values(states), `kill ${i} after ${delay} ms: ${JSON.stringify(states)}`).not.toContain('mixed');
      generate(SPEC_NEW, out);
      expect(stateOf(out, oldTrees, newTrees), `rerun after kill ${i}`).toEqual(Object.fromEntries(Object.keys(newTrees).map((t) => [t, 'new'])));
    }
    expect(seen).toHaveLength(KILLS);
  }, 600_000);
});

describe('crash safety: writeOutput interrupted at every file-system step', () => {
  /**
   * The target folder is a link to a complete version folder, replaced by one rename: at every
   * crash point the folder is wholly old or wholly new, and a rerun completes the update.
   */
  it('every crash point leaves the folder wholly old or wholly new, and a rerun completes it', async () => {
    const { buildGeneratorModel, generators, inputsHash, renderTarget, writeOutput } = await import('../../generators/index.ts');
    const { importFile } = await import('../../src/importers/index.ts');
    const ts = generators.find((g) => g.name === 'ts')!;
    const render = (spec: string) => {
      const model = buildGeneratorModel(importFile(spec).value!);
      return { files: renderTarget(ts, model, {}).value!, hash: inputsHash(ts, model, {}) };
    };
    const before = render(SPEC_OLD);
    const after = render(SPEC_NEW);
    const reference = (r: typeof before, name: string) => {
      const dir = join(work, name);
      writeOutput(dir, 'ts', r.hash, r.files);
      return treeHashes(dir);
    };
    const oldTree = JSON.stringify(reference(before, 'step-old'));
    const newTree = JSON.stringify(reference(after, 'step-new'));
    expect(oldTree).not.toBe(newTree);

    // Count the steps of one uninterrupted update, then crash at each of them.
    const probe = join(work, 'step-probe');
    cpSync(join(work, 'step-old'), probe, { recursive: true });
    fault.calls = 0;
    writeOutput(probe, 'ts', after.hash, after.files);
    const steps = fault.calls;
    expect(steps).toBeGreaterThan(2);
    const oldFiles = JSON.parse(oldTree) as Record<string, string>;
    const newFiles = JSON.parse(newTree) as Record<string, string>;
    const brokenAt: string[] = [];
    for (let k = 0; k < steps; k++) {
      const dir = join(work, `step-${k}`);
      cpSync(join(work, 'step-old'), dir, { recursive: true });
      fault.countdown = k;
      let threw: unknown;
      try {
        writeOutput(dir, 'ts', after.hash, after.files);
      } catch (error) {
        threw = error;
      }
      if (!(threw instanceof InjectedCrash)) brokenAt.push(`step ${k} of ${steps}: writeOutput ${threw ? `threw ${String(threw)}` : 'did not reach the step'}`);
      fault.countdown = -1;
      const now = treeHashes(dir) as Record<string, string>;
      if (JSON.stringify(now) !== oldTree && JSON.stringify(now) !== newTree) brokenAt.push(`step ${k}: a mix of old and new files`);
      for (const [path, hash] of Object.entries(now)) {
        if (hash !== oldFiles[path] && hash !== newFiles[path]) brokenAt.push(`step ${k}: ${path} is neither old nor new`);
      }
      if (JSON.stringify(now) !== newTree) {
        // An interrupted update is not taken for a finished one…
        const manifest = now['.specdrive-manifest.json'];
        if (manifest !== undefined && manifest === newFiles['.specdrive-manifest.json'])
          brokenAt.push(`step ${k}: the new manifest is in place over unfinished files`);
        // …and rerunning finishes it.
        writeOutput(dir, 'ts', after.hash, after.files);
        if (JSON.stringify(treeHashes(dir)) !== newTree) brokenAt.push(`step ${k}: the rerun did not complete the update`);
      }
    }
    expect(brokenAt, `crash points (of ${steps})`).toEqual([]);
  });
});
