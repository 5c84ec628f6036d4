/**
 * The simulator link's fast path (firmware-sim/server-link.ts `quick`, Simulator.readValue): a
 * plain in-order READ or WRITE answered straight from the received bytes must give, byte for byte,
 * the answer and the device state the general path (decodeFrame → executeRequest → encodeFrame)
 * gives, for any mix of well-formed and malformed requests.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { executeRequest } from '../../../firmware-sim/server-execute.ts';
import { SimServer } from '../../../firmware-sim/server.ts';
import type { SimEvent, Simulator } from '../../../firmware-sim/simulator.ts';
import type { AccessRecord } from '../../../firmware-sim/trace.ts';
import { decodeFrame, encodeFrame, Flag, Op, SlipDecoder, slipEncode, Status, type ByteTransport, type Frame } from '../../../src/protocol/index.ts';
import { semanticsSim } from '../sim/fixture.ts';
import { demoSim, GPIOA, TIM0, UART0 } from './helpers.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A device-side transport the test drives by hand: `deliver` feeds the link, `written` collects its output. */
function handTransport(): { transport: ByteTransport; deliver(bytes: Uint8Array): void; written: Uint8Array[] } {
  let listener: (bytes: Uint8Array) => void = () => undefined;
  const written: Uint8Array[] = [];
  return {
    transport: {
      description: 'by hand',
      write: (bytes) => void written.push(bytes.slice()),
      onData: (l) => {
        listener = l;
      },
      onClose: () => undefined,
      close: async () => undefined,
    },
    deliver: (bytes) => listener(bytes),
    written,
  };
}

/** The response frames (not events) in what the link wrote, as hex. */
function responses(written: Uint8Array[]): string[] {
  const out: string[] = [];
  const decoder = new SlipDecoder();
  for (const chunk of written) decoder.push(chunk, (e) => e.kind === 'frame' && !(e.body[1]! & Flag.ASYNC) && out.push(hex(e.body)));
  return out;
}

/** What the general path answers: the request executed by executeRequest, encoded as Link.respond does. */
function reference(sim: Simulator, frame: Frame): string {
  const payload = executeRequest([sim], frame, { client: 1, seq: frame.seq });
  const status = payload[0]!;
  const { seq, device, op, width, count, address } = frame;
  return hex(
    encodeFrame({
      seq,
      device,
      op,
      width,
      count,
      address,
      payload,
      flags: Flag.RESPONSE | (status !== Status.OK ? Flag.ERROR : 0) | (frame.flags & Flag.FIXED),
    }),
  );
}

interface Request {
  op: number;
  width: number;
  count: number;
  address: number;
  device: number;
  flags: number;
  version: number;
  payload: Uint8Array;
}

/** Mostly well-formed READs and WRITEs (the fast path's), with every way of being malformed mixed in. */
function requests(addresses: readonly number[]): fc.Arbitrary<Request[]> {
  const request = fc.record({
    op: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(Op.READ, Op.WRITE) }, { weight: 1, arbitrary: fc.constantFrom(Op.MODIFY, Op.READ_BURST, 0x7f) }),
    width: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 4) }, { weight: 1, arbitrary: fc.constantFrom(0, 3, 8) }),
    count: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2, 0x100) }),
    address: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...addresses) },
      { weight: 2, arbitrary: fc.constantFrom(...addresses.map((a) => a + 1), ...addresses.map((a) => a + 2)) },
      { weight: 1, arbitrary: fc.constant(0x5000_0000) },
    ),
    device: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }),
    flags: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(Flag.FIXED, 0x10) }),
    version: fc.oneof({ weight: 20, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) }),
    value: fc.nat(),
    payloadShape: fc.oneof({ weight: 8, arbitrary: fc.constant('fits') }, { weight: 1, arbitrary: fc.constantFrom('short', 'long') }),
  });
  return fc.array(request, { minLength: 1, maxLength: 60 }).map((list) =>
    list.map(({ value, payloadShape, ...r }) => {
      const wanted = r.op === Op.WRITE ? r.width : r.op === Op.MODIFY ? r.width * 2 : 0;
      const length = payloadShape === 'fits' ? wanted : payloadShape === 'short' ? Math.max(0, wanted - 1) : wanted + 1;
      const payload = Uint8Array.from({ length }, (_, i) => (value >>> (8 * (i % 4))) & 0xff);
      return { ...r, payload };
    }),
  );
}

/** Feeds HELLO then `list` (consecutive seqs) through a Link in chunks cut at `cuts`; returns its answers and events. */
function throughLink(sim: Simulator, list: Request[], cuts: number[]): { answers: string[]; events: SimEvent[]; executed: number } {
  const server = new SimServer([sim]);
  const execute = vi.spyOn(server, 'execute');
  const hand = handTransport();
  server.attach(hand.transport);
  const events: SimEvent[] = [];
  sim.onEvent((e) => events.push(e));
  const hello = slipEncode(encodeFrame({ seq: 9, op: Op.HELLO, payload: Uint8Array.of(1, 2, 3, 4) }));
  hand.deliver(hello);
  const executedForHello = execute.mock.calls.length;
  const wire = Buffer.concat(list.map((r, i) => slipEncode(encodeFrame({ seq: 10 + i, ...r }))));
  const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
  let last = 0;
  for (const p of [...points, wire.length]) {
    hand.deliver(wire.subarray(last, p));
    last = p;
  }
  return { answers: responses(hand.written).slice(1), events, executed: execute.mock.calls.length - executedForHello };
}

function throughReference(sim: Simulator, list: Request[]): { answers: string[]; events: SimEvent[] } {
  const events: SimEvent[] = [];
  sim.onEvent((e) => events.push(e));
  const answers = list.map((r, i) => {
    const decoded = decodeFrame(encodeFrame({ seq: 10 + i, ...r }));
    if (!decoded.ok) throw new Error('request did not decode');
    return reference(sim, decoded.frame);
  });
  return { answers, events };
}

const DEMO_ADDRESSES = [UART0, UART0 + 4, UART0 + 8, UART0 + 0xc, GPIOA, GPIOA + 4, GPIOA + 8, GPIOA + 0xc, TIM0, TIM0 + 4, TIM0 + 8, TIM0 + 0xc, TIM0 + 0x10];
const SEMANTICS_ADDRESSES = [0x1000, 0x1004, 0x1008, 0x100c, 0x1010, 0x1014, 0x1018, 0x1019, 0x101a];

describe('link fast path', () => {
  for (const [name, make, addresses] of [
    ['demo board rev-b (behaviours, FIFO, atomic set/reset)', () => demoSim('rev-b'), DEMO_ADDRESSES],
    ['every access semantic (rclr, rset, w1, singlepulse, interrupts, 8/16-bit registers)', () => semanticsSim(), SEMANTICS_ADDRESSES],
  ] as const) {
    it(`answers and changes the device exactly as the general path does: ${name}`, () => {
      fc.assert(
        fc.property(requests(addresses), fc.array(fc.nat(), { maxLength: 6 }), (list, cuts) => {
          const viaLink = throughLink(make(), list, cuts);
          const viaReference = throughReference(make(), list);
          expect(viaLink.answers).toEqual(viaReference.answers);
          expect(viaLink.events).toEqual(viaReference.events);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('takes plain in-order READs and WRITEs without the general path', () => {
    const list: Request[] = Array.from({ length: 64 }, (_, i) => ({
      op: i % 2 ? Op.READ : Op.WRITE,
      width: 4,
      count: 1,
      address: GPIOA + 8,
      device: 0,
      flags: 0,
      version: 1,
      payload: i % 2 ? new Uint8Array(0) : Uint8Array.of(i, 0, 0, 0),
    }));
    const run = throughLink(demoSim('rev-b'), list, [100, 700]);
    expect(run.executed).toBe(0);
    expect(run.answers).toEqual(throughReference(demoSim('rev-b'), list).answers);
  });

  it('answers a chunk of 100 READs in writes of 32, 32, 32 and 4 answers, the same bytes as one write', () => {
    const hand = handTransport();
    new SimServer([demoSim('rev-b')]).attach(hand.transport);
    hand.deliver(slipEncode(encodeFrame({ seq: 9, op: Op.HELLO, payload: Uint8Array.of(9, 9, 9, 9) })));
    hand.written.length = 0;
    const list: Request[] = Array.from({ length: 100 }, (_, i) => ({
      op: Op.READ,
      width: 4,
      count: 1,
      address: DEMO_ADDRESSES[i % DEMO_ADDRESSES.length]!,
      device: 0,
      flags: 0,
      version: 1,
      payload: new Uint8Array(0),
    }));
    hand.deliver(Buffer.concat(list.map((r, i) => slipEncode(encodeFrame({ seq: 10 + i, op: r.op, width: r.width, count: r.count, address: r.address })))));
    // Each write holds whole answers (the host can act on it alone), and together they are the answers in order.
    expect(hand.written.map((w) => responses([w]).length)).toEqual([32, 32, 32, 4]);
    expect(responses(hand.written)).toEqual(throughReference(demoSim('rev-b'), list).answers);
  });

  it('answers in one write per chunk for 63 chunks after a slice handed the core over (an involuntary context switch), then slices again', () => {
    const hand = handTransport();
    new SimServer([demoSim('rev-b')]).attach(hand.transport);
    hand.deliver(slipEncode(encodeFrame({ seq: 9, op: Op.HELLO, payload: Uint8Array.of(9, 9, 9, 9) })));
    let seq = 10;
    const chunk = (): Uint8Array =>
      Buffer.concat(Array.from({ length: 40 }, () => slipEncode(encodeFrame({ seq: seq++, op: Op.READ, width: 4, count: 1, address: UART0 + 4 }))));
    const writesOf = (bytes: Uint8Array): number[] => {
      hand.written.length = 0;
      hand.deliver(bytes);
      return hand.written.map((w) => responses([w]).length);
    };
    const usage = process.resourceUsage();
    let switches = 0;
    const preempted = vi.spyOn(process, 'resourceUsage').mockImplementation(() => ({ ...usage, involuntaryContextSwitches: switches++ }));
    try {
      expect(writesOf(chunk())).toEqual([32, 8]); // sliced, and preempted meanwhile
      switches = 0;
      preempted.mockImplementation(() => ({ ...usage, involuntaryContextSwitches: switches }));
      const after = Array.from({ length: 64 }, () => writesOf(chunk()));
      expect(after.slice(0, 63)).toEqual(new Array(63).fill([40]));
      expect(after[63]).toEqual([32, 8]);
    } finally {
      preempted.mockRestore();
    }
  });

  it('a traced READ is traced once, as on the general path', () => {
    const records: AccessRecord[] = [];
    const sim = demoSim('rev-b', { tracers: [{ access: (r) => void records.push(r), close: () => undefined }] });
    const read: Request = { op: Op.READ, width: 4, count: 1, address: UART0 + 4, device: 0, flags: 0, version: 1, payload: new Uint8Array(0) };
    throughLink(sim, [read, read, read], []);
    expect(records.filter((r) => r.op === 'READ').map((r) => [r.register, r.value, r.status])).toEqual(new Array(3).fill(['UART0.STATUS', 1, 'OK']));
  });

  it('a retransmitted WRITE is answered from the cache and applied once', () => {
    const sim = demoSim('rev-b');
    const server = new SimServer([sim]);
    const hand = handTransport();
    const link = server.attach(hand.transport);
    const tx: SimEvent[] = [];
    sim.onEvent((e) => e.kind === 'stream' && tx.push(e));
    hand.deliver(slipEncode(encodeFrame({ seq: 1, op: Op.HELLO, payload: Uint8Array.of(9, 9, 9, 9) })));
    // Writing UART0.DATA sends the byte on the tx stream: a second execution would send it twice.
    const write = slipEncode(encodeFrame({ seq: 2, op: Op.WRITE, width: 4, count: 1, address: UART0 + 8, payload: Uint8Array.of(0x41, 0, 0, 0) }));
    hand.deliver(write);
    hand.deliver(write);
    const answers = responses(hand.written);
    expect(answers).toHaveLength(3);
    expect(answers[2]).toBe(answers[1]);
    expect(tx).toHaveLength(1);
    expect(link.stats.duplicates).toBe(1);
  });

  it('a retransmitted READ is answered from the cache (its answer is the cached request) and not executed again', () => {
    const sim = demoSim('rev-b');
    const server = new SimServer([sim]);
    const execute = vi.spyOn(server, 'execute');
    const readValue = vi.spyOn(server, 'readValue');
    const hand = handTransport();
    const link = server.attach(hand.transport);
    hand.deliver(slipEncode(encodeFrame({ seq: 1, op: Op.HELLO, payload: Uint8Array.of(9, 9, 9, 9) })));
    const executedForHello = execute.mock.calls.length;
    const read = (seq: number): Uint8Array => slipEncode(encodeFrame({ seq, op: Op.READ, width: 4, count: 1, address: UART0 + 4 }));
    hand.deliver(Buffer.concat([read(2), read(3)]));
    hand.deliver(read(2)); // the host lost the first answer
    const answers = responses(hand.written);
    expect(answers).toHaveLength(4);
    expect(answers[3]).toBe(answers[1]);
    expect(readValue).toHaveBeenCalledTimes(2);
    expect(execute.mock.calls.length).toBe(executedForHello);
    expect(link.stats.duplicates).toBe(1);
  });
});
