import { describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { openPty } from '../../firmware-sim/transports/pty.ts';

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false, hupcl: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

function collect(n: number, subscribe: (listener: (chunk: Uint8Array) => void) => void): Promise<Buffer> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    subscribe((chunk) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= n) resolve(got);
    });
  });
}

const settle = (ms = 150): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the python3 pty relay (no socat)', () => {
  it('is byte-clean in both directions for all 256 byte values, and survives a client reopening', async () => {
    const pty = await openPty();
    try {
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      let listener: ((chunk: Uint8Array) => void) | undefined;
      pty.transport.onData((chunk) => listener?.(chunk));
      for (let round = 0; round < 2; round++) {
        const port = await openPort(pty.path);
        const toMaster = collect(512, (l) => (listener = l));
        port.write(Buffer.concat([all, Buffer.from(all).reverse()]));
        expect(Buffer.compare(await toMaster, Buffer.concat([all, Buffer.from(all).reverse()]))).toBe(0);
        await settle(50); // the relay notices the client within one poll period
        const toSlave = collect(256, (l) => port.on('data', l));
        pty.transport.write(all);
        expect(Buffer.compare(await toSlave, all)).toBe(0);
        await new Promise<void>((r) => port.close(() => r()));
        await settle();
      }
    } finally {
      await pty.close();
    }
  });

  it('drops what the device sends while no client is attached', async () => {
    const pty = await openPty();
    try {
      pty.transport.write(Uint8Array.of(1, 2, 3));
      await settle();
      const port = await openPort(pty.path);
      const received: number[] = [];
      port.on('data', (d: Buffer) => received.push(...d));
      await settle(100);
      pty.transport.write(Uint8Array.of(9));
      await settle(200);
      expect(received).toEqual([9]);
      await new Promise<void>((r) => port.close(() => r()));
    } finally {
      await pty.close();
    }
  });
});
