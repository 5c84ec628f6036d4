import { spawn } from 'node:child_process';
import { SerialPort } from 'serialport';
import { loadSimulator } from '../../firmware-sim/load.ts';
import { SimServer } from '../../firmware-sim/server.ts';
import { openPty } from '../../firmware-sim/transports/pty.ts';
import { listenUnix } from '../../firmware-sim/transports/sockets.ts';
import { connect, connectUnix, decodeFrame, encodeFrame, inProcessPair, Op, openSerial, type ByteTransport, type Client } from '../../src/protocol/index.ts';
import { medianRate, rawUnixEcho, socketPath, spawnPeer, waitForLine, type EchoPeer, type PipelinedRate } from './link-echo.ts';

export interface BenchRow {
  name: string;
  impl: string;
  medianMs?: number;
  p95Ms?: number;
  opsPerSec?: number;
  cpuUsPerOp?: number;
  ratio?: number;
  /** CPU µs per transaction of the peer process: the echo, or the simulator. */
  peerCpuUsPerOp?: number;
}

const ROOT = new URL('../../', import.meta.url).pathname;
const SPEC = new URL('../../hardware-specs/demo-board/rev-b.yaml', import.meta.url).pathname;
const CLI = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const STATUS = 0x4000_1004;
const ROUND_TRIPS = 1000;
const PIPELINED = 50_000;
/**
 * Transactions per run against a peer process (the echoes and `specdrive sim --socket` alike): a run
 * of the fastest echo lasts ≥ 50 ms, so one time slice lost to another process does not decide it.
 */
const SOCKET_PIPELINED = 200_000;
/** Pipelined runs per row (the median is reported), for the echoes and the simulator alike. */
const RUNS = 5;
/** Requests in flight: the client's window, and the echo's depth. */
const WINDOW = 128;
/** A READ request on the wire: END, 13-byte header, 4-byte CRC, END (its answer is 24 bytes). */
const READ_REQUEST_BYTES = 19;

/** The physical floor: a Python process echoing on the master of its own pty, no relay, no Node. */
const ECHO = String.raw`
import os, sys, pty, tty, select
m, s = pty.openpty()
tty.setraw(s)
sys.stderr.write("PTY " + os.ttyname(s) + "\n"); sys.stderr.flush()
os.close(s)
while True:
    r, _, _ = select.select([m, 0], [], [])
    if 0 in r and not os.read(0, 1): break
    if m in r:
        try: os.write(m, os.read(m, 65536))
        except OSError: select.select([0], [], [], 0.01)
`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function summarise(samples: number[]): { medianMs: number; p95Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)) };
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

async function rawPtyEcho(): Promise<{ medianMs: number; p95Ms: number }> {
  const child = spawn('python3', ['-u', '-c', ECHO], { stdio: ['pipe', 'ignore', 'pipe'] });
  try {
    const path = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr.setEncoding('utf8').on('data', (t: string) => {
        text += t;
        const m = /PTY (\S+)/.exec(text);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`echo helper exited: ${text}`)));
    });
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path, baudRate: 115_200, autoOpen: false, hupcl: false });
      p.open((e) => (e ? reject(e) : resolve(p)));
    });
    // Same size as a READ request (SLIP-framed), so the floor is comparable.
    const message = Buffer.alloc(19, 0x55);
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS + 50; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        let got = 0;
        const onData = (d: Buffer): void => {
          got += d.length;
          if (got >= message.length) {
            port.off('data', onData);
            resolve();
          }
        };
        port.on('data', onData);
        port.write(message);
      });
      if (i >= 50) samples.push(performance.now() - t0);
    }
    await new Promise<void>((r) => port.close(() => r()));
    return summarise(samples);
  } finally {
    child.stdin.end();
    child.kill();
  }
}

/**
 * `count` READs with exactly `depth` in flight: each completion issues the next one, the way the
 * echo floor refills its window (not `count` promises queued at once, which measures the queue).
 */
async function pipelined(client: Client, count: number, depth: number): Promise<void> {
  let issued = 0;
  const lane = async (): Promise<void> => {
    while (issued < count) {
      issued++;
      await client.read(STATUS);
    }
  };
  await Promise.all(Array.from({ length: depth }, lane));
}

/** Reads per batch of `readMany`: WINDOW / BATCH batches in flight keep the same depth as the single reads. */
const BATCH = 32;

/**
 * `count` READs as batches of BATCH (`readMany`, one promise each), WINDOW / BATCH batches in
 * flight: the same depth as `pipelined`, and the next batch is issued as soon as one completes.
 */
async function batched(client: Client, count: number, depth: number): Promise<void> {
  let issued = 0;
  const addresses = new Array<number>(BATCH).fill(STATUS);
  const lane = async (): Promise<void> => {
    while (issued < count) {
      issued += BATCH;
      await client.readMany(addresses);
    }
  };
  await Promise.all(Array.from({ length: depth / BATCH }, lane));
}

interface Measured {
  latency: { medianMs: number; p95Ms: number };
  opsPerSec: number;
  /** CPU of the process running the client (and the simulator too when it shares the process). */
  cpuUsPerOp: number;
}

async function measure(client: Client): Promise<Measured> {
  for (let i = 0; i < 50; i++) await client.read(STATUS); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = performance.now();
    await client.read(STATUS);
    samples.push(performance.now() - t0);
  }
  await pipelined(client, PIPELINED / 10, WINDOW); // warm-up (JIT on both ends)
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await pipelined(client, PIPELINED, WINDOW);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU time per transaction barely moves with the machine's load, unlike transactions per second.
  return { latency: summarise(samples), opsPerSec: Math.round(PIPELINED / seconds), cpuUsPerOp: round((cpu.user + cpu.system) / PIPELINED, 1) };
}

const CLIENT_OPTIONS = { window: WINDOW, heartbeatMs: 0, timeoutMs: 1000 } as const;

/** The simulator in this process, over a link opened by `open`. */
async function inProcess(
  name: string,
  open: (server: SimServer) => Promise<{ transport: ByteTransport; close(): Promise<void> }>,
): Promise<Measured & { name: string }> {
  const sim = loadSimulator(SPEC).value!;
  const server = new SimServer([sim]);
  const link = await open(server);
  try {
    const client = await connect(link.transport, CLIENT_OPTIONS);
    const result = await measure(client);
    await client.close();
    return { name, ...result };
  } finally {
    await server.close();
    await link.close();
  }
}

/**
 * The simulator as users run it: `specdrive sim SPEC --socket PATH`, its own process, driven with a
 * promise per READ (`read`) and with a promise per batch (`readMany`); each the median of RUNS runs,
 * with the CPU per transaction of this process (the host) and of the simulator's.
 */
async function simProcess(): Promise<{ perRead: PipelinedRate; perBatch: PipelinedRate }> {
  const path = socketPath('link-bench-');
  const child = spawnPeer(process.execPath, ['--import', 'tsx', CLI, 'sim', SPEC, '--socket', path], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForLine(child, /listening: unix:/, 'specdrive sim');
    const client = await connect(await connectUnix(path), CLIENT_OPTIONS);
    await pipelined(client, SOCKET_PIPELINED / 10, WINDOW); // warm-up (JIT on both ends)
    await batched(client, SOCKET_PIPELINED / 10, WINDOW);
    const perRead = await medianRate(RUNS, SOCKET_PIPELINED, child.pid, () => pipelined(client, SOCKET_PIPELINED, WINDOW));
    const perBatch = await medianRate(RUNS, SOCKET_PIPELINED, child.pid, () => batched(client, SOCKET_PIPELINED, WINDOW));
    await client.close();
    return { perRead, perBatch };
  } finally {
    child.kill('SIGINT');
  }
}

/**
 * What bounds the simulator's pipelined rate, in CPU µs per READ, each part alone in this process:
 * executing the request against the device model (no frames) by the general path and by the fast
 * path, and a promise made, resolved and awaited per request at the same depth (the least a
 * promise-per-request client can cost).
 */
async function floorParts(): Promise<{ executeUs: number; readValueUs: number; promiseUs: number }> {
  const sim = loadSimulator(SPEC).value!;
  const server = new SimServer([sim]);
  const decoded = decodeFrame(encodeFrame({ seq: 1, op: Op.READ, width: 4, count: 1, address: STATUS }));
  if (!decoded.ok) throw new Error('READ frame did not decode');
  const n = PIPELINED * 4;
  for (let i = 0; i < n / 10; i++) server.execute(decoded.frame, { client: 1, seq: i }); // warm-up
  let cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) server.execute(decoded.frame, { client: 1, seq: i });
  let cpu = process.cpuUsage(cpu0);
  const executeUs = round((cpu.user + cpu.system) / n, 3);
  // The fast path's share: the same READ straight from the register file, settled (no frame, no answer array).
  for (let i = 0; i < n / 10; i++) sim.readValue(STATUS, 4, 1, i);
  cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sim.readValue(STATUS, 4, 1, i);
  cpu = process.cpuUsage(cpu0);
  const readValueUs = round((cpu.user + cpu.system) / n, 3);
  await server.close();
  let issued = 0;
  const lane = async (): Promise<void> => {
    while (issued < n) {
      issued++;
      await new Promise<number>((resolve) => queueMicrotask(() => resolve(issued)));
    }
  };
  cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: WINDOW }, lane));
  cpu = process.cpuUsage(cpu0);
  return { executeUs, readValueUs, promiseUs: round((cpu.user + cpu.system) / n, 3) };
}

/** Where the peer processes ran, as the rows name it: a CPU of their own (LINK_PEER_CPU, link-echo.ts `spawnPeer`) or the kernel's choice. */
const PLACEMENT = process.env['LINK_PEER_CPU'] === undefined ? '' : ` on CPU ${process.env['LINK_PEER_CPU']}, driver off it`;

/** CPU µs per transaction as printed in a row's name ('?' where the peer's CPU could not be read). */
const cpu = (us: number | undefined): string => (us === undefined ? '?' : us.toFixed(2));

/** A pipelined rate as row columns: the driving process's CPU per transaction, and the peer's (echo or simulator). */
function rateColumns(rate: PipelinedRate): Pick<BenchRow, 'opsPerSec' | 'cpuUsPerOp' | 'peerCpuUsPerOp'> {
  return { opsPerSec: rate.opsPerSec, cpuUsPerOp: rate.cpuUsPerOp, ...(rate.peerCpuUsPerOp !== undefined ? { peerCpuUsPerOp: rate.peerCpuUsPerOp } : {}) };
}

/**
 * Round-trip latency (sequential READs) over the pty, the Unix socket and the in-process link, next
 * to a raw pty echo; pipelined READs against the simulator in its own process over a Unix socket
 * (a promise per read, and `readMany`), next to raw Unix-socket echo peers (python3, node and C)
 * driven the same way, all in the same run.
 */
export async function runLinkBench(): Promise<BenchRow[]> {
  const echo = await rawPtyEcho();
  const links = [
    await inProcess('pty', async (server) => {
      const pty = await openPty();
      server.attach(pty.transport);
      return { transport: await openSerial(pty.path), close: () => pty.close() };
    }),
    await inProcess('unix', async (server) => {
      const listener = await listenUnix(server, socketPath('link-bench-'));
      return { transport: await connectUnix(listener.address.slice('unix:'.length)), close: () => listener.close() };
    }),
    await inProcess('in-process', async (server) => {
      const [host, device] = inProcessPair();
      server.attach(device);
      return { transport: host, close: async () => undefined };
    }),
  ];
  const rows: BenchRow[] = [{ name: 'link round trip', impl: 'raw pty echo (python3, floor)', ...echo, ratio: 1 }];
  for (const l of links) {
    rows.push({
      name: 'link round trip',
      impl: `sim READ over ${l.name} (sim in-process)`,
      ...l.latency,
      ...(l.name === 'pty' ? { ratio: round(l.latency.medianMs / echo.medianMs, 2) } : {}),
    });
  }
  const shape = { count: SOCKET_PIPELINED, depth: WINDOW, size: READ_REQUEST_BYTES, runs: RUNS };
  const echoes: { peer: EchoPeer; rate?: PipelinedRate; error?: string }[] = [];
  for (const peer of ['python3', 'node', 'c'] as const) {
    try {
      echoes.push({ peer, rate: await rawUnixEcho(peer, shape) });
    } catch (error) {
      echoes.push({ peer, error: (error as Error).message.split('\n')[0]! });
    }
  }
  const sim = await simProcess();
  for (const e of echoes) {
    const impl = `raw unix socket echo (${e.peer} process${PLACEMENT})`;
    if (!e.rate) rows.push({ name: 'pipelined transactions', impl: `${impl}: not run (${e.error})` });
    else
      rows.push({
        name: 'pipelined transactions',
        impl: `${impl}, driver ${cpu(e.rate.cpuUsPerOp)} + peer ${cpu(e.rate.peerCpuUsPerOp)} CPU µs/msg`,
        ...rateColumns(e.rate),
      });
  }
  const modes = [
    { rate: sim.perRead, impl: `\`specdrive sim --socket\` process${PLACEMENT}, client.read (a promise per read)` },
    { rate: sim.perBatch, impl: `\`specdrive sim --socket\` process${PLACEMENT}, client.readMany of ${BATCH}` },
  ];
  for (const m of modes) {
    rows.push({
      name: 'pipelined transactions',
      impl: `${m.impl}, host ${cpu(m.rate.cpuUsPerOp)} + sim ${cpu(m.rate.peerCpuUsPerOp)} CPU µs/tx`,
      ...rateColumns(m.rate),
    });
  }
  // The ratio rows name both sides: the simulator's transactions per second ÷ one echo's messages
  // per second, both driven by this process alike (depth, request bytes, runs, median); target ≥ 0.5.
  for (const m of modes) {
    for (const e of echoes) {
      if (!e.rate) continue;
      rows.push({
        name: 'pipelined sim ÷ echo',
        impl: `${m.impl} ÷ raw ${e.peer} echo process`,
        opsPerSec: m.rate.opsPerSec,
        ratio: round(m.rate.opsPerSec / e.rate.opsPerSec, 3),
      });
    }
  }
  const floor = await floorParts();
  const part = (impl: string, us: number): BenchRow => ({ name: 'pipelined transactions', impl: `floor part: ${impl}, ${us} CPU µs/op`, cpuUsPerOp: us });
  rows.push(part('SimServer.execute(READ), no frames, in-process', floor.executeUs));
  rows.push(part('Simulator.readValue(READ), the fast path, in-process', floor.readValueUs));
  rows.push(part('one promise per request at the same depth', floor.promiseUs));
  // Host and simulator in one process: the CPU per transaction of both ends together.
  for (const l of links)
    rows.push({
      name: 'pipelined transactions',
      impl: `sim READ over ${l.name} (sim in-process), both ends ${cpu(l.cpuUsPerOp)} CPU µs/tx`,
      opsPerSec: l.opsPerSec,
      cpuUsPerOp: l.cpuUsPerOp,
    });
  return rows;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const rows = await runLinkBench();
  console.table(rows);
}
