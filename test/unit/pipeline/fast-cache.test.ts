/**
 * The fast path of the ci cache (src/pipeline/fast-cache.ts): a warm run whose input files are
 * byte for byte unchanged takes every result from the cache without parsing them, and any change
 * to any input, whichever reader pulled it in (a revision, an svdtools `_svd` or `_include`, a
 * SystemRDL `include, an overlay, a contract, a configuration, a profile, the project file), is a
 * miss that recomputes what it affects. The code stages are counted stand-ins: what is asserted
 * is which revisions were recomputed, and that a warm report says what the cold one said.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCi, type CiOutcome, type CodeStages } from '../../../src/pipeline/ci.ts';
import type { CiReport } from '../../../src/pipeline/ci-types.ts';
import { loadProject } from '../../../src/project/index.ts';
import { copyDemoProject, removeProject } from '../../e2e/helpers/project-copy.ts';
import { projectRoot } from '../../project-root.ts';

let root: string;
/** `board revision` of every revision whose code stages ran, per run. */
let recomputed: string[] = [];

const stages: CodeStages = {
  versions: 'fast-cache-test@1',
  generate: async ({ revision }) => {
    recomputed.push(`${revision.board} ${revision.revision}`);
    return [];
  },
  compile: async () => [],
  scenarios: async () => [],
};

async function ci(fresh = false): Promise<CiOutcome & { recomputed: string[] }> {
  recomputed = [];
  const loaded = loadProject(join(root, 'specdrive.yaml'), process.cwd());
  expect(loaded.value, JSON.stringify(loaded.diagnostics)).toBeDefined();
  const outcome = await runCi({ project: loaded.value!, stages, jobs: 1, fresh });
  expect(outcome.unusable).toBeUndefined();
  return { ...outcome, recomputed: [...recomputed].sort() };
}

function edit(file: string, from: string | RegExp, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  expect(edited, `${file} has ${from}`).not.toBe(text);
  writeFileSync(path, edited);
}

/** The report without the flags that say where each result came from. */
const verdicts = (report: CiReport): unknown =>
  JSON.parse(JSON.stringify({ ...report, summary: { ...report.summary, cached: 0 }, revisions: report.revisions.map((r) => ({ ...r, cached: false })) }));

const DEMO = ['demo-board rev-a', 'demo-board rev-b', 'demo-board rev-c'];
const ALL = [...DEMO, 'patched 1.1', 'rdl top'].sort();

beforeAll(() => {
  root = copyDemoProject({ targets: ['docs'], prefix: 'specdrive-fast-' });
  // A board revision made by an svdtools patch: its SVD (`_svd`) and a peripheral-level `_include`.
  mkdirSync(join(root, 'patched'));
  copyFileSync(join(projectRoot, 'test/fixtures/svd-patch/mini.svd'), join(root, 'patched/mini.svd'));
  writeFileSync(join(root, 'patched/chip.yaml'), '_svd: mini.svd\n_modify:\n  version: "1.1"\nUART0:\n  _include: uart.yaml\n');
  writeFileSync(join(root, 'patched/uart.yaml'), '_modify:\n  UART_DR:\n    description: Data from the include\n');
  writeFileSync(join(root, 'patched/overlay.yaml'), 'spec: specdrive/overlay@1\nboard: patched\n');
  // A SystemRDL revision with an included file.
  mkdirSync(join(root, 'rdl'));
  writeFileSync(join(root, 'rdl/regs.rdl'), 'reg r_t { field { sw=rw; hw=r; } f[8] = 0; };\n');
  writeFileSync(join(root, 'rdl/top.rdl'), '`include "regs.rdl"\naddrmap top { r_t a @ 0x0; };\n');
  edit(
    'specdrive.yaml',
    /^ {2}demo-board: hardware-specs\/demo-board$/m,
    '  demo-board: hardware-specs/demo-board\n  patched: { overlay: patched/overlay.yaml, revisions: [patched/chip.yaml] }\n  rdl: { revisions: [{ revision: top, file: rdl/top.rdl }] }',
  );
});
afterAll(() => removeProject(root));

describe('the fast path of the ci cache', () => {
  let cold: CiReport;

  it('a cold run computes every revision; an unchanged warm run takes them all by bytes, with the same report', async () => {
    const first = await ci();
    expect(first.recomputed).toEqual(ALL);
    expect(first.fastPath).toBeUndefined();
    cold = first.report;
    const warm = await ci();
    expect(warm.recomputed).toEqual([]);
    expect(warm.fastPath).toBe(true);
    expect(warm.report.summary.cached).toBe(ALL.length);
    expect(verdicts(warm.report)).toEqual(verdicts(cold));
  });

  it('--fresh recomputes everything even when nothing changed', async () => {
    const fresh = await ci(true);
    expect(fresh.recomputed).toEqual(ALL);
    expect(verdicts(fresh.report)).toEqual(verdicts(cold));
    expect((await ci()).fastPath).toBe(true);
  });

  it('a comment appended to a revision misses the fast path but hits the semantic key, and the next run is fast again', async () => {
    const file = join(root, 'hardware-specs/demo-board/rev-c.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# a trailing comment: no value or span changes\n`);
    const run = await ci();
    expect(run.fastPath).toBeUndefined();
    expect(run.recomputed).toEqual([]);
    expect(verdicts(run.report)).toEqual(verdicts(cold));
    expect((await ci()).fastPath).toBe(true);
  });

  // Each edit changes what its reader sees; the revisions it feeds must be recomputed, then the
  // following run is a fast hit again (the record was rewritten).
  const edits: readonly { what: string; file: string; from: string | RegExp; to: string; redo: readonly string[] }[] = [
    {
      what: 'a revision file (and its successor, diffed against it)',
      file: 'hardware-specs/demo-board/rev-b.yaml',
      from: /^(\s+description: )(.*)$/m,
      to: '$1Edited. $2',
      redo: ['demo-board rev-b', 'demo-board rev-c'],
    },
    {
      what: 'the SVD an svdtools patch names with _svd',
      file: 'patched/mini.svd',
      from: '<description>UART</description>',
      to: '<description>UART edited</description>',
      redo: ['patched 1.1'],
    },
    {
      what: 'a file pulled in by an svdtools _include',
      file: 'patched/uart.yaml',
      from: 'Data from the include',
      to: 'Data edited in the include',
      redo: ['patched 1.1'],
    },
    { what: 'a SystemRDL `include', file: 'rdl/regs.rdl', from: 'f[8] = 0', to: 'f[8] = 1', redo: ['rdl top'] },
    { what: 'an overlay', file: 'patched/overlay.yaml', from: 'board: patched\n', to: 'board: patched\nclocks: { hclk: 8_000_000 }\n', redo: ALL },
    { what: 'a contract', file: 'software-specs/uart.driver.yaml', from: /^description: .*$/m, to: 'description: Edited by the fast-cache test.', redo: ALL },
    { what: 'a configuration', file: 'software-specs/configs/demo-rev-b.yaml', from: /^(name: .*)$/m, to: '$1-edited', redo: ALL },
    { what: 'a profile', file: 'software-specs/profiles/default.yaml', from: /^(name: .*)$/m, to: '$1-edited', redo: ALL },
    { what: 'the project file', file: 'specdrive.yaml', from: 'targets: [docs]', to: 'targets: [docs, c]', redo: ALL },
  ];
  for (const e of edits) {
    it(`an edit of ${e.what} is a miss`, async () => {
      edit(e.file, e.from, e.to);
      const run = await ci();
      expect(run.fastPath).toBeUndefined();
      expect(run.recomputed).toEqual([...e.redo].sort());
      const again = await ci();
      expect(again.fastPath).toBe(true);
      expect(again.recomputed).toEqual([]);
    });
  }

  it('a new contract matched by the project glob is a miss', async () => {
    writeFileSync(
      join(root, 'software-specs/extra.driver.yaml'),
      readFileSync(join(root, 'software-specs/gpio.driver.yaml'), 'utf8').replace(/^driver: .*$/m, 'driver: gpio2'),
    );
    const run = await ci();
    expect(run.fastPath).toBeUndefined();
    expect(run.recomputed).toEqual(ALL);
  });
});
