import type { Duplex, Readable, Writable } from 'node:stream';

/**
 * A byte pipe between host and device. Every link (in-process, socket, pty, USB) is reduced to this,
 * so the client and the server never know which one they run over.
 */
export interface ByteTransport {
  /** Human-readable description (`pty /dev/pts/3`, `unix /tmp/sim.sock`). */
  readonly description: string;
  write(bytes: Uint8Array): void;
  /** Bytes written but not yet taken by the peer (absent: the transport cannot tell). */
  pendingBytes?(): number;
  /**
   * True when the transport holds nothing of what was written (a socket that wrote it all at once,
   * a transport that copies): the writer may reuse the buffer of its last write. Absent: never.
   */
  released?(): boolean;
  /**
   * Sets the single receiver of incoming bytes. The bytes are valid during the call only (a socket
   * transport reads into one reused buffer): a receiver that keeps them keeps a copy.
   */
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Called once when the link goes away (peer closed, EIO on a pty, socket reset). */
  onClose(listener: (error?: Error) => void): void;
  close(): Promise<void>;
}

/**
 * Two connected in-process transports. Delivery is batched per event-loop turn with setImmediate,
 * never synchronous: a synchronous loopback would let a pipelined client starve timers and would
 * hide re-entrancy bugs that real links expose.
 */
export function inProcessPair(description = 'in-process'): [ByteTransport, ByteTransport] {
  interface End extends ByteTransport {
    peer: End | undefined;
    closed: boolean;
    deliver(bytes: Uint8Array): void;
  }
  const make = (): End => {
    let receiver: ((bytes: Uint8Array) => void) | undefined;
    const closeListeners: ((error?: Error) => void)[] = [];
    let queued: Uint8Array[] = [];
    let scheduled = false;
    const self: End = {
      description,
      closed: false,
      peer: undefined,
      write(bytes: Uint8Array): void {
        if (self.closed) return;
        self.peer?.deliver(bytes.slice());
      },
      released: () => true, // write delivers a copy
      deliver(bytes: Uint8Array): void {
        if (self.closed) return;
        queued.push(bytes);
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          const batch = queued;
          queued = [];
          if (self.closed || !receiver) return;
          for (const chunk of batch) receiver(chunk);
        });
      },
      onData(listener: (bytes: Uint8Array) => void): void {
        receiver = listener;
      },
      onClose(listener: (error?: Error) => void): void {
        closeListeners.push(listener);
      },
      async close(): Promise<void> {
        if (self.closed) return;
        self.closed = true;
        for (const l of closeListeners) l();
        const peer = self.peer;
        if (peer && !peer.closed) setImmediate(() => void peer.close());
      },
    };
    return self;
  };
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * Wraps a Node duplex stream (net.Socket, SerialPort, a child's stdio) as a transport. `socket`: the
 * writable is a net.Socket, which writes a buffer at once when the kernel takes it all and then
 * keeps no reference to it (its `writableLength` is back to 0): `released` says so.
 */
export function streamTransport(
  stream: Readable,
  description: string,
  writable: NodeJS.WritableStream = stream as Duplex,
  options: { socket?: boolean } = {},
): ByteTransport {
  const closeListeners: ((error?: Error) => void)[] = [];
  let closed = false;
  let lastError: Error | undefined;
  const finish = (error?: Error): void => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(error);
  };
  stream.on('error', (error: Error) => {
    lastError = error;
    finish(error);
  });
  stream.on('close', () => finish(lastError));
  stream.on('end', () => finish(lastError));
  return {
    description,
    write(bytes) {
      if (closed) return;
      writable.write(bytes);
    },
    pendingBytes() {
      return (writable as Partial<Writable>).writableLength ?? 0;
    },
    ...(options.socket ? { released: () => (writable as Writable).writableLength === 0 } : {}),
    onData(listener) {
      stream.on('data', (chunk: Buffer) => listener(chunk));
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close() {
      return new Promise<void>((resolve) => {
        if (closed || stream.destroyed) {
          finish();
          resolve();
          return;
        }
        stream.once('close', () => resolve());
        stream.destroy();
        finish();
      });
    },
  };
}
