/**
 * Runs one hostile case in a child process, so its time and memory can be measured and bounded
 * without the test runner's own heap in the numbers, and so a hang or an out-of-memory abort kills
 * only the child. The child builds the input itself (large inputs never cross the pipe), takes the
 * peak RSS before and after the stage, and prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CaseReport {
  /** Diagnostic codes, in order. */
  readonly codes: readonly string[];
  /** line:col of each error diagnostic's span (absent spans as "none"). */
  readonly spans: readonly string[];
  readonly messages: readonly string[];
  readonly valueDefined: boolean;
  /** Wall time of the stage alone (input construction excluded). */
  readonly ms: number;
  /** CPU time of the stage alone: what time bounds check, since it does not depend on machine load. */
  readonly cpuMs: number;
  /** Growth of the child's peak RSS during the stage, in MiB. */
  readonly peakGrowthMb: number;
  /** Everything the stage returned, serialised, for leak checks (capped). */
  readonly dump: string;
}

export interface IsolatedResult extends CaseReport {
  /** Files left in the child's working folder (must be none: hostile input writes nothing). */
  readonly written: readonly string[];
}

const CHILD = new URL('./child.ts', import.meta.url).pathname;
/** tsx resolved from this package: the child runs in a temporary folder, where a bare name would not resolve. */
export const TSX = import.meta.resolve('tsx');

/** Runs `cases.ts` export `name` with `args` in a child; rejects on a crash or after `killAfterMs`. */
export function runCase(name: string, args: unknown = {}, killAfterMs = 300_000, cwd?: string): Promise<IsolatedResult> {
  const work = cwd ?? mkdtempSync(join(tmpdir(), 'specdrive-hostile-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, name, JSON.stringify(args)], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const written = readdirSync(work, { recursive: true }).map(String);
      if (!cwd) rmSync(work, { recursive: true, force: true });
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`hostile case ${name} ${signal ? `killed by ${signal} (hang guard ${killAfterMs} ms)` : `exited ${code}`}\n${err.slice(-3000)}`));
        return;
      }
      resolve({ ...(JSON.parse(line) as CaseReport), written });
    });
  });
}
