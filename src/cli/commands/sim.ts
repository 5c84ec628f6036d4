import { resolve } from 'node:path';
import type { Command, CommandContext } from '../command.ts';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../command.ts';
import { emitDiagnostics, parseDiagnosticFormat } from '../report-diagnostics.ts';
import { oneOf } from '../vocabulary.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { hasErrors } from '../../diagnostics/types.ts';
import { loadSimulator } from '../../../firmware-sim/load.ts';
import { SimServer } from '../../../firmware-sim/server.ts';
import { parseFaults, type FaultOptions } from '../../../firmware-sim/faults.ts';
import { JsonlTracer, VcdTracer, type Tracer } from '../../../firmware-sim/trace.ts';
import { openPty } from '../../../firmware-sim/transports/pty.ts';
import { listenTcp, listenUnix } from '../../../firmware-sim/transports/sockets.ts';
import { connectLines, parseLinkAddress, type LinkAddress } from '../../../generators/framework/connect.ts';
import type { Simulator } from '../../../firmware-sim/simulator.ts';
import type { UnresetPolicy, ReadOnlyWritePolicy } from '../../../firmware-sim/device-model.ts';

export const simCommand: Command = {
  name: 'sim',
  summary: 'simulate boards from their hardware specs behind a pty, a Unix socket or TCP',
  usage: `sim SPEC... [--pty] [--tcp HOST:PORT] [--socket PATH] [--trace FILE] [--vcd FILE]
           [--faults drop=0.01,corrupt=0.01,duplicate=0,delay=0,seed=1,bus-error=ADDR,stuck=ADDR:MASK:VALUE]
           [--unreset zero|random|poison] [--read-only-writes ignore|error] [--seed N] [--realtime HZ]

  Each SPEC is one device on the link (device 0, 1, …). With no transport option, --pty is used.
  Prints where it listens (for --pty, the device path a client opens) and runs until Ctrl-C.
  --trace writes a JSON-lines access log, --vcd a value change dump of fields and interrupt lines.`,
  examples: [
    'specdrive sim hardware-specs/my-board/rev-a.yaml --pty',
    'specdrive sim rev-a.yaml --tcp 127.0.0.1:7000 --faults drop=0.01,seed=3',
    'specdrive sim rev-a.yaml --socket /tmp/sim.sock --trace sim.jsonl --vcd sim.vcd',
  ],
  exitCodes: ['0  stopped by Ctrl-C (SIGINT/SIGTERM)', '2  unusable spec, a transport that cannot be opened, or a usage error'],
  options: {
    pty: { type: 'boolean' },
    tcp: { type: 'string' },
    socket: { type: 'string' },
    trace: { type: 'string' },
    vcd: { type: 'string' },
    faults: { type: 'string' },
    unreset: { type: 'string', default: 'zero' },
    'read-only-writes': { type: 'string', default: 'ignore' },
    seed: { type: 'string', default: '1' },
    realtime: { type: 'string' },
    format: { type: 'string', default: 'text' },
  },
  async run(args, context) {
    if (args.positionals.length === 0) throw new UsageError('sim needs at least one spec file');
    const v = args.values;
    const format = parseDiagnosticFormat(v.format);
    const unreset = oneOf(v.unreset, ['zero', 'random', 'poison'] as const, '--unreset');
    const readOnlyWrites = oneOf(v['read-only-writes'], ['ignore', 'error'] as const, '--read-only-writes');
    const seed = integerOption(v.seed, '--seed');
    const realtimeHz = v.realtime === undefined ? undefined : integerOption(v.realtime, '--realtime');
    let faults: FaultOptions = {};
    if (typeof v.faults === 'string') {
      const parsed = parseFaults(v.faults);
      if (typeof parsed === 'string') throw new UsageError(`--faults: ${parsed}`);
      faults = parsed;
    }
    const tcp = typeof v.tcp === 'string' ? parseHostPort(v.tcp) : undefined;

    const jsonl = typeof v.trace === 'string' ? new JsonlTracer(resolve(context.cwd, v.trace)) : undefined;
    const sims: Simulator[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const [index, file] of args.positionals.entries()) {
      const loaded = loadSimulator(resolve(context.cwd, file), {
        unreset: unreset as UnresetPolicy,
        readOnlyWrites: readOnlyWrites as ReadOnlyWritePolicy,
        seed,
        deviceNumber: index,
        ...(jsonl ? { tracers: [jsonl] } : {}),
      });
      diagnostics.push(...loaded.diagnostics);
      if (loaded.value) sims.push(loaded.value);
    }
    if (hasErrors(diagnostics) || sims.length !== args.positionals.length) {
      jsonl?.close();
      return emitDiagnostics(diagnostics, context, { format, failOn: 'error', unusable: true });
    }
    if (diagnostics.length > 0) emitDiagnostics(diagnostics, context, { format, failOn: 'error' });
    const tracers: Tracer[] = jsonl ? [jsonl] : [];
    if (typeof v.vcd === 'string') {
      const vcd = new VcdTracer(
        resolve(context.cwd, v.vcd),
        sims.map((s, i) => ({ name: `dev${i}_${s.device.name}`, model: s.model, irqLines: s.irqLines })),
      );
      sims.forEach((s, i) => s.addTracer(vcd.forDevice(`dev${i}_${s.device.name}`)));
      tracers.push(vcd);
    }
    const server = new SimServer(sims, { faults, ...(realtimeHz ? { realtimeHz } : {}) });
    const closers: (() => Promise<void>)[] = [];
    try {
      sims.forEach((s, i) => context.stdout(`device ${i}: ${s.device.board ?? s.device.name} ${s.device.revision ?? ''} spec ${s.specHash.slice(0, 16)}\n`));
      if (v.pty || (!tcp && typeof v.socket !== 'string')) {
        const pty = await openPty();
        server.attach(pty.transport);
        closers.push(() => pty.close());
        context.stdout(`listening: pty ${pty.path}\n`);
        printConnect(context, { kind: 'serial', path: pty.path });
      }
      if (typeof v.socket === 'string') {
        // Kept as given, not made absolute against context.cwd: a socket path holds at most 107 bytes.
        const listener = await listenUnix(server, v.socket);
        const address = parseLinkAddress(listener.address);
        closers.push(() => listener.close());
        context.stdout(`listening: ${listener.address}\n`);
        if (address) printConnect(context, address);
      }
      if (tcp) {
        const listener = await listenTcp(server, tcp.host, tcp.port);
        const address = parseLinkAddress(listener.address);
        closers.push(() => listener.close());
        context.stdout(`listening: ${listener.address}\n`);
        if (address) printConnect(context, address);
      }
      await untilAborted(context);
    } catch (error) {
      context.stderr(`specdrive sim: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    } finally {
      await server.close();
      for (const close of closers) await close();
      for (const t of tracers) t.close();
    }
    context.stderr('specdrive sim: stopped\n');
    return EXIT_OK;
  },
};

function untilAborted(context: CommandContext): Promise<void> {
  return new Promise((resolve) => {
    if (context.signal.aborted) resolve();
    else context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function integerOption(value: unknown, name: string): number {
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer (got ${String(value)})`);
  return n;
}

function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d+)$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new UsageError(`--tcp takes HOST:PORT or PORT (got ${text})`);
  return { host: match[1] || '127.0.0.1', port };
}

/** A ready-to-paste client line per SDK for where the simulator listens. */
function printConnect(context: CommandContext, address: LinkAddress): void {
  context.stdout(`connect with:\n${connectLines(address).join('\n')}\n`);
}
