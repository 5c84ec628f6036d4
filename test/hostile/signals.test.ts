/**
 * SIGTERM and SIGINT stop a command promptly whatever it is doing (issue 18 §6), and `ci` leaves no
 * child process behind (§15). The command is signalled once it is provably busy: its CPU time (from
 * /proc) shows it deep in synchronous work, or a tool it started is running. Bounds are hang guards
 * (≥10× what is needed); the decisive check is that the process ended by the signal, not by finishing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyDemoProject, removeProject } from '../e2e/helpers/project-copy.ts';
import { projectRoot } from '../project-root.ts';

const BIN = join(projectRoot, 'bin/specdrive.js');
const GUARD_MS = 10_000;
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** CPU seconds a process has used (utime + stime from /proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return -1;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, condition: () => boolean, limitMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Commands lines of live processes whose arguments mention `needle`. */
function processesMentioning(needle: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes(needle) && !/^\s*\d+\s+Z/.test(l) && !l.includes('ps -eo'));
}

describe('signals end any command promptly', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during synchronous work (validating 40 000 registers) ends validate at once`, async () => {
      const work = mkdtempSync(join(tmpdir(), 'specdrive-signal-'));
      temps.push(work);
      const regs = Array.from(
        { length: 40_000 },
        (_, i) => `      R${i}:\n        offset: ${i * 4}\n        fields:\n          F: { bits: 3..0, access: rw }\n`,
      ).join('');
      writeFileSync(
        join(work, 'big.yaml'),
        `spec: specdrive/hardware@1\nboard: big\nrevision: r1\nperipherals:\n  P0:\n    base: 0x4000_0000\n    registers:\n${regs}`,
      );
      const child = spawn(process.execPath, [BIN, 'validate', 'big.yaml'], { cwd: work, stdio: 'ignore' });
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, s) => r({ code, signal: s })));
      // Start-up costs about 0.1 s of CPU; past 1 s it is importing or validating (≈2.2 s in all since
      // the YAML subset reader, ≈5 s before).
      await waitFor('validate to be busy', () => cpuSeconds(child.pid!) > 1 || child.exitCode !== null);
      expect(child.exitCode, 'validate finished before it could be signalled').toBeNull();
      child.kill(signal);
      // Ended by the signal itself, mid-work: a handler deferring it until the work was done would
      // exit with a code instead. (How fast is not asserted; vitest's time-out guards a hang.)
      const ended = await closed;
      expect(ended.signal).toBe(signal);
    });
  }

  it('SIGTERM to ci while it compiles ends ci and every process it started (process group)', async () => {
    const project = copyDemoProject({ targets: ['c', 'typescript', 'python'], prefix: 'specdrive-sigci-' });
    try {
      const child = spawn(process.execPath, [BIN, 'ci', '--fresh'], { cwd: project, stdio: 'ignore' });
      const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, s) => r({ code, signal: s })));
      // A tool of the compile or scenario stage is running: its arguments name the project's output.
      await waitFor(
        'ci to start a tool',
        () => processesMentioning(project).some((l) => /gcc|cc1|tsc|python3|op_runner|op-runner/.test(l)) || child.exitCode !== null,
        300_000,
      );
      expect(child.exitCode, 'ci finished before a tool was seen').toBeNull();
      child.kill('SIGTERM');
      const ended = await closed;
      expect(ended.code).toBe(128 + 15);
      // Nothing it started lives on (allow the kernel a moment to reap).
      await waitFor('the tools to be gone', () => processesMentioning(project).length === 0, GUARD_MS).catch(() => undefined);
      expect(processesMentioning(project)).toEqual([]);
    } finally {
      removeProject(project);
    }
  });
});
