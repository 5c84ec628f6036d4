import { describe, expect, it } from 'vitest';
import { SimServer } from '../../../firmware-sim/server.ts';
import {
  Client,
  connect,
  decodeFrame,
  encodeFrame,
  Flag,
  inProcessPair,
  LinkError,
  Op,
  ProtocolError,
  SlipDecoder,
  slipEncode,
  Status,
  type ByteTransport,
  type Frame,
} from '../../../src/protocol/index.ts';
import { demoSim, GPIOA, inProcess, TIM0, UART0 } from './helpers.ts';

/** A raw host end: send hand-made frames, collect decoded responses. */
function rawHost(transport: ByteTransport): { send(frame: Uint8Array): void; frames: Frame[]; settle(expected: number): Promise<void> } {
  const frames: Frame[] = [];
  const decoder = new SlipDecoder();
  transport.onData((bytes) =>
    decoder.push(bytes, (e) => {
      if (e.kind !== 'frame') return;
      const d = decodeFrame(e.body);
      if (d.ok) frames.push(d.frame);
    }),
  );
  // Waits for the expected number of answers (a hang guard of 10 s, far above any loaded machine's
  // delay), then a little longer so an unexpected extra answer would be seen too. A fixed sleep
  // failed on a loaded machine, where the answers came after it.
  const settle = async (expected: number): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (frames.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
  };
  return { send: (frame) => transport.write(slipEncode(frame)), frames, settle };
}

const u32 = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
};

describe('client ⇄ server over the in-process link', () => {
  it('HELLO reports board, revision and the spec hash; a mismatched hash is refused', async () => {
    const sim = demoSim('rev-b');
    const { client, close } = await inProcess([sim]);
    expect(client.info).toMatchObject({ board: 'demo-board', revision: 'rev-b', specHash: sim.specHash, deviceCount: 1, protocolVersion: 1 });
    await close();

    const server = new SimServer([demoSim('rev-b')]);
    const [host, device] = inProcessPair();
    server.attach(device);
    const refused = connect(host, { heartbeatMs: 0, expect: { specHash: demoSim('rev-a').specHash } });
    await expect(refused).rejects.toMatchObject({ code: 'protocol/spec-mismatch' });
    await server.close();
  });

  it('performs every op with its status codes', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')]);
    expect(await client.read(UART0 + 0x04)).toBe(1); // STATUS.TXE resets to 1
    await client.write(UART0 + 0x0c, 0x1a5);
    expect(await client.read(UART0 + 0x0c)).toBe(0x1a5);
    expect(await client.modify(UART0 + 0x0c, 0x3, 0xf)).toEqual({ old: 0x1a5, value: 0x1a3 });
    await client.writeBurst(GPIOA, [0x00ff, 0x1234, 0xabcd]);
    expect(await client.readBurst(GPIOA, 3)).toEqual([0x00ff, 0, 0xabcd]); // IDR is read-only (hardware-driven)
    expect(await client.readBurst(GPIOA + 8, 3, { fixed: true })).toEqual([0xabcd, 0xabcd, 0xabcd]);
    await expect(client.read(UART0 + 2)).rejects.toMatchObject({ status: Status.ALIGN });
    await expect(client.read(0x5000_0000)).rejects.toMatchObject({ status: Status.BUS_ERROR });
    await expect(client.read(UART0, { device: 3 })).rejects.toMatchObject({ status: Status.BAD_DEVICE });
    await expect(client.inject('UART0.nothing', Uint8Array.of(1))).rejects.toMatchObject({ status: Status.BAD_REQUEST });
    // WAIT: TXE drops on a DATA write and comes back 10 ticks later.
    await client.write(UART0 + 0x08, 0x41);
    expect(await client.waitFor(UART0 + 0x04, 1, 1, 100)).toEqual({ value: 1, ticks: 10 });
    await expect(client.waitFor(UART0 + 0x04, 2, 2, 50)).rejects.toMatchObject({ status: Status.TIMEOUT });
    const now = await client.tick(5);
    expect(now).toBe(65);
    await client.reset('power-on');
    expect(await client.tick(0)).toBe(0);
    expect(await client.read(UART0 + 0x0c)).toBe(0x1a0);
    await close();
  });

  it('delivers interrupt and stream events in order', async () => {
    const { client, close } = await inProcess([demoSim('rev-b')]);
    const events: string[] = [];
    client.onEvent((e) =>
      events.push(e.kind === 'irq' ? `${e.name}=${e.irq?.level ? 1 : 0}@${e.time}` : `${e.name}:${[...(e.data ?? [])].join(',')}@${e.time}`),
    );
    await client.write(UART0 + 0x08, 0x7e);
    await client.write(UART0, 0x8); // RXIE
    await client.inject('UART0.rx', Uint8Array.of(0x31));
    expect(await client.read(UART0 + 0x08)).toBe(0x31);
    await client.write(TIM0 + 0x0c, 3);
    await client.write(TIM0, 0x3); // CEN | UIE
    await client.tick(4);
    await client.write(TIM0 + 0x04, 0); // UIF is write-0-to-clear
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['UART0.tx:126@0', 'UART0_IRQ=1@0', 'UART0_IRQ=0@0', 'TIM0_IRQ=1@4', 'TIM0_IRQ=0@4']);
    expect(client.stats.eventGaps).toBe(0);
    await close();
  });

  it('a retransmitted WRITE is answered from the cache and applied once', async () => {
    const sim = demoSim('rev-c');
    const server = new SimServer([sim]);
    const [host, device] = inProcessPair();
    server.attach(device);
    const raw = rawHost(host);
    raw.send(encodeFrame({ seq: 10, op: Op.HELLO, payload: u32(77) }));
    const toggle = encodeFrame({ seq: 11, op: Op.WRITE, width: 4, count: 1, address: GPIOA + 0x10, payload: u32(0x5) });
    raw.send(toggle);
    raw.send(toggle); // the "retry": TOGGLE would flip ODR back if it ran twice
    await raw.settle(3);
    expect(sim.model.field('GPIOA.ODR.ODR')!.value).toBe(0x5);
    const writes = raw.frames.filter((f) => f.op === Op.WRITE);
    expect(writes).toHaveLength(2);
    expect(writes.every((f) => f.seq === 11 && f.payload[0] === Status.OK && f.flags === Flag.RESPONSE)).toBe(true);
    await server.close();
  });

  it('executes requests in seq order even when they arrive out of order', async () => {
    const sim = demoSim('rev-b');
    const server = new SimServer([sim]);
    const [host, device] = inProcessPair();
    server.attach(device);
    const raw = rawHost(host);
    raw.send(encodeFrame({ seq: 0xfffe, op: Op.HELLO, payload: u32(1) }));
    // seq 0 (a READ) overtakes seq 0xffff (the WRITE it must see): the device holds it.
    raw.send(encodeFrame({ seq: 0x0000, op: Op.READ, width: 4, count: 1, address: GPIOA + 8 }));
    await raw.settle(2);
    // Only the HELLO answer, and a gap NAK asking for the missing seq (status CRC, op unknown).
    expect(raw.frames.map((f) => [f.op, f.seq, f.payload[0]])).toEqual([
      [Op.HELLO, 0xfffe, Status.OK],
      [0, 0xffff, Status.CRC],
    ]);
    raw.send(encodeFrame({ seq: 0xffff, op: Op.WRITE, width: 4, count: 1, address: GPIOA + 8, payload: u32(0x1234) }));
    await raw.settle(4);
    const read = raw.frames.find((f) => f.op === Op.READ)!;
    expect(raw.frames.filter((f) => f.op !== 0).map((f) => f.seq)).toEqual([0xfffe, 0xffff, 0x0000]);
    expect(new DataView(read.payload.buffer, read.payload.byteOffset + 1).getUint32(0, true)).toBe(0x1234);
    await server.close();
  });

  it('answers a damaged request with status CRC and discards duplicate responses', async () => {
    const server = new SimServer([demoSim('rev-b')]);
    const [host, device] = inProcessPair();
    server.attach(device);
    const raw = rawHost(host);
    const frame = encodeFrame({ seq: 5, op: Op.READ, width: 4, count: 1, address: UART0 });
    frame[frame.length - 1] = frame[frame.length - 1]! ^ 0x01;
    raw.send(frame);
    await raw.settle(1);
    expect(raw.frames).toHaveLength(1);
    expect(raw.frames[0]).toMatchObject({ seq: 5, op: Op.READ, flags: Flag.RESPONSE | Flag.ERROR });
    expect(raw.frames[0]!.payload[0]).toBe(Status.CRC);
    await server.close();
  });

  it('gives up with a LinkError when nothing answers, and reports a closed link', async () => {
    const [host] = inProcessPair();
    const client = new Client(host, { timeoutMs: 5, retries: 2, heartbeatMs: 0 });
    await expect(client.hello(3)).rejects.toMatchObject({ code: 'protocol/no-hello' });
    await client.close();

    const { client: live, server } = await inProcess([demoSim('rev-b')]);
    const pending = live.read(UART0);
    await server.close();
    await expect(pending.then(() => live.read(UART0))).rejects.toBeInstanceOf(LinkError);
  });

  it('fails the requests behind an unanswered one, re-synchronises with HELLO and carries on', async () => {
    const sim = demoSim('rev-b');
    const server = new SimServer([sim]);
    const [host, device] = inProcessPair();
    server.attach(device);
    // A transport that swallows the first WRITE's every copy: its retries all fail.
    let swallow = true;
    const lossy: ByteTransport = {
      description: 'lossy',
      write: (bytes) => {
        const decoder = new SlipDecoder();
        let isWrite = false;
        decoder.push(bytes, (e) => {
          if (e.kind === 'frame') {
            const d = decodeFrame(e.body);
            isWrite ||= d.ok && d.frame.op === Op.WRITE;
          }
        });
        if (!(swallow && isWrite)) host.write(bytes);
      },
      onData: (l) => host.onData(l),
      onClose: (l) => host.onClose(l),
      close: () => host.close(),
    };
    const client = await connect(lossy, { timeoutMs: 5, retries: 2, heartbeatMs: 0 });
    const lost = client.write(GPIOA + 8, 0x55);
    await expect(lost).rejects.toMatchObject({ code: 'protocol/timeout' });
    swallow = false;
    await client.write(GPIOA + 8, 0x66);
    expect(await client.read(GPIOA + 8)).toBe(0x66);
    expect(client.stats.retransmits).toBeGreaterThanOrEqual(2);
    await client.close();
    await server.close();
  });

  it('ProtocolError names the op, address and status', () => {
    const error = new ProtocolError(Status.BUS_ERROR, Op.READ, 0x4000_1000);
    expect(error.message).toBe('READ at 0x40001000 failed: BUS_ERROR');
    expect(error.statusName).toBe('BUS_ERROR');
  });
});
