import { spawn } from 'node:child_process';
import { connect as netConnect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { loadSimulator } from '../../firmware-sim/load.ts';
import { SimServer } from '../../firmware-sim/server.ts';
import { openPty } from '../../firmware-sim/transports/pty.ts';
import { listenUnix } from '../../firmware-sim/transports/sockets.ts';
import { connect, connectUnix, inProcessPair, openSerial, type ByteTransport, type Client } from '../../src/protocol/index.ts';

export interface BenchRow {
  name: string;
  impl: string;
  medianMs?: number;
  p95Ms?: number;
  opsPerSec?: number;
  cpuUsPerOp?: number;
  ratio?: number;
}

const SPEC = new URL('../../hardware-specs/demo-board/rev-b.yaml', import.meta.url).pathname;
const STATUS = 0x4000_1004;
const ROUND_TRIPS = 1000;
const PIPELINED = 20_000;

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

/** A Python process echoing on a Unix socket: the floor for pipelined transactions over that link. */
const UNIX_ECHO = String.raw`
import os, socket, sys
path = sys.argv[1]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path); server.listen(1)
sys.stderr.write("LISTENING\n"); sys.stderr.flush()
conn, _ = server.accept()
while True:
    data = conn.recv(65536)
    if not data: break
    conn.sendall(data)
`;

/** Pipelined 19-byte messages (a framed READ's size) with the client's window of 128 in flight. */
async function rawUnixEcho(): Promise<number> {
  const path = join(mkdtempSync(join(tmpdir(), 'echo-')), 'echo.sock');
  const child = spawn('python3', ['-u', '-c', UNIX_ECHO, path], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (t: string) => t.includes('LISTENING') && resolve());
      child.once('exit', () => reject(new Error('echo helper exited')));
    });
    const socket = netConnect(path);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const message = Buffer.alloc(19, 0x55);
    const run = (count: number): Promise<number> =>
      new Promise((resolve) => {
        let sent = 0;
        let received = 0;
        const t0 = performance.now();
        const onData = (d: Buffer): void => {
          const before = Math.floor(received / message.length);
          received += d.length;
          for (let done = Math.floor(received / message.length); done > before && sent < count; done--, sent++) socket.write(message);
          if (received >= count * message.length) {
            socket.off('data', onData);
            resolve(count / ((performance.now() - t0) / 1000));
          }
        };
        socket.on('data', onData);
        for (; sent < Math.min(128, count); sent++) socket.write(message);
      });
    await run(2000); // warm-up
    const opsPerSec = await run(PIPELINED);
    socket.destroy();
    return Math.round(opsPerSec);
  } finally {
    child.kill();
  }
}

async function measure(client: Client): Promise<{ latency: { medianMs: number; p95Ms: number }; opsPerSec: number; cpuUsPerOp: number }> {
  for (let i = 0; i < 50; i++) await client.read(STATUS); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t0 = performance.now();
    await client.read(STATUS);
    samples.push(performance.now() - t0);
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const all: Promise<number>[] = [];
  for (let i = 0; i < PIPELINED; i++) all.push(client.read(STATUS));
  await Promise.all(all);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU time per transaction (host and simulator share this process for unix and in-process links):
  // unlike transactions per second it barely moves with the machine's load.
  return { latency: summarise(samples), opsPerSec: Math.round(PIPELINED / seconds), cpuUsPerOp: round((cpu.user + cpu.system) / PIPELINED, 1) };
}

async function overLink(
  name: string,
  open: (server: SimServer) => Promise<{ transport: ByteTransport; close(): Promise<void> }>,
): Promise<{ name: string; latency: { medianMs: number; p95Ms: number }; opsPerSec: number; cpuUsPerOp: number }> {
  const sim = loadSimulator(SPEC).value!;
  const server = new SimServer([sim]);
  const link = await open(server);
  try {
    const client = await connect(link.transport, { window: 128, heartbeatMs: 0, timeoutMs: 1000 });
    const result = await measure(client);
    await client.close();
    return { name, ...result };
  } finally {
    await server.close();
    await link.close();
  }
}

/**
 * Round-trip latency (sequential READs) and pipelined READ throughput over the pty, the Unix
 * socket and the in-process link, next to a raw pty echo measured in the same run.
 */
export async function runLinkBench(): Promise<BenchRow[]> {
  const echo = await rawPtyEcho();
  const links = [
    await overLink('pty', async (server) => {
      const pty = await openPty();
      server.attach(pty.transport);
      return { transport: await openSerial(pty.path), close: () => pty.close() };
    }),
    await overLink('unix', async (server) => {
      const path = join(mkdtempSync(join(tmpdir(), 'link-bench-')), 'sim.sock');
      const listener = await listenUnix(server, path);
      return { transport: await connectUnix(path), close: () => listener.close() };
    }),
    await overLink('in-process', async (server) => {
      const [host, device] = inProcessPair();
      server.attach(device);
      return { transport: host, close: async () => undefined };
    }),
  ];
  const rows: BenchRow[] = [{ name: 'link round trip', impl: 'raw pty echo (python3, floor)', ...echo, ratio: 1 }];
  for (const l of links) {
    rows.push({
      name: 'link round trip',
      impl: `sim READ over ${l.name}`,
      ...l.latency,
      ...(l.name === 'pty' ? { ratio: round(l.latency.medianMs / echo.medianMs, 2) } : {}),
    });
  }
  const echoOps = await rawUnixEcho();
  rows.push({ name: 'pipelined transactions', impl: 'raw unix socket echo (python3, floor)', opsPerSec: echoOps, ratio: 1 });
  for (const l of links) {
    // ratio: the simulator's share of the raw echo's rate over a Unix socket (target ≥ 0.5).
    rows.push({
      name: 'pipelined transactions',
      impl: `sim READ over ${l.name}`,
      opsPerSec: l.opsPerSec,
      cpuUsPerOp: l.cpuUsPerOp,
      ...(l.name === 'unix' ? { ratio: round(l.opsPerSec / echoOps, 2) } : {}),
    });
  }
  return rows;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const rows = await runLinkBench();
  console.table(rows);
}
