import { connect as netConnect } from 'node:net';
import { Client, ProtocolError, Status, streamTransport, type ByteTransport, type ClientOptions } from './protocol.ts';
import type { RegisterIo } from './register.ts';

/** What a generated SDK expects the device to say in HELLO. */
export interface DeviceIdentity {
  readonly board: string;
  readonly revision: string;
  readonly specHash: string;
}

export interface LinkOptions extends Omit<ClientOptions, 'expect'> {
  /** Device ticks per millisecond, for WAIT time-outs (the simulator's virtual clock). */
  readonly ticksPerMs?: number;
}

const widthBytes = (bits: number): 1 | 2 | 4 => {
  if (bits === 8) return 1;
  if (bits === 16) return 2;
  if (bits === 32) return 4;
  throw new RangeError(`the wire protocol carries 8, 16 or 32-bit accesses, not ${bits}`);
};

/** RegisterIo over the wire protocol client: MODIFY and WAIT run in the device, one round trip each. */
export function clientIo(client: Client, ticksPerMs = 1000): RegisterIo {
  return {
    read: (address, width) => client.read(address, { width: widthBytes(width) }),
    write: (address, width, value) => client.write(address, value, { width: widthBytes(width) }),
    modify: async (address, width, value, mask) => {
      await client.modify(address, value, mask, { width: widthBytes(width) });
    },
    wait: async (address, width, mask, value, timeoutMs) => {
      try {
        await client.waitFor(address, value, mask, Math.max(1, Math.round(timeoutMs * ticksPerMs)), { width: widthBytes(width) });
        return true;
      } catch (error) {
        if (error instanceof ProtocolError && error.status === Status.TIMEOUT) return false;
        throw error;
      }
    },
  };
}

/** Opens a client over any byte transport and refuses a device whose HELLO does not match. */
export async function openLink(transport: ByteTransport, identity: DeviceIdentity, options: LinkOptions = {}): Promise<{ client: Client; io: RegisterIo }> {
  const client = new Client(transport, { ...options, expect: identity });
  try {
    await client.hello();
  } catch (error) {
    await client.close();
    throw error;
  }
  return { client, io: clientIo(client, options.ticksPerMs) };
}

/** A Unix socket path or a TCP port on loopback (`host:port` for another host). */
export async function socketTransport(target: string | number): Promise<ByteTransport> {
  const socket = typeof target === 'number' || /^[^/]*:\d+$/.test(target)
    ? (() => {
        const [host, port] = typeof target === 'number' ? ['127.0.0.1', target] : [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
        return netConnect({ host, port });
      })()
    : netConnect({ path: target });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return streamTransport(socket, `socket ${String(target)}`);
}

/** A serial port (a real board's bridge, or the simulator's pty). Baud is ignored by ptys. */
export async function serialTransport(path: string, baudRate = 115200): Promise<ByteTransport> {
  const { SerialPort } = await import('serialport');
  // hupcl off: a pty (or a bridge) must not see a hang-up each time the SDK closes it.
  const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  return streamTransport(port, `serial ${path}`);
}
