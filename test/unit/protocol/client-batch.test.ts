/**
 * Client.readMany: a batch of READs settled as one promise, each read still its own request (seq,
 * time-out, retransmission, error answer), in order with the single-request API.
 */
import { describe, expect, it } from 'vitest';
import { LinkError, ProtocolError, Op, Status } from '../../../src/protocol/index.ts';
import { demoSim, GPIOA, inProcess, TIM0, UART0 } from './helpers.ts';

describe('Client.readMany', () => {
  it('resolves with the value of every address, in order, as separate reads would', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')], {}, { window: 16 });
    await client.write(UART0 + 0x0c, 0x1a5);
    await client.write(GPIOA + 8, 0x0f0f);
    const addresses = Array.from({ length: 300 }, (_, i) => [UART0 + 4, UART0 + 0x0c, GPIOA + 8, TIM0 + 0x0c][i % 4]!);
    const batch = await client.readMany(addresses);
    const single = await Promise.all(addresses.map((a) => client.read(a)));
    expect(batch).toBeInstanceOf(Uint32Array);
    expect([...batch]).toEqual(single);
    expect(single.slice(0, 4)).toEqual([1, 0x1a5, 0x0f0f, 0xffff]);
    expect(await client.readMany([])).toHaveLength(0);
    expect(client.pending).toBe(0);
    await close();
  });

  it('gives every batch values of its own, many batches in flight across pools (small ones share a pooled buffer)', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')], {}, { window: 64 });
    // Each batch reads GPIOA ODR after its own write: 200 batches of 1..40 values, 4 in flight.
    const sizes = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7) % 40));
    const batches: Promise<Uint32Array>[] = [];
    const done: Uint32Array[] = [];
    for (let i = 0; i < sizes.length; i++) {
      void client.write(GPIOA + 8, i);
      batches.push(client.readMany(new Array<number>(sizes[i]!).fill(GPIOA + 8)));
      if (batches.length - done.length >= 4) done.push(await batches[done.length]!);
    }
    while (done.length < batches.length) done.push(await batches[done.length]!);
    done.forEach((values, i) => expect([...values]).toEqual(new Array(sizes[i]).fill(i)));
    await close();
  });

  it('keeps its place among single requests: reads see the writes issued before them, not after', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')]);
    const before = client.write(GPIOA + 8, 0x11);
    const batch = client.readMany([GPIOA + 8, GPIOA + 8]);
    const after = client.write(GPIOA + 8, 0x22);
    await Promise.all([before, after]);
    expect([...(await batch)]).toEqual([0x11, 0x11]);
    await close();
  });

  it('keeps that order when the batch overflows the window: what is issued after it waits behind it', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')], {}, { window: 4 });
    const before = client.write(GPIOA + 8, 0x11);
    const batch = client.readMany(new Array<number>(10).fill(GPIOA + 8));
    const after = client.write(GPIOA + 8, 0x22);
    const last = client.read(GPIOA + 8);
    expect(client.pending).toBe(13);
    await Promise.all([before, after]);
    expect([...(await batch)]).toEqual(new Array(10).fill(0x11));
    expect(await last).toBe(0x22);
    await close();
  });

  it('rejects with the error answer of a failing read (a bus error here); the reads around it still run', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')]);
    const error = await client.readMany([UART0 + 4, 0x5000_0000, UART0 + 4], { width: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ status: Status.BUS_ERROR, op: Op.READ, address: 0x5000_0000 });
    expect(client.pending).toBe(0);
    expect(client.stats.requests).toBeGreaterThanOrEqual(4); // HELLO + three reads
    await close();
  });

  it('recovers reads lost on a lossy link by retransmission, every value right', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')], { faults: { drop: 0.1, corrupt: 0.05, seed: 7 } }, { window: 32, timeoutMs: 50, retries: 8 });
    await client.write(GPIOA + 8, 0xbeef);
    const values = await client.readMany(new Array(400).fill(GPIOA + 8));
    expect([...values]).toEqual(new Array(400).fill(0xbeef));
    expect(client.stats.retransmits).toBeGreaterThan(0);
    await close();
  });

  it('rejects with a LinkError when the link closes before the answers come', async () => {
    const { client, server, close } = await inProcess([demoSim('rev-b')]);
    const pending = client.readMany(new Array(50).fill(UART0 + 4));
    await server.close();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LinkError);
    await close();
  });
});
