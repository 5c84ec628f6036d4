import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The floors the link bench compares the simulator with: a peer process that echoes every byte it
 * gets on a Unix socket, driven exactly like the protocol client drives the simulator (same
 * message size, same number of messages, same depth in flight, one write per batch of refills).
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

export type EchoPeer = 'python3' | 'node';

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
  const message = Buffer.alloc(size, 0x55);
  const batch = (n: number): Buffer => Buffer.concat(Array.from({ length: n }, () => message));
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

/** Messages per second through a raw echo peer process (median of `runs`, after a warm-up). */
export async function rawUnixEcho(peer: EchoPeer, options: { count: number; depth: number; size: number; runs: number }): Promise<number> {
  const path = socketPath('echo-');
  const child =
    peer === 'python3'
      ? spawn('python3', ['-u', '-c', PYTHON_ECHO, path], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(process.execPath, ['-e', NODE_ECHO, path], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await waitForLine(child, /LISTENING/, `${peer} echo`);
    const socket = await connectSocket(path);
    await pipelineEcho(socket, 2000, options.depth, options.size); // warm-up
    const rates: number[] = [];
    for (let i = 0; i < options.runs; i++) rates.push(await pipelineEcho(socket, options.count, options.depth, options.size));
    socket.destroy();
    rates.sort((a, b) => a - b);
    return Math.round(rates[Math.floor(rates.length / 2)]!);
  } finally {
    child.kill();
  }
}
