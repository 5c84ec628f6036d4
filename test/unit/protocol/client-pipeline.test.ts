/**
 * The client's pipelined path (src/protocol/request-pipeline.ts, response-reader.ts): answers
 * settled from the response bytes in place, lost answers recovered through the send-order list.
 */
import { describe, expect, it } from 'vitest';
import { SimServer } from '../../../firmware-sim/server.ts';
import { connect, decodeFrame, inProcessPair, Op, ProtocolError, SlipDecoder, slipEncode, type ByteTransport } from '../../../src/protocol/index.ts';
import { demoSim, GPIOA, inProcess, UART0 } from './helpers.ts';

describe('client pipeline', () => {
  it('a burst that fails part-way reports the beats completed, read from the response in place', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')]);
    // GPIOA's registers end two words after ODR: the third beat is a bus error.
    const read = await client.readBurst(GPIOA + 8, 8).catch((e: unknown) => e);
    expect(read).toBeInstanceOf(ProtocolError);
    expect(read).toMatchObject({ op: Op.READ_BURST, completed: 2 });
    const write = await client.writeBurst(UART0 + 0x0c, new Array(16).fill(0)).catch((e: unknown) => e);
    expect(write).toMatchObject({ op: Op.WRITE_BURST, completed: 1 });
    await close();
  });

  it('many pipelined READs each resolve with their own register, in one write per turn', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')], {}, { window: 64 });
    await client.write(UART0 + 0x0c, 0x1a5);
    const addresses = Array.from({ length: 500 }, (_, i) => (i % 2 ? UART0 + 0x0c : UART0 + 0x04));
    const values = await Promise.all(addresses.map((a) => client.read(a)));
    expect(values).toEqual(addresses.map((a) => (a === UART0 + 0x0c ? 0x1a5 : 1)));
    expect(client.pending).toBe(0);
    await close();
  });

  it('an answer lost on the way back is asked for again when a later one arrives, and answered from the cache', async () => {
    const server = new SimServer([demoSim('rev-b')]);
    const [host, device] = inProcessPair();
    const link = server.attach(device);
    // Drops the first READ answer that comes back, once; everything else passes unchanged.
    let dropped = 0;
    const lossy: ByteTransport = {
      description: 'drops one answer',
      write: (bytes) => host.write(bytes),
      onData: (listener) =>
        host.onData((bytes) => {
          const kept: Uint8Array[] = [];
          new SlipDecoder().push(bytes, (e) => {
            if (e.kind !== 'frame') return;
            const d = decodeFrame(e.body);
            if (dropped === 0 && d.ok && d.frame.op === Op.READ) dropped++;
            else kept.push(slipEncode(e.body));
          });
          if (kept.length > 0) listener(Buffer.concat(kept));
        }),
      onClose: (l) => host.onClose(l),
      close: () => host.close(),
    };
    // A time-out of weeks: only the hint from the later answer can recover the lost one (without
    // it the test hangs until its own 60 s guard fails it).
    const client = await connect(lossy, { heartbeatMs: 0, timeoutMs: 2 ** 31 - 1, window: 16 });
    await client.write(GPIOA + 8, 0x1234);
    const values = await Promise.all(Array.from({ length: 8 }, () => client.read(GPIOA + 8)));
    expect(values).toEqual(new Array(8).fill(0x1234));
    expect(dropped).toBe(1);
    expect(client.stats.retransmits).toBeGreaterThanOrEqual(1);
    expect(link.stats.duplicates).toBeGreaterThanOrEqual(1); // the resent READ was not executed again
    await client.close();
    await server.close();
  }, 60_000);
});
