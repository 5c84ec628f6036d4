import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The floors the link bench compares the simulator with: a peer process (python3, node or C) that
 * echoes every byte it gets on a Unix socket, driven exactly like the protocol client drives the
 * simulator (a message the size of a READ request, the same number of messages, the same depth in
 * flight, one write per batch of refills).
 */

/** python3: recv / sendall, nothing else. */
const PYTHON_ECHO = String.raw`
import socket, sys
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1]); server.listen(1)
sys.stderr.write("LISTENING\n"); sys.stderr.flush()
conn, _ = server.accept()
while True:
    data = conn.recv(65536)
    if not data: break
    conn.sendall(data)
`;

/** node: the same runtime and socket layer as the simulator, with no protocol on top. */
const NODE_ECHO = String.raw`
const server = require('node:net').createServer((c) => c.on('data', (d) => c.write(d)));
server.listen(process.argv[1], () => process.stderr.write('LISTENING\n'));
`;

/** C: read / write on the socket, nothing else (built here with gcc; the least a peer can do). */
const C_ECHO = String.raw`
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 2) return 2;
  int server = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
  if (bind(server, (struct sockaddr *)&address, sizeof address) != 0 || listen(server, 1) != 0) return 1;
  fprintf(stderr, "LISTENING\n");
  int conn = accept(server, 0, 0);
  static char buffer[65536];
  for (;;) {
    ssize_t n = read(conn, buffer, sizeof buffer);
    if (n <= 0) return 0;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(conn, buffer + done, (size_t)(n - done));
      if (w <= 0) return 0;
      done += w;
    }
  }
}
`;

export type EchoPeer = 'python3' | 'node' | 'c';

/**
 * Spawns a peer process (an echo or the simulator). With LINK_PEER_CPU=N in the environment the
 * peer runs on CPU N only (`taskset -c N`), and this driver must already be kept off it (run it
 * under `taskset -c M`): host and peer then each have their own core, as on a quiet machine where
 * the kernel wakes each on an idle one, instead of whatever placement the load gives. Every peer
 * gets the same placement, so the ratios stay like for like.
 */
export function spawnPeer(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const cpu = process.env['LINK_PEER_CPU'];
  if (cpu === undefined) return spawn(command, args, options);
  if (!/^\d+$/.test(cpu)) throw new Error(`LINK_PEER_CPU=${cpu}: expected a CPU number`);
  const mine = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  if (mine !== '' && cpuListHas(mine, Number(cpu)))
    throw new Error(`LINK_PEER_CPU=${cpu}: this driver may run on CPU ${cpu} too (allowed ${mine}); run it under \`taskset -c <another CPU>\``);
  return spawn('taskset', ['-c', cpu, command, ...args], options);
}

/** Whether a kernel CPU list (`0-3,5`) holds `cpu`. */
function cpuListHas(list: string, cpu: number): boolean {
  return list.split(',').some((part) => {
    const [from, to] = part.split('-').map(Number);
    return from !== undefined && cpu >= from && cpu <= (to ?? from);
  });
}

/** Builds the C echo with gcc (-O2, every warning an error); throws when gcc is missing or fails. */
function buildCEcho(): string {
  const dir = mkdtempSync(join(tmpdir(), 'c-echo-'));
  writeFileSync(join(dir, 'echo.c'), C_ECHO);
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', join(dir, 'echo'), join(dir, 'echo.c')], { stdio: 'pipe' });
  return join(dir, 'echo');
}

/** CPU time (µs) a child process has used so far, from /proc (Linux); undefined elsewhere. */
export function childCpuUs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 Hz on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** A pipelined rate and what it cost: CPU µs per transaction of the driving process and of the peer. */
export interface PipelinedRate {
  readonly opsPerSec: number;
  readonly cpuUsPerOp: number;
  readonly peerCpuUsPerOp?: number;
}

/**
 * Runs `once` (which makes `count` transactions) `runs` times: the median rate, and the CPU of both
 * processes per transaction over all the runs.
 */
export async function medianRate(runs: number, count: number, peerPid: number | undefined, once: () => Promise<void>): Promise<PipelinedRate> {
  const rates: number[] = [];
  const cpu0 = process.cpuUsage();
  const peer0 = childCpuUs(peerPid);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await once();
    rates.push(count / ((performance.now() - t0) / 1000));
  }
  const cpu = process.cpuUsage(cpu0);
  const peer1 = childCpuUs(peerPid);
  rates.sort((a, b) => a - b);
  const per = (us: number): number => Number((us / (runs * count)).toFixed(3));
  return {
    opsPerSec: Math.round(rates[Math.floor(rates.length / 2)]!),
    cpuUsPerOp: per(cpu.user + cpu.system),
    ...(peer0 !== undefined && peer1 !== undefined ? { peerCpuUsPerOp: per(peer1 - peer0) } : {}),
  };
}

/** Waits until a child prints `pattern` on stderr; returns the first capture group (or the match). */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.setEncoding('utf8').on('data', (t: string) => {
      text += t;
      const m = pattern.exec(text);
      if (m) resolve(m[1] ?? m[0]);
    });
    child.stdout?.setEncoding('utf8').on('data', (t: string) => {
      text += t;
      const m = pattern.exec(text);
      if (m) resolve(m[1] ?? m[0]);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready: ${text}`)));
  });
}

export function socketPath(prefix: string): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'peer.sock');
}

export function connectSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(path);
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

/**
 * Sends `count` messages of `size` bytes with `depth` in flight; each data event counts the whole
 * messages that came back and sends as many new ones in one write (what the client does per turn).
 */
export function pipelineEcho(socket: Socket, count: number, depth: number, size: number): Promise<number> {
  // Every message is the same bytes: a refill is a view of one prepared run of `depth` messages,
  // so the driver does no work per message (the echo's floor is the sockets', not the driver's).
  const messages = Buffer.alloc(size * depth, 0x55);
  const batch = (n: number): Buffer => messages.subarray(0, n * size);
  return new Promise((resolve) => {
    let sent = 0;
    let received = 0;
    const t0 = performance.now();
    const onData = (d: Buffer): void => {
      const before = Math.floor(received / size);
      received += d.length;
      const more = Math.min(Math.floor(received / size) - before, count - sent);
      if (more > 0) {
        socket.write(batch(more));
        sent += more;
      }
      if (received >= count * size) {
        socket.off('data', onData);
        resolve(count / ((performance.now() - t0) / 1000));
      }
    };
    socket.on('data', onData);
    sent = Math.min(depth, count);
    socket.write(batch(sent));
  });
}

/** Messages per second through a raw echo peer process (median of `runs`, after a warm-up), with the CPU of both sides. */
export async function rawUnixEcho(peer: EchoPeer, options: { count: number; depth: number; size: number; runs: number }): Promise<PipelinedRate> {
  const path = socketPath('echo-');
  const child =
    peer === 'python3'
      ? spawnPeer('python3', ['-u', '-c', PYTHON_ECHO, path], { stdio: ['ignore', 'ignore', 'pipe'] })
      : peer === 'node'
        ? spawnPeer(process.execPath, ['-e', NODE_ECHO, path], { stdio: ['ignore', 'ignore', 'pipe'] })
        : spawnPeer(buildCEcho(), [path], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await waitForLine(child, /LISTENING/, `${peer} echo`);
    const socket = await connectSocket(path);
    await pipelineEcho(socket, 2000, options.depth, options.size); // warm-up
    const rate = await medianRate(
      options.runs,
      options.count,
      child.pid,
      async () => void (await pipelineEcho(socket, options.count, options.depth, options.size)),
    );
    socket.destroy();
    return rate;
  } finally {
    child.kill();
  }
}
