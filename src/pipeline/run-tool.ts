/**
 * Every external tool specdrive runs (gcc, tsc, python3) goes through here: with a time limit, with
 * its output kept, and with the outcome split in two kinds. A non-zero exit is the tool's verdict
 * on its inputs (a compile error): a result, cacheable. A kill by a signal, a time-out or a missing
 * tool is a failure of the environment: reported with exit code, signal and the tail of stderr, and
 * never cached (the next run must try again).
 */
import { spawn } from 'node:child_process';

/** Time limit of one tool run unless the caller gives one (`SPECDRIVE_TOOL_TIMEOUT_MS` overrides). */
export const DEFAULT_TOOL_TIMEOUT_MS = positive(process.env.SPECDRIVE_TOOL_TIMEOUT_MS) ?? 300_000;
const KEEP_BYTES = 1024 * 1024;
const TAIL_CHARS = 2000;

export type EnvironmentFailure = 'signal' | 'timeout' | 'missing-tool' | 'spawn-failed';

export interface ToolRun {
  readonly command: string;
  /** 0 for success; null when there was no exit code (killed, never started). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the run says nothing about its inputs. */
  readonly environment?: EnvironmentFailure;
}

function positive(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Keeps the last KEEP_BYTES of a stream: enough for any diagnostic, bounded for any tool. */
function collector(): { add(chunk: Buffer): void; text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      while (size > KEEP_BYTES && chunks.length > 1) size -= chunks.shift()!.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export function runTool(command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> {
  const shown = [command, ...args].join(' ');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  return new Promise((resolve) => {
    const out = collector();
    const err = collector();
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const child = spawn(command, [...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => out.add(b));
    child.stderr.on('data', (b: Buffer) => err.add(b));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => (spawnError = e));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const base = { command: shown, exitCode, signal, stdout: out.text(), stderr: err.text() };
      if (spawnError)
        resolve({ ...base, stderr: `${base.stderr}${spawnError.message}`, environment: spawnError.code === 'ENOENT' ? 'missing-tool' : 'spawn-failed' });
      else if (timedOut) resolve({ ...base, environment: 'timeout' });
      else if (signal !== null) resolve({ ...base, environment: 'signal' });
      else resolve(base);
    });
  });
}

/** One line for a report: what happened to the tool, with exit code, signal and the tail of stderr. */
export function describeEnvironmentFailure(run: ToolRun, timeoutMs = DEFAULT_TOOL_TIMEOUT_MS): string {
  const what = {
    signal: `was killed by ${run.signal}`,
    timeout: `ran past its time limit of ${timeoutMs} ms and was killed`,
    'missing-tool': 'could not be started: the tool is not installed',
    'spawn-failed': 'could not be started',
  }[run.environment ?? 'spawn-failed'];
  const tail = run.stderr.trim().slice(-TAIL_CHARS);
  return `environment failure (not cached): ${run.command.slice(0, 300)} ${what}; exit code ${run.exitCode ?? 'none'}, signal ${run.signal ?? 'none'}${tail ? `; stderr tail:\n${tail}` : '; no stderr'}`;
}

/** Thrown where a tool run is a step of something larger: the environment failed, not the inputs. */
export class EnvironmentError extends Error {}

/** Runs a tool whose success a larger step needs: a compile error throws with its stderr, an environment failure as EnvironmentError. */
export async function runToolOrThrow(command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> {
  const run = await runTool(command, args, options);
  if (run.environment) throw new EnvironmentError(describeEnvironmentFailure(run, options.timeoutMs));
  if (run.exitCode !== 0) throw Object.assign(new Error(`${run.command.slice(0, 300)} exited ${run.exitCode}`), { stderr: run.stderr });
  return run;
}
