/**
 * The simulator's side of a pipelined link with the socket taken away: a Link is fed chunks of 128
 * READ requests (consecutive seqs, as a client's window arrives) and its answers are dropped. Prints
 * the CPU per READ; run under `node --import tsx --cpu-prof test/bench/link-profile.ts` to see where
 * it goes (docs/performance.md, "Link: what bounds the pipelined rate").
 */
import { loadSimulator } from '../../firmware-sim/load.ts';
import { SimServer } from '../../firmware-sim/server.ts';
import { encodeFrame, Op, slipEncode, type ByteTransport } from '../../src/protocol/index.ts';

const SPEC = new URL('../../hardware-specs/demo-board/rev-b.yaml', import.meta.url).pathname;
const WINDOW = 128;
const SEQS = 0x10000;

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
    Buffer.concat(
      Array.from({ length: WINDOW }, (_, i) => slipEncode(encodeFrame({ seq: c * WINDOW + i, op: Op.READ, width: 4, count: 1, address: 0x4000_1004 }))),
    ),
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

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) console.log(`simulator frame path: ${(await profileLinkPath()).toFixed(3)} CPU µs per READ (device model included)`);
