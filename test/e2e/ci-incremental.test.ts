import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CiReport } from '../../src/pipeline/ci-types.ts';
import {
  cachedFlags,
  copyDemoProject,
  describeRun,
  readJsonReport,
  removeProject,
  revisionOf,
  runSpecdrive,
  textAtSpan,
  type CliRun,
} from './helpers/project-copy.ts';

/**
 * Issue 10, "adding a new revision file to the demo board and re-running `specdrive ci` regenerates
 * and tests only that revision (the test checks what was skipped) and reports its diff and
 * verdicts". The steps build on each other in order, on one project copy: cold run, new revision,
 * unchanged re-run, contract edit, edit of an earlier revision.
 */

const BOARD_DIR = 'hardware-specs/demo-board';
/** The register the new revision adds to GPIOA. */
const NEW_REGISTER = `      LCKR:
        offset: 0x14
        description: Pin configuration lock.
        fields:
          LCK: { bits: 15..0, access: rw, description: Locked pins. }
`;

let project: string;

/** Modification times of every generated file of a revision: unchanged times mean nothing was rewritten. */
function generatedTimes(revision: string): Map<string, number> {
  const root = join(project, 'out', 'demo-board', revision);
  const times = new Map<string, number>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) times.set(join(entry.parentPath, entry.name), statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return times;
}

/** Revisions that reached a stage in the plain progress log (`demo-board rev-a: compile`). */
function revisionsAt(run: CliRun, step: string): string[] {
  return [...run.stderr.matchAll(new RegExp(`^demo-board (\\S+): ${step}\\b`, 'gm'))].map((m) => m[1]!).sort();
}

async function ci(): Promise<{ run: CliRun; report: CiReport }> {
  const run = await runSpecdrive(['ci', '--fail-on', 'never'], project);
  expect(run.code, describeRun(run)).toBe(0);
  return { run, report: readJsonReport(project) };
}

beforeAll(() => {
  // c keeps a real compiler in the loop; the other targets add time, not coverage of the cache.
  project = copyDemoProject({ targets: ['c', 'docs'], prefix: 'specdrive-incr-' });
});
afterAll(() => removeProject(project));

describe('specdrive ci is incremental', () => {
  let revATimes: Map<string, number>;

  it('a cold run computes every revision', async () => {
    const { run, report } = await ci();
    expect(cachedFlags(report)).toEqual({ 'rev-a': false, 'rev-b': false, 'rev-c': false });
    expect(revisionsAt(run, 'compile')).toEqual(['rev-a', 'rev-b', 'rev-c']);
    revATimes = generatedTimes('rev-a');
    expect(revATimes.size).toBeGreaterThan(0);
  }, 240_000);

  it('a new revision is the only one recomputed, and its diff lists the added register', async () => {
    const created = await runSpecdrive(['new-revision', 'demo-board'], project);
    expect(created.code, describeRun(created)).toBe(0);
    const file = join(project, BOARD_DIR, 'rev-d.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^revision: rev-d$/m);
    expect(text).toMatch(/^supersedes: rev-c$/m);
    const anchor = '          TOGGLE: { bits: 15..0, access: w, description: Bits to invert. }\n';
    expect(text).toContain(anchor);
    writeFileSync(file, text.replace(anchor, anchor + NEW_REGISTER));

    const { run, report } = await ci();
    expect(cachedFlags(report)).toEqual({ 'rev-a': true, 'rev-b': true, 'rev-c': true, 'rev-d': false });
    // Skipped for real, not just flagged: no stage ran for the old revisions and their files were not rewritten.
    expect(revisionsAt(run, 'cached')).toEqual(['rev-a', 'rev-b', 'rev-c']);
    expect(revisionsAt(run, 'compile')).toEqual(['rev-d']);
    expect(generatedTimes('rev-a')).toEqual(revATimes);
    expect(report.summary).toMatchObject({ revisions: 4, cached: 3 });

    const revD = revisionOf(report, 'rev-d');
    expect(revD.diff?.against).toBe('rev-c');
    expect(revD.diff?.changes.map((c) => `${c.rule} ${c.after?.path ?? c.before?.path}`)).toEqual(['register-added GPIOA.LCKR']);
    expect(revD.diff?.layouts.map((l) => l.after?.path)).toEqual(['GPIOA.LCKR']);
    // Its verdicts: an unrelated register changes none of rev-c's, so loopback stays broken.
    const verdicts = (revision: string): Record<string, string> =>
      Object.fromEntries(revisionOf(report, revision).bindings.flatMap((b) => b.operations.map((o) => [`${b.driver}.${o.operation}`, o.verdict])));
    expect(verdicts('rev-d')['uart.set_loopback']).toBe('broken');
    expect(verdicts('rev-d')).toEqual(verdicts('rev-c'));
    expect(readdirSync(join(project, 'out/demo-board/rev-d'))).toEqual(expect.arrayContaining(['c', 'docs']));
    // The report shows it.
    expect(readFileSync(join(project, 'out/report/report.md'), 'utf8')).toMatch(/### demo-board rev-d\n\n\*\*Changes since rev-c:\*\* register-added ×1/);
  }, 240_000);

  it('a run with nothing changed recomputes nothing', async () => {
    const { run, report } = await ci();
    expect(Object.values(cachedFlags(report))).toEqual([true, true, true, true]);
    expect(revisionsAt(run, 'compile')).toEqual([]);
    expect(run.stdout).toContain('4 revision(s), 4 from cache');
  }, 120_000);

  it('editing a contract invalidates every revision', async () => {
    const file = join(project, 'software-specs/uart.driver.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^description: .*$/m, 'description: Byte I/O (edited by the test).'));
    const { run, report } = await ci();
    expect(cachedFlags(report)).toEqual({ 'rev-a': false, 'rev-b': false, 'rev-c': false, 'rev-d': false });
    expect(revisionsAt(run, 'compile')).toEqual(['rev-a', 'rev-b', 'rev-c', 'rev-d']);
  }, 240_000);

  it('after an earlier revision moves its lines, every reported span still points at its field', async () => {
    // A comment line at the top shifts every line of rev-a; later revisions' conflicts point into it.
    const file = join(project, BOARD_DIR, 'rev-a.yaml');
    writeFileSync(file, `# a comment added by the test\n${readFileSync(file, 'utf8')}`);
    const { report } = await ci();
    for (const revision of ['rev-c', 'rev-d']) {
      const op = revisionOf(report, revision)
        .bindings.flatMap((b) => b.operations)
        .find((o) => o.operation === 'set_loopback');
      const span = op?.conflicts[0]?.hardwareSpan;
      expect(span, revision).toBeDefined();
      expect(textAtSpan(project, span!), `${revision}: ${span!.file}:${span!.line}:${span!.column}`).toMatch(/^LOOPBACK:/);
    }
  }, 240_000);
});

describe('cached results that name other revisions', () => {
  let copy: string;
  beforeAll(() => {
    // docs only: the question is what the cache keeps, not what compiles.
    copy = copyDemoProject({ targets: ['docs'], prefix: 'specdrive-alt-' });
    // 921 600 baud within 1 % cannot be had from rev-a's integer divider, but can from the fractional
    // divider of later revisions: the configuration's report lists those revisions as alternatives.
    writeFileSync(
      join(copy, 'software-specs/configs/precise-console.yaml'),
      `spec: specdrive/config@1
name: precise-console
board: demo-board
revision: rev-a
drivers:
  uart: { peripheral: UART0 }
targets:
  - { quantity: UART0.baud, value: 921600, tolerance: 1% }
`,
    );
  });
  afterAll(() => removeProject(copy));

  it('a new revision that would meet an unmet configuration is listed for it', async () => {
    const alternatives = (report: CiReport): string[] =>
      revisionOf(report, 'rev-a')
        .configurations.flatMap((c) => c.unsatisfiable.flatMap((u) => u.alternatives.revisions.map((r) => r.revision)))
        .sort();
    const first = await runSpecdrive(['ci', '--fail-on', 'never'], copy);
    expect(first.code, describeRun(first)).toBe(0);
    expect(alternatives(readJsonReport(copy))).toEqual(['rev-b', 'rev-c']);
    const created = await runSpecdrive(['new-revision', 'demo-board'], copy);
    expect(created.code, describeRun(created)).toBe(0);
    const second = await runSpecdrive(['ci', '--fail-on', 'never'], copy);
    expect(second.code, describeRun(second)).toBe(0);
    expect(alternatives(readJsonReport(copy))).toEqual(['rev-b', 'rev-c', 'rev-d']);
  }, 240_000);
});
