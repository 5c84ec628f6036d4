import { spawn, type ChildProcess } from 'node:child_process';
import { streamTransport, type ByteTransport } from '../../src/protocol/transport.ts';

/**
 * A real pseudo-terminal without socat or native addons: python3 (present on every machine we
 * target) opens the pair with pty.openpty(), puts the slave in raw mode, and relays bytes between
 * the master and its stdin/stdout pipes, which are byte-clean. It also does what QEMU's pty
 * chardev does: while no client has the slave open (reads on the master fail with EIO) the
 * device's output is dropped instead of piling up, and it notices when a client attaches.
 */
const RELAY = String.raw`
import errno, os, select, sys, pty, tty
master, slave = pty.openpty()
tty.setraw(slave)
path = os.ttyname(slave)
os.close(slave)
os.set_blocking(master, False)
sys.stderr.write("PTY " + path + "\n")
sys.stderr.flush()
inp, out = sys.stdin.fileno(), sys.stdout.fileno()
def write_all(fd, data):
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
            view = view[n:]
        except BlockingIOError:
            select.select([], [fd], [], 0.05)
attached = False
while True:
    if not attached:
        try:
            data = os.read(master, 65536)
            attached = True
            if data:
                write_all(out, data)
        except BlockingIOError:
            attached = True
        except OSError as e:
            if e.errno != errno.EIO:
                raise
    watch = [inp, master] if attached else [inp]
    ready, _, _ = select.select(watch, [], [], None if attached else 0.02)
    if inp in ready:
        data = os.read(inp, 65536)
        if not data:
            sys.exit(0)
        if attached:
            try:
                write_all(master, data)
            except OSError:
                attached = False
    if attached and master in ready:
        try:
            data = os.read(master, 65536)
            if data:
                write_all(out, data)
        except BlockingIOError:
            pass
        except OSError:
            attached = False
`;

export interface PtyEndpoint {
  /** The slave device a client opens (`/dev/pts/5`). */
  readonly path: string;
  /** The master side, as bytes. */
  readonly transport: ByteTransport;
  /** Pid of the relay process (killed by pid on close). */
  readonly pid: number;
  close(): Promise<void>;
}

export class PtyError extends Error {
  readonly code = 'transport/pty-unavailable';
}

/** Opens a pty pair; resolves once the slave path is known. */
export function openPty(options: { python?: string; timeoutMs?: number } = {}): Promise<PtyEndpoint> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(options.python ?? 'python3', ['-u', '-c', RELAY], { stdio: ['pipe', 'pipe', 'pipe'], detached: false });
    } catch (error) {
      reject(new PtyError(`cannot start python3 for the pty relay: ${(error as Error).message}`));
      return;
    }
    let stderr = '';
    let settled = false;
    const timer = setTimeout(() => fail(`python3 did not report a pty within ${options.timeoutMs ?? 10_000} ms`), options.timeoutMs ?? 10_000);
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill();
      reject(new PtyError(message));
    };
    child.on('error', (error) => fail(`cannot start python3 for the pty relay: ${error.message}`));
    child.on('exit', (code) => fail(`pty relay exited (code ${code}): ${stderr.trim()}`));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr += text;
      const match = /^PTY (\S+)\n/m.exec(stderr);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      const stdout = child.stdout!;
      const transport = streamTransport(stdout, `pty ${match[1]}`, child.stdin!);
      const pid = child.pid!;
      resolve({
        path: match[1]!,
        transport,
        pid,
        close: async () => {
          const exited = new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));
          child.stdin!.end();
          child.kill();
          await exited;
          await transport.close();
        },
      });
    });
  });
}
