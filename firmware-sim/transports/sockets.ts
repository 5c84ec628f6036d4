import { createServer, type Server, type Socket } from 'node:net';
import { rmSync, statSync } from 'node:fs';
import { streamTransport } from '../../src/protocol/transport.ts';
import type { SimServer } from '../server.ts';

export interface Listener {
  /** Where clients connect: `unix:/tmp/sim.sock` or `tcp:127.0.0.1:4000`. */
  readonly address: string;
  readonly port?: number;
  close(): Promise<void>;
}

function serve(server: SimServer, kind: 'unix' | 'tcp'): { net: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const net = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (kind === 'tcp') socket.setNoDelay(true); // Nagle would hold back every small response
    server.attach(streamTransport(socket, `${kind} client ${socket.remoteAddress ?? ''}`.trim(), socket, { socket: true }));
  });
  return { net, sockets };
}

function closer(net: Server, sockets: Set<Socket>, after?: () => void): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      net.close(() => {
        after?.();
        resolve();
      });
    });
}

/** Serves the simulator on a Unix socket (a stale socket file from a killed run is replaced). */
export function listenUnix(server: SimServer, path: string): Promise<Listener> {
  try {
    if (statSync(path).isSocket()) rmSync(path);
  } catch {
    // nothing there
  }
  const { net, sockets } = serve(server, 'unix');
  return new Promise((resolve, reject) => {
    net.once('error', reject);
    net.listen(path, () => resolve({ address: `unix:${path}`, close: closer(net, sockets, () => rmSync(path, { force: true })) }));
  });
}

/** Serves the simulator on TCP; loopback only unless a host is given deliberately. */
export function listenTcp(server: SimServer, host = '127.0.0.1', port = 0): Promise<Listener> {
  const { net, sockets } = serve(server, 'tcp');
  return new Promise((resolve, reject) => {
    net.once('error', reject);
    net.listen(port, host, () => {
      const bound = net.address();
      const actual = typeof bound === 'object' && bound ? bound.port : port;
      resolve({ address: `tcp:${host}:${actual}`, port: actual, close: closer(net, sockets) });
    });
  });
}
