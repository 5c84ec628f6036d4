import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { OperationExecutor } from './executor.ts';
import { OperationError } from './executor.ts';

/**
 * Drives a generated op runner (C, TypeScript or Python) over its line protocol:
 * `call OP ARGS…` → `ok`, `ok VALUE` or `error MESSAGE`; the runner opened its own link to the
 * simulator (a real pty) and checked HELLO before saying `ready`.
 */
export class ProcessExecutor implements OperationExecutor {
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private exited = false;
  private stderr = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly timeoutMs: number,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(line);
      } else this.lines.push(line);
    });
    child.stderr.on('data', (d: Buffer) => void (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on('exit', () => {
      this.exited = true;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  /** Starts the runner and waits for `ready` (or its refusal, e.g. a HELLO mismatch). */
  static async start(name: string, command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ProcessExecutor> {
    const child = spawn(command, [...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const executor = new ProcessExecutor(name, child, options.timeoutMs ?? 20_000);
    const first = await executor.next();
    if (first !== 'ready') {
      await executor.close();
      throw new OperationError(`${name} runner did not start: ${first ?? `exited (${executor.stderr.trim() || 'no output'})`}`);
    }
    return executor;
  }

  private next(): Promise<string | undefined> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exited) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        resolve(undefined);
      }, this.timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  async call(operation: string, args: readonly number[]): Promise<number | undefined> {
    if (this.exited) throw new OperationError(`${this.name} runner has exited: ${this.stderr.trim()}`);
    this.child.stdin.write(`call ${operation}${args.map((a) => ` ${Math.trunc(a)}`).join('')}\n`);
    const line = await this.next();
    if (line === undefined) throw new OperationError(`${this.name} runner gave no answer to ${operation} (${this.exited ? 'it exited' : 'timed out'})`);
    const ok = /^ok(?: (-?\d+))?$/.exec(line);
    if (ok) return ok[1] === undefined ? undefined : Number(ok[1]);
    throw new OperationError(`${this.name}: ${line.replace(/^error /, '')}`);
  }

  async close(): Promise<void> {
    if (!this.exited) {
      this.child.stdin.end('quit\n');
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  }
}
