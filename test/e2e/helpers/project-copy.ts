import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CiReport, RevisionReport } from '../../../src/pipeline/ci-types.ts';

/** The repository root, so tests run from any working directory. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const sharedData = join(repoRoot, '..', 'shared', 'data');
export const specdriveBin = join(repoRoot, 'bin', 'specdrive.js');

/** What a project copy is made of: the demo's project file and both spec trees. */
const DEMO_PARTS = ['specdrive.yaml', 'hardware-specs', 'software-specs'] as const;

/**
 * A private copy of the demo project in a fresh temporary folder, so tests never write into the
 * repository's own `out/` and can edit specs freely. `targets` replaces the project's target list
 * (a smaller list keeps tests that are about caching or reporting fast).
 */
export function copyDemoProject(options: { targets?: readonly string[]; prefix?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? 'specdrive-e2e-'));
  for (const part of DEMO_PARTS) cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
  if (options.targets) {
    const file = join(dir, 'specdrive.yaml');
    const text = readFileSync(file, 'utf8');
    const replaced = text.replace(/^targets:.*$/m, `targets: [${options.targets.join(', ')}]`);
    if (replaced === text) throw new Error('the demo specdrive.yaml has no targets: line to replace');
    writeFileSync(file, replaced);
  }
  return dir;
}

export function removeProject(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node bin/specdrive.js ARGS` as a user would: a child process with the project as its
 * working folder. `CI=1` gives plain progress lines (no terminal rewriting) as in CI logs.
 */
export function runSpecdrive(args: readonly string[], cwd: string, env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [specdriveBin, ...args], {
      cwd,
      env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Explains a failed expectation about a run with everything it printed. */
export function describeRun(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

export function readJsonReport(projectDir: string): CiReport {
  return JSON.parse(readFileSync(join(projectDir, 'out', 'report', 'report.json'), 'utf8')) as CiReport;
}

export function revisionOf(report: CiReport, revision: string, board = 'demo-board'): RevisionReport {
  const found = report.revisions.find((r) => r.board === board && r.revision === revision);
  if (!found) throw new Error(`no ${board} ${revision} in the report (has ${report.revisions.map((r) => `${r.board} ${r.revision}`).join(', ')})`);
  return found;
}

/** revision → its `cached` flag, in report order: what a run recomputed and what it skipped. */
export function cachedFlags(report: CiReport): Record<string, boolean> {
  return Object.fromEntries(report.revisions.map((r) => [r.revision, r.cached]));
}

/**
 * The text a span points at (from its column to the end of its line), read from the project copy:
 * lets a test check that a reported file:line:col really lands on the named thing.
 */
export function textAtSpan(projectDir: string, span: { file: string; line: number; column: number }): string {
  const lines = readFileSync(join(projectDir, span.file), 'utf8').split('\n');
  return (lines[span.line - 1] ?? '').slice(span.column - 1);
}

/**
 * A private copy of a real-chip project (`boards/<name>/`, docs/real-chips.md) in a fresh temporary
 * folder. The project refers to vendor files in `../shared/data` by a path relative to itself;
 * the copy points the same references at that folder from where it is, so nothing else changes.
 */
export function copyBoardProject(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `specdrive-${name}-`));
  const source = join(repoRoot, 'boards', name);
  cpSync(source, dir, { recursive: true, filter: (path) => !path.startsWith(join(source, 'out')) });
  // The project file and any in-repo patch wrappers (revisions/*.yaml) hold such references.
  // Relative again from the copy (svdtools `_include` paths are taken relative to their file).
  for (const file of [join(dir, 'specdrive.yaml'), ...filesIn(join(dir, 'revisions'))]) {
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(?:\.\.\/)+shared\/data\//g, `${relative(dirname(file), sharedData)}/`));
  }
  return dir;
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
