/**
 * Backpressure (issue 18 §10): a client that floods burst reads and never reads the replies is
 * dropped once its unread responses pass the link's backlog bound; the simulator's memory does not
 * grow with the flood, and another client is served throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimServer } from '../../firmware-sim/server.ts';
import { listenUnix } from '../../firmware-sim/transports/sockets.ts';
import { connect, connectUnix, encodeFrame, Op, PROTOCOL_VERSION, slipEncode } from '../../src/protocol/index.ts';
import { demoSim, GPIOA } from '../unit/protocol/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'specdrive-backpressure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simulator backpressure', () => {
  it('a link that never reads its replies is dropped; others keep their service; memory stays bounded', async () => {
    const server = new SimServer([demoSim('rev-b')], { maxBacklogBytes: 256 * 1024 });
    const socket = join(dir, 'sim.sock');
    const listener = await listenUnix(server, socket);
    try {
      const flooder = createConnection(socket);
      await new Promise<void>((r) => flooder.once('connect', () => r()));
      flooder.pause(); // never reads: every response stays queued on the simulator's side
      const closed = new Promise<void>((r) => flooder.once('close', () => r()));
      flooder.on('error', () => undefined);
      // 4 KiB responses per request: 3.4 MB of requests ask for far more than the backlog bound.
      const burst = (seq: number): Uint8Array =>
        slipEncode(
          encodeFrame({
            version: PROTOCOL_VERSION,
            flags: 0,
            seq,
            device: 0,
            op: Op.READ_BURST,
            width: 4,
            count: 1024,
            address: GPIOA,
            payload: new Uint8Array(0),
          }),
        );
      const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      let seq = 0;
      let flooding = true;
      const flood = (async () => {
        while (flooding && !flooder.destroyed && seq < 200_000) {
          if (!flooder.write(burst(seq++ & 0xffff))) await new Promise((r) => setTimeout(r, 1));
        }
      })();

      const other = await connect(await connectUnix(socket), { heartbeatMs: 0, timeoutMs: 2000, retries: 5 });
      await other.write(GPIOA + 8, 0x1234, { width: 4 });
      expect(await other.read(GPIOA + 8)).toBe(0x1234);

      await closed; // the simulator dropped the flooder
      flooding = false;
      await flood;
      expect(server.linkCount).toBe(1);
      expect(await other.read(GPIOA + 8)).toBe(0x1234);
      const grown = (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - heapBefore) / 2 ** 20;
      expect(grown).toBeLessThan(200);
      await other.close();
    } finally {
      await listener.close();
      await server.close();
    }
  });
});
