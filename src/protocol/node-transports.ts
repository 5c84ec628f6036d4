import { connect as netConnect, type NetConnectOpts } from 'node:net';
import { streamTransport, type ByteTransport } from './transport.ts';

/** Bytes read per system call at most: one buffer per connection, reused for every read. */
const READ_BUFFER_BYTES = 65_536;

/**
 * Connects a socket that reads into one buffer of its own (`onread`) instead of a new buffer per
 * read (an allocation and a garbage ArrayBuffer for every chunk of a pipelined link). The listener
 * gets a view of that buffer, valid during the call, as ByteTransport.onData says.
 */
function connectSocket(options: NetConnectOpts, description: string): Promise<ByteTransport> {
  let receiver: (bytes: Uint8Array) => void = () => undefined;
  const buffer = Buffer.alloc(READ_BUFFER_BYTES);
  return new Promise((resolve, reject) => {
    const socket = netConnect({
      ...options,
      onread: {
        buffer,
        callback: (length: number, bytes: Uint8Array): boolean => {
          receiver(bytes.subarray(0, length));
          return true;
        },
      },
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      const onData = (listener: (bytes: Uint8Array) => void): void => {
        receiver = listener;
      };
      resolve({ ...streamTransport(socket, description, socket, { socket: true }), onData });
    });
  });
}

/** Host side of a Unix socket link. */
export function connectUnix(path: string): Promise<ByteTransport> {
  return connectSocket({ path }, `unix ${path}`);
}

/** Host side of a TCP link (Nagle off: small requests must not wait). */
export function connectTcp(host: string, port: number): Promise<ByteTransport> {
  return connectSocket({ host, port, noDelay: true }, `tcp ${host}:${port}`);
}

/**
 * Opens a serial device (a pty from `specdrive sim --pty`, or a real UART) with the serialport
 * package. The baud rate is ignored by ptys; modem lines (DTR/RTS) are never touched because
 * their ioctls fail on ptys; the exclusive lock stays on so a second client cannot interleave.
 */
export async function openSerial(path: string, baudRate = 115_200): Promise<ByteTransport> {
  // Loaded on use: the native addon is a measurable share of every start of a command that might open a port.
  const { SerialPort } = await import('serialport');
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
    port.open((error) => {
      if (error) {
        reject(Object.assign(new Error(`cannot open ${path}: ${error.message}`), { code: 'transport/serial-open' }));
        return;
      }
      resolve(streamTransport(port, `serial ${path}`));
    });
  });
}
