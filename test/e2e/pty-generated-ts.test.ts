import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { repoRoot } from '../helpers/demo.ts';

/**
 * Issue 2's end-to-end test as a user would do it: generate the TypeScript accessors for a demo
 * revision with the CLI, start `specdrive sim --pty` in a child process, and drive the device
 * through the generated, typed API over the `serialport` package: reset values, a field written
 * and read back (by enum name), and a read-only field that ignores writes.
 */
describe('generated TypeScript accessors against the simulator on a real pty', () => {
  it('writes and reads back a field, sees reset values and read-only behaviour', async () => {
    // Inside the repository so the generated package resolves `serialport` from node_modules.
    const out = join(repoRoot, 'out', 'e2e', `ts-${process.pid}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const spec = join(repoRoot, 'hardware-specs/demo-board/rev-b.yaml');
    const quiet = { cwd: repoRoot, stdout: () => undefined, stderr: () => undefined, color: false, isTTY: false, signal: new AbortController().signal };
    expect(await runCli(['generate', spec, '--target', 'ts', '-o', out], quiet)).toBe(0);

    const child = spawn(process.execPath, [join(repoRoot, 'bin/specdrive.js'), 'sim', spec, '--pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const path = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /listening: pty (\S+)/.exec(stdout);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`sim exited early (${code})`)));
      });
      // The shape of the generated SDK this test uses (the package itself is generated at run time).
      interface RegisterApi<R> {
        read(): Promise<R>;
        modify(values: Partial<Record<string, number | string>>): Promise<void>;
        writeRaw(value: number): Promise<void>;
      }
      interface Sdk {
        serialTransport(path: string): Promise<unknown>;
        openDevice(transport: unknown): Promise<{
          device: {
            UART0: {
              STATUS: RegisterApi<{ TXE: number }>;
              BAUD: RegisterApi<{ DIV: number }>;
              CTRL: RegisterApi<{ PARITY: string | number; ENABLE: number; RXIE: number }>;
            };
            TIM0: { ARR: RegisterApi<{ ARR: number }> };
          };
          client: { close(): Promise<void> };
        }>;
      }
      const sdk = (await import(join(out, 'ts', 'src', 'index.ts'))) as Sdk;
      const { device, client } = await sdk.openDevice(await sdk.serialTransport(path));
      try {
        // Reset values from the spec: STATUS.TXE resets to 1, BAUD.DIV to 0x1A.
        expect((await device.UART0.STATUS.read()).TXE).toBe(1);
        expect((await device.UART0.BAUD.read()).DIV).toBe(0x1a);
        expect((await device.TIM0.ARR.read()).ARR).toBe(0xffff);
        // A field written by enum name reads back; its neighbours keep their values.
        await device.UART0.CTRL.modify({ PARITY: 'EVEN', ENABLE: 1 });
        const ctrl = await device.UART0.CTRL.read();
        expect(ctrl.PARITY).toBe('EVEN');
        expect(ctrl.ENABLE).toBe(1);
        expect(ctrl.RXIE).toBe(0);
        // Read-only: a raw write to STATUS leaves TXE (r, reset 1) and RXNE as they were.
        await device.UART0.STATUS.writeRaw(0);
        expect((await device.UART0.STATUS.read()).TXE).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      child.kill('SIGINT');
      await exited;
      rmSync(out, { recursive: true, force: true });
    }
  });
});
