import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { importFile } from '../../src/importers/index.ts';
import { specHash } from '../../src/ir/canonical.ts';
import { connect, openSerial, ProtocolError } from '../../src/protocol/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const spec = `${root}hardware-specs/demo-board/rev-b.yaml`;
const UART0 = 0x4000_1000;
const TIM0 = 0x4000_3000;

/**
 * Issue 2's walking skeleton, end to end through real processes: `specdrive sim SPEC --pty` in a
 * child process, a client opening the printed device path with the serialport package, HELLO,
 * reset values, a field written and read back, read-only bits, and a clean Ctrl-C.
 */
describe('specdrive sim --pty, driven through serialport', () => {
  it('serves the demo board on a real pseudo-terminal', async () => {
    const child = spawn(process.execPath, [`${root}bin/specdrive.js`, 'sim', spec, '--pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const path = await new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const m = /listening: pty (\S+)/.exec(stdout);
          if (m) resolve(m[1]!);
        };
        child.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`sim exited early (${code}): ${stderr}`)));
      });
      expect(path).toMatch(/^\/dev\/pts\/\d+$/);

      const expected = specHash(importFile(spec).value!);
      const client = await connect(await openSerial(path), { expect: { specHash: expected, board: 'demo-board', revision: 'rev-b' }, heartbeatMs: 0 });
      expect(client.info?.specHash).toBe(expected);

      // Reset values from the spec.
      expect(await client.read(UART0 + 0x04)).toBe(0b001); // STATUS: TXE=1, RXNE=0, OVR=0
      expect(await client.read(UART0 + 0x0c)).toBe(0x1a << 4); // BAUD.DIV = 0x1A
      expect(await client.read(TIM0 + 0x0c)).toBe(0xffff); // ARR
      expect(await client.read(UART0)).toBe(0);

      // A field written and read back: CTRL.PARITY = EVEN (2) at bits 2..1, ENABLE = 1.
      await client.modify(UART0, 2 << 1, 0b110);
      await client.modify(UART0, 1, 1);
      expect(await client.read(UART0)).toBe(0b101);
      expect(((await client.read(UART0)) >> 1) & 0b11).toBe(2);

      // Read-only: STATUS.TXE/RXNE ignore writes (OVR is write-1-to-clear in rev-b).
      await client.write(UART0 + 0x04, 0b010);
      expect(await client.read(UART0 + 0x04)).toBe(0b001);
      await expect(client.read(UART0 + 0x01)).rejects.toBeInstanceOf(ProtocolError);
      await client.close();

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toContain('specdrive sim: stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a spec with behaviour errors with a located diagnostic and exit 2', async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/sim-bad-');
    const bad = readFileSync(spec, 'utf8').replace('after 10 ticks set STATUS.TXE 1', 'after 10 tocks set STATUS.TXE 1');
    writeFileSync(`${dir}/rev-x.yaml`, bad);
    const child = spawn(process.execPath, [`${root}bin/specdrive.js`, 'sim', `${dir}/rev-x.yaml`, '--pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/rev-x\.yaml:\d+:\d+/);
    expect(stderr).toContain('sim/behaviour-syntax');
  });
});
