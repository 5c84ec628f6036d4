import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cachedFlags, copyDemoProject, describeRun, readJsonReport, removeProject, repoRoot, runSpecdrive } from './helpers/project-copy.ts';

/**
 * Issue 10's command surface around `ci`: the GitHub Actions matrix, `init` and `new-revision`,
 * usage errors (exit 2), and unusable input (exit 2 with a located diagnostic and no report).
 * These runs stop before compiling anything, or work on the one-revision `init` project, so they are quick.
 */

const scratch: string[] = [];
afterAll(() => scratch.forEach(removeProject));

function demoCopy(): string {
  const dir = copyDemoProject({ prefix: 'specdrive-cli-' });
  scratch.push(dir);
  return dir;
}

describe('ci --matrix', () => {
  it('prints one entry per board as a GitHub Actions matrix, and --board narrows it', async () => {
    const project = demoCopy();
    // A second board: a copy of the demo board's first revision under another name.
    cpSync(join(project, 'hardware-specs/demo-board/rev-a.yaml'), join(project, 'hardware-specs/other-board/rev-a.yaml'), { recursive: true });
    const file = join(project, 'specdrive.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '  demo-board: hardware-specs/demo-board\n',
        '  demo-board: hardware-specs/demo-board\n  other-board: hardware-specs/other-board\n',
      ),
    );
    const all = await runSpecdrive(['ci', '--matrix'], project);
    expect(all.code, describeRun(all)).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual({
      include: [
        { board: 'demo-board', revisions: 3 },
        { board: 'other-board', revisions: 1 },
      ],
    });
    const one = await runSpecdrive(['ci', '--matrix', '--board', 'other-board'], project);
    expect(JSON.parse(one.stdout)).toEqual({ include: [{ board: 'other-board', revisions: 1 }] });
    // The matrix runs nothing and writes nothing.
    expect(existsSync(join(project, 'out'))).toBe(false);
  });
});

describe('init and new-revision', () => {
  let parent: string;
  let project: string;
  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'specdrive-init-'));
    scratch.push(parent);
    project = join(parent, 'proj');
    const init = await runSpecdrive(['init', 'proj', '--name', 'p1', '--board', 'b1'], parent);
    expect(init.code, describeRun(init)).toBe(0);
  });

  it('scaffolds a project whose revision validate accepts', async () => {
    expect(existsSync(join(project, 'specdrive.yaml'))).toBe(true);
    const validate = await runSpecdrive(['validate', 'hardware-specs/b1/rev-a.yaml'], project);
    expect(validate.code, describeRun(validate)).toBe(0);
    const matrix = await runSpecdrive(['ci', '--matrix'], project);
    expect(JSON.parse(matrix.stdout)).toEqual({ include: [{ board: 'b1', revisions: 1 }] });
  });

  it('refuses to scaffold over an existing project (exit 2)', async () => {
    const again = await runSpecdrive(['init', 'proj'], parent);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('ci runs on it cleanly, and on a second revision started with new-revision', async () => {
    const first = await runSpecdrive(['ci'], project);
    const report = readJsonReport(project);
    expect(report.project).toBe('p1');
    expect(cachedFlags(report)).toEqual({ 'rev-a': false });
    const errors = report.revisions.flatMap((r) => [
      ...r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`),
      ...r.compiled.filter((c) => c.status === 'failed').map((c) => `${c.target} failed: ${c.output || '(no compiler output)'}`),
    ]);
    expect(errors).toEqual([]);
    expect(first.code, describeRun(first)).toBe(0);

    const next = await runSpecdrive(['new-revision', 'b1'], project);
    expect(next.code, describeRun(next)).toBe(0);
    const second = await runSpecdrive(['ci'], project);
    expect(second.code, describeRun(second)).toBe(0);
    const after = readJsonReport(project);
    expect(cachedFlags(after)).toEqual({ 'rev-a': true, 'rev-b': false });
    expect(after.revisions[1]?.diff).toMatchObject({ against: 'rev-a', changes: [] });
  }, 120_000);

  it('the GitHub Actions cache paths are enough for a fresh checkout to reuse every result', async () => {
    // What docs/ci/github-actions.yml restores between jobs, applied to a fresh copy of the project.
    const workflow = parse(readFileSync(join(repoRoot, 'docs/ci/github-actions.yml'), 'utf8')) as {
      jobs: { board: { steps: { uses?: string; with?: { path?: string } }[] } };
    };
    const cacheStep = workflow.jobs.board.steps.find((s) => s.uses?.startsWith('actions/cache'));
    const paths = String(cacheStep?.with?.path ?? '')
      .split('\n')
      .map((p) => p.trim().replace('${{ matrix.board }}', 'b1'))
      .filter(Boolean);
    expect(paths.length).toBeGreaterThan(0);
    expect(existsSync(join(project, 'out/.cache'))).toBe(true);
    const fresh = mkdtempSync(join(tmpdir(), 'specdrive-checkout-'));
    scratch.push(fresh);
    for (const part of ['specdrive.yaml', 'hardware-specs', 'software-specs']) cpSync(join(project, part), join(fresh, part), { recursive: true });
    for (const p of paths) if (existsSync(join(project, p))) cpSync(join(project, p), join(fresh, p), { recursive: true });
    const run = await runSpecdrive(['ci', '--board', 'b1', '--fail-on', 'never'], fresh);
    expect(run.code, describeRun(run)).toBe(0);
    const flags = Object.values(cachedFlags(readJsonReport(fresh)));
    expect(flags.length).toBeGreaterThan(0);
    expect(
      flags.every((cached) => cached),
      `restored ${paths.join(', ')}`,
    ).toBe(true);
  }, 120_000);
});

describe('usage errors exit 2 and write nothing', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown format', ['ci', '--format', 'xml'], /--format must be/],
    ['unknown policy', ['ci', '--fail-on', 'sometimes'], /--fail-on must be/],
    ['unknown option', ['ci', '--bogus'], /Unknown option '--bogus'/],
    ['unknown board', ['ci', '--board', 'nope'], /no board nope/],
    ['missing project file', ['ci', '--project', 'missing.yaml'], /no project file missing\.yaml/],
    ['new-revision without a board', ['new-revision'], /needs a BOARD/],
    ['new-revision of an unknown board', ['new-revision', 'nope'], /nope is not a board/],
  ];
  let project: string;
  beforeAll(() => {
    project = demoCopy();
  });
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const run = await runSpecdrive(args, project);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain(`usage: specdrive ${args[0]}`);
      expect(existsSync(join(project, 'out'))).toBe(false);
    });
  }
});

describe('unusable input exits 2 with a located diagnostic and writes no report', () => {
  it('a YAML syntax error in a revision', async () => {
    const project = demoCopy();
    const file = join(project, 'hardware-specs/demo-board/rev-b.yaml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.trim().startsWith('RXIE:'));
    expect(at).toBeGreaterThan(0);
    lines[at] = lines[at]!.replace('RXIE: {', 'RXIE: { bits: [3,');
    writeFileSync(file, lines.join('\n'));
    const run = await runSpecdrive(['ci'], project);
    expect(run.code, describeRun(run)).toBe(2);
    // file:line:col of the damage (the line we broke, or the next one where the parser notices).
    const located = new RegExp(`hardware-specs/demo-board/rev-b\\.yaml:(${at + 1}|${at + 2}):\\d+: error\\[[a-z-]+/[a-z-]+\\]`);
    expect(run.stderr).toMatch(located);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(existsSync(join(project, 'out/report'))).toBe(false);
    expect(existsSync(join(project, 'out/.cache'))).toBe(false);
  });

  it('an unknown key in the project file', async () => {
    const project = demoCopy();
    const file = join(project, 'specdrive.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('fail_on: broken', 'fail_on: broken\nfail_fast: true'));
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('fail_fast')) + 1;
    const run = await runSpecdrive(['ci'], project);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`specdrive\\.yaml:${line}:1: error\\[project/[a-z-]+\\]`));
    expect(existsSync(join(project, 'out'))).toBe(false);
  });
});
