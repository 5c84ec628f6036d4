/**
 * Before/after of the pipelined link in one run: `BASE=<checkout of an older commit> node --import
 * tsx test/bench/link-ab.ts [ROUNDS]`. Each round measures, one after the other, the raw echo peers
 * (python3, node, C), the older checkout and this one (each its own `specdrive sim --socket` driven
 * by its own client, with a promise per read, then with `readMany`), as link-bench.ts drives them
 * (the median of RUNS runs each); prints every figure of every round, then the medians over the
 * rounds and each simulator row's ratio to each echo (docs/performance.md, link). `LINK_PEER_CPU=1
 * taskset -c 0 node …` gives every peer CPU 1 and this driver CPU 0 (link-echo.ts, `spawnPeer`).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { medianRate, rawUnixEcho, socketPath, spawnPeer, waitForLine, type PipelinedRate } from './link-echo.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SPEC = join(ROOT, 'hardware-specs/demo-board/rev-b.yaml');
const STATUS = 0x4000_1004;
/** As link-bench.ts: transactions per run, runs per median. */
const COUNT = 200_000;
const RUNS = 5;
const WINDOW = 128;
const BATCH = 32;

interface LinkClient {
  read(address: number): Promise<number>;
  readMany?(addresses: ArrayLike<number>): Promise<Uint32Array>;
  close(): Promise<void>;
}
interface ProtocolModule {
  connect(transport: unknown, options: object): Promise<LinkClient>;
  connectUnix(path: string): Promise<unknown>;
}

/** The simulator of checkout `root` in its own process, driven by that checkout's client. */
async function simOf(root: string, modes: readonly ('read' | 'readMany')[]): Promise<Record<string, PipelinedRate>> {
  const protocol = (await import(join(root, 'src/protocol/index.ts'))) as ProtocolModule;
  const path = socketPath('link-ab-');
  const child = spawnPeer(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'sim', SPEC, '--socket', path], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await waitForLine(child, /listening: unix:/, `sim of ${root}`);
    const client = await protocol.connect(await protocol.connectUnix(path), { window: WINDOW, heartbeatMs: 0, timeoutMs: 1000 });
    const run = async (mode: 'read' | 'readMany', count: number): Promise<void> => {
      let issued = 0;
      const addresses = new Array<number>(BATCH).fill(STATUS);
      const lane = async (): Promise<void> => {
        while (issued < count) {
          if (mode === 'read') {
            issued++;
            await client.read(STATUS);
          } else {
            issued += BATCH;
            await client.readMany!(addresses);
          }
        }
      };
      await Promise.all(Array.from({ length: mode === 'read' ? WINDOW : WINDOW / BATCH }, lane));
    };
    const out: Record<string, PipelinedRate> = {};
    for (const mode of modes) {
      await run(mode, COUNT / 10);
      out[mode] = await medianRate(RUNS, COUNT, child.pid, () => run(mode, COUNT));
    }
    await client.close();
    return out;
  } finally {
    child.kill('SIGINT');
  }
}

const base = process.env['BASE'];
if (!base) throw new Error('BASE=<checkout of the older commit> is required');
const rounds = Number(process.argv[2] ?? 3);
const results: Record<string, PipelinedRate[]> = {};
const note = (name: string, rate: PipelinedRate): void => {
  (results[name] ??= []).push(rate);
  console.log(`${name.padEnd(24)} ${String(rate.opsPerSec).padStart(9)}/s  driver ${rate.cpuUsPerOp} µs  peer ${rate.peerCpuUsPerOp ?? '?'} µs`);
};
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; peers ${process.env['LINK_PEER_CPU'] === undefined ? 'placed by the kernel' : `on CPU ${process.env['LINK_PEER_CPU']} (LINK_PEER_CPU)`}`,
);
for (let r = 0; r < rounds; r++) {
  for (const peer of ['python3', 'node', 'c'] as const) note(`echo ${peer}`, await rawUnixEcho(peer, { count: COUNT, depth: WINDOW, size: 19, runs: RUNS }));
  const before = await simOf(base, ['read', 'readMany']);
  note('before: read', before['read']!);
  note(`before: readMany ${BATCH}`, before['readMany']!);
  const after = await simOf(ROOT, ['read', 'readMany']);
  note('after: read', after['read']!);
  note(`after: readMany ${BATCH}`, after['readMany']!);
}
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, rates] of Object.entries(results)) {
  console.log(
    `median ${name.padEnd(24)} ${String(median(rates.map((x) => x.opsPerSec))).padStart(9)}/s  driver ${median(rates.map((x) => x.cpuUsPerOp))} µs  peer ${median(rates.map((x) => x.peerCpuUsPerOp ?? Number.NaN))} µs`,
  );
}
// Each simulator row against each echo, as the bench prints it (the medians' ratio; target ≥ 0.5).
const medianRateOf = (name: string): number => median((results[name] ?? []).map((x) => x.opsPerSec));
for (const side of ['before: read', `before: readMany ${BATCH}`, 'after: read', `after: readMany ${BATCH}`]) {
  const ratios = (['python3', 'node', 'c'] as const).map((peer) => `${peer} ${(medianRateOf(side) / medianRateOf(`echo ${peer}`)).toFixed(3)}`);
  console.log(`ratio ${side.padEnd(20)} ÷ echo: ${ratios.join(', ')}`);
}
