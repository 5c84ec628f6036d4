/**
 * Regression (issue 18 §11): one `TICK 1000000` with a running timer kept the simulator busy for
 * seconds, stalling every link, and its sender timed out although the tick ran. Now a long TICK or
 * WAIT runs in slices interleaved with the other links' requests, and the client sends long
 * advances in requests of at most TICKS_PER_REQUEST ticks, so its view of time stays right.
 */
import { describe, expect, it } from 'vitest';
import { SimServer, TICK_SLICE } from '../../../firmware-sim/server.ts';
import { connect, inProcessPair, TICKS_PER_REQUEST } from '../../../src/protocol/index.ts';
import { demoSim, GPIOA, TIM0 } from '../../unit/protocol/helpers.ts';

async function client(server: SimServer, timeoutMs = 5000) {
  const [host, device] = inProcessPair();
  server.attach(device);
  return connect(host, { heartbeatMs: 0, timeoutMs, retries: 5 });
}

describe('regression: long TICKs do not stall other links', () => {
  it('another link is served while a maximal TICK from a raw sender runs; the tick still completes', async () => {
    const server = new SimServer([demoSim('rev-b')]);
    const a = await client(server);
    const b = await client(server);
    await a.write(TIM0, 0x3); // the timer runs, with per-tick behaviours
    const start = await a.tick(0);
    const order: string[] = [];
    // One request of 10^6 ticks, past the client's own splitting: what a C or Python runner may send.
    const big = (a as unknown as { request(op: number, d: number | undefined, w: number, c: number, addr: number, p: Uint8Array): Promise<Uint8Array> })
      .request(0x08, undefined, 0, 0, 0, Uint8Array.of(0x40, 0x42, 0x0f, 0x00))
      .then((payload) => {
        order.push('tick');
        return new DataView(payload.buffer, payload.byteOffset + 1).getBigUint64(0, true);
      });
    const read = b.read(GPIOA + 8).then(() => order.push('read'));
    const [now] = await Promise.all([big, read]);
    expect(order).toEqual(['read', 'tick']);
    expect(Number(now) - start).toBe(1_000_000);
    await a.close();
    await b.close();
    await server.close();
  });

  it('Client.tick past the per-request cap advances the whole amount and reports the time reached', async () => {
    expect(TICKS_PER_REQUEST).toBeLessThanOrEqual(TICK_SLICE);
    const server = new SimServer([demoSim('rev-b', { maxTicksPerRequest: 100_000 })]);
    const c = await client(server);
    const start = await c.tick(0);
    expect(await c.tick(250_000)).toBe(start + 250_000);
    await c.close();
    await server.close();
  });
});
