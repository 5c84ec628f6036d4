import { connect as netConnect } from 'node:net';
import { streamTransport, type ByteTransport } from './transport.ts';

/** Host side of a Unix socket link. */
export function connectUnix(path: string): Promise<ByteTransport> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(streamTransport(socket, `unix ${path}`));
    });
  });
}

/** Host side of a TCP link (Nagle off: small requests must not wait). */
export function connectTcp(host: string, port: number): Promise<ByteTransport> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port, noDelay: true });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(streamTransport(socket, `tcp ${host}:${port}`));
    });
  });
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
