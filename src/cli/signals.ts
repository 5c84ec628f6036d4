/**
 * How a command stops on SIGINT/SIGTERM (issue 18 §6, §15): within a second, whatever it is doing.
 *
 * - Most commands install no handler at all: the default disposition ends the process at once, even
 *   in the middle of synchronous work (a handler would only run once that work is done). Writes are
 *   atomic (a temporary file or version folder, then a rename), so an abrupt end leaves the old
 *   output or the new, never half of one.
 * - Commands that wait for requests (`sim`) trap the signals: the handler runs promptly because the
 *   event loop is idle between requests, and aborting their signal lets them close links and ptys.
 * - Commands that run child processes (`ci`, `demo`: gcc, tsc, python3, simulators, op runners) run
 *   in a worker process that leads its own process group; this process stays idle, so it always
 *   sees the signal, and ends the whole group: the worker and every tool it started. If this
 *   process is killed outright (SIGKILL), the worker sees its pipe close and ends its group itself.
 */
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { constants } from 'node:os';

import { WORKER_ENV } from './worker-env.ts';

/** How long the group gets to end on the forwarded signal before it is killed. */
const GRACE_MS = 500;

export function isWorker(): boolean {
  return process.env[WORKER_ENV] === '1';
}

/** Runs this same command line in a worker process group and returns its exit code. */
export function runSupervised(argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      detached: true,
      env: { ...process.env, [WORKER_ENV]: '1' },
    });
    const group = child.pid;
    let received: NodeJS.Signals | undefined;
    const endGroup = (signal: NodeJS.Signals): void => {
      if (group === undefined) return;
      try {
        process.kill(-group, signal);
      } catch {
        // The group is gone already.
      }
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      received ??= signal;
      endGroup(signal);
      setTimeout(() => endGroup('SIGKILL'), GRACE_MS).unref();
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, onSignal);
    child.on('error', (error) => {
      process.stderr.write(`specdrive: cannot start the worker process: ${error.message}\n`);
      resolve(2);
    });
    child.on('close', (code, signal) => {
      for (const s of signals) process.off(s, onSignal);
      // Whatever the worker started dies with it.
      endGroup('SIGKILL');
      const ended = received ?? signal;
      resolve(ended ? 128 + (constants.signals[ended] ?? 15) : (code ?? 2));
    });
  });
}

/** In the worker: end the whole group when the supervising process goes away (even by SIGKILL). */
export function watchSupervisor(): void {
  if (!isWorker()) return;
  try {
    const pipe = new Socket({ fd: 3, readable: true, writable: false });
    pipe.on('close', () => process.kill(-process.pid, 'SIGKILL'));
    pipe.on('error', () => undefined);
    pipe.resume();
    pipe.unref();
  } catch {
    // No pipe: started by hand with the variable set; nothing to watch.
  }
}
