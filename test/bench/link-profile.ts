/**
 * The simulator's side of a pipelined link with the socket taken away: a Link is fed chunks of 128
 * READ requests (consecutive seqs, as a client's window arrives) and its answers are dropped. Prints
 * the CPU per READ; run under `node --import tsx --cpu-prof test/bench/link-profile.ts` to see where
 * it goes (docs/performance.md, "Link: what bounds the pipelined rate").
 */
import { loadSimulator } from '../../firmware-sim/load.ts';
import { SimServer } from '../../firmware-sim/server.ts';
import { FrameBatch } from '../../src/protocol/frame-batch.ts';
import { concatBytes } from '../../src/protocol/frame.ts';
import { connect, encodeFrame, encodeHelloInfo, Flag, Op, SlipDecoder, slipEncode, Status, type ByteTransport } from '../../src/protocol/index.ts';

const SPEC = new URL('../../hardware-specs/demo-board/rev-b.yaml', import.meta.url).pathname;
const WINDOW = 128;
const SEQS = 0x10000;
const STATUS = 0x4000_1004;

export async function profileLinkPath(rounds = 8): Promise<number> {
  const server = new SimServer([loadSimulator(SPEC).value!]);
  let deliver: (bytes: Uint8Array) => void = () => undefined;
  const transport: ByteTransport = {
    description: 'profile',
    write: () => undefined,
    onData: (listener) => {
      deliver = listener;
    },
    onClose: () => undefined,
    close: async () => undefined,
  };
  server.attach(transport);
  // Every seq once: replaying the list wraps the seq space exactly, so nothing is a duplicate.
  const chunks = Array.from({ length: SEQS / WINDOW }, (_, c) =>
    Buffer.concat(Array.from({ length: WINDOW }, (_, i) => slipEncode(encodeFrame({ seq: c * WINDOW + i, op: Op.READ, width: 4, count: 1, address: STATUS })))),
  );
  const run = async (): Promise<void> => {
    for (const chunk of chunks) {
      deliver(chunk);
      await Promise.resolve(); // the link flushes its answers in a microtask
    }
  };
  await run(); // warm-up
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) await run();
  const cpu = process.cpuUsage(cpu0);
  await server.close();
  return (cpu.user + cpu.system) / (rounds * SEQS);
}

/**
 * The host's side of a pipelined link with the socket taken away: a device that answers every READ
 * at once (precomputed answers, delivered a turn later as one chunk per write, as a socket would).
 * The client's CPU per READ (the stand-in device's share included: a scan and a copy per answer),
 * with a promise per read (`read`, 128 awaiting) or per batch of 32 (`readMany`, 4 batches in flight).
 */
/** The stand-in device's answer to a READ of each seq, made once. */
let answers: Uint8Array[] | undefined;

export async function profileHostPath(mode: 'read' | 'readMany', count = 400_000): Promise<number> {
  answers ??= Array.from({ length: SEQS }, (_, seq) =>
    slipEncode(encodeFrame({ seq, op: Op.READ, width: 4, count: 1, address: STATUS, flags: Flag.RESPONSE, payload: Uint8Array.of(Status.OK, 1, 0, 0, 0) })),
  );
  const answerOf = answers;
  const helloInfo = encodeHelloInfo({ protocolVersion: 1, deviceCount: 1, maxPayload: 4096, board: 'b', revision: 'r', specHash: 'h' });
  const hello = (seq: number): Uint8Array =>
    slipEncode(encodeFrame({ seq, op: Op.HELLO, flags: Flag.RESPONSE, payload: concatBytes([Uint8Array.of(Status.OK), helloInfo]) }));
  const decoder = new SlipDecoder();
  let deliver: (bytes: Uint8Array) => void = () => undefined;
  const out = new FrameBatch();
  const transport: ByteTransport = {
    description: 'profile',
    write: (bytes) => {
      decoder.scan(
        bytes,
        (b, start) => {
          const seq = b[start + 2]! | (b[start + 3]! << 8);
          out.addWire(b[start + 5] === Op.HELLO ? hello(seq) : answerOf[seq]!);
        },
        () => undefined,
      );
      const chunk = out.take();
      setImmediate(() => deliver(chunk));
    },
    onData: (listener) => {
      deliver = listener;
    },
    onClose: () => undefined,
    close: async () => undefined,
  };
  const client = await connect(transport, { window: WINDOW, heartbeatMs: 0, timeoutMs: 1000 });
  const addresses = new Array<number>(32).fill(STATUS);
  const run = async (n: number): Promise<void> => {
    let issued = 0;
    const one = async (): Promise<void> => {
      while (issued < n) {
        issued++;
        await client.read(STATUS);
      }
    };
    const many = async (): Promise<void> => {
      while (issued < n) {
        issued += addresses.length;
        await client.readMany(addresses);
      }
    };
    await Promise.all(mode === 'read' ? Array.from({ length: WINDOW }, one) : Array.from({ length: WINDOW / addresses.length }, many));
  };
  await run(count / 10);
  const cpu0 = process.cpuUsage();
  await run(count);
  const cpu = process.cpuUsage(cpu0);
  await client.close();
  return (cpu.user + cpu.system) / count;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  // The least of 5 runs: the machine is shared, and other work only ever adds CPU time.
  const least = async (f: () => Promise<number>): Promise<string> => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) best = Math.min(best, await f());
    return best.toFixed(3);
  };
  const part = process.argv[2] ?? 'all';
  if (part === 'all' || part === 'sim') console.log(`simulator frame path: ${await least(() => profileLinkPath(2))} CPU µs per READ (device model included)`);
  if (part === 'all' || part === 'read') console.log(`host, a promise per read: ${await least(() => profileHostPath('read', 200_000))} CPU µs per READ`);
  if (part === 'all' || part === 'readMany') console.log(`host, readMany of 32: ${await least(() => profileHostPath('readMany', 200_000))} CPU µs per READ`);
}
