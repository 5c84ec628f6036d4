import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindContract } from '../../../src/bind/index.ts';
import { loadDriverContract } from '../../../src/contracts/index.ts';
import type { Diagnostic } from '../../../src/diagnostics/types.ts';
import { extractBits } from '../../../src/ir/bits.ts';
import type { Device } from '../../../src/ir/types.ts';
import { findByPath, placedRegisters } from '../../../src/ir/walk.ts';
import { lowerContract } from '../../../src/pipeline/lower-operations.ts';
import { matchesBetween } from '../../../src/pipeline/matches.ts';
import { productDividerForm, searchProductDivider } from '../../../src/pipeline/product-divider.ts';
import { connect, inProcessPair, type Client, type DeviceEvent } from '../../../src/protocol/index.ts';
import { openPty, SimServer, Simulator, type PtyEndpoint } from '../../../firmware-sim/index.ts';
import { buildGeneratorModel, type GenOperation, type GeneratorModel } from '../../../generators/index.ts';
import { ROOT, load } from './helpers.ts';

/**
 * Shared pieces of the op-runner tests: contract operations lowered the way `specdrive ci` does
 * (bind with the reference revision and its matches, then lower), a simulator reached over a real
 * pty plus an in-process control client, and a line-protocol driver for a runner process.
 */

export const DRIVERS = ['uart', 'gpio', 'timer'] as const;

/** The contract operations of `drivers` bound to one demo revision; lowering errors throw. */
export function contractOperations(device: Device, drivers: readonly string[] = DRIVERS): GenOperation[] {
  const operations: GenOperation[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const driver of drivers) {
    const file = resolve(ROOT, 'software-specs', `${driver}.driver.yaml`);
    const contract = loadDriverContract(readFileSync(file, 'utf8'), file).value;
    if (!contract) throw new Error(`cannot load ${file}`);
    const reference = load(`hardware-specs/${contract.writtenFor.board}/${contract.writtenFor.revision}.yaml`);
    const matches = matchesBetween(reference, device);
    for (const binding of bindContract(contract, device, { reference, matches }).value)
      operations.push(...lowerContract({ contract, binding, device }, diagnostics));
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('; '));
  return operations;
}

/** The generator model of a demo revision with its contract operations (and the generic ones). */
export function contractModel(revision: string, drivers: readonly string[] = DRIVERS): GeneratorModel {
  const device = load(`hardware-specs/demo-board/${revision}.yaml`);
  return buildGeneratorModel(device, { operations: contractOperations(device, drivers), genericOperations: true });
}

/** A simulated device behind a real pty, and a second (in-process) client of the same server. */
export interface PtySim {
  readonly pty: PtyEndpoint;
  readonly server: SimServer;
  readonly control: Client;
  readonly events: DeviceEvent[];
  /** `serial:/dev/pts/N`, the runner's command-line argument. */
  readonly link: string;
  close(): Promise<void>;
}

export async function startPtySim(revision: string): Promise<PtySim> {
  const device = load(`hardware-specs/demo-board/${revision}.yaml`);
  const server = new SimServer([new Simulator(device, {})]);
  const pty = await openPty();
  server.attach(pty.transport);
  const [deviceEnd, hostEnd] = inProcessPair('control');
  server.attach(deviceEnd);
  const control = await connect(hostEnd, { heartbeatMs: 0, timeoutMs: 2000 });
  const events: DeviceEvent[] = [];
  control.onEvent((e) => events.push(e));
  return {
    pty,
    server,
    control,
    events,
    link: `serial:${pty.path}`,
    close: async () => {
      await control.close();
      await server.close();
      await pty.close();
    },
  };
}

/** For a describe block: starts simulators on demand and closes them after each of its tests. */
export function ptySims(): (revision: string) => Promise<PtySim> {
  const open: PtySim[] = [];
  afterEach(async () => {
    for (const sim of open.splice(0)) await sim.close();
  });
  return async (revision) => {
    const sim = await startPtySim(revision);
    open.push(sim);
    return sim;
  };
}

/** A runner process spoken to over its line protocol. */
export class RunnerProcess {
  private readonly lines: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private exitCode: number | null | undefined;
  stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) w(line);
      else this.lines.push(line);
    });
    child.stderr.on('data', (d: Buffer) => void (this.stderr += d.toString()));
    child.on('exit', (code) => {
      this.exitCode = code;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  static start(command: string, args: readonly string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env): RunnerProcess {
    return new RunnerProcess(spawn(command, [...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** The next stdout line, or undefined when the process exits or `timeoutMs` passes first. */
  next(timeoutMs = 20_000): Promise<string | undefined> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exitCode !== undefined) return Promise.resolve(undefined);
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        done(undefined);
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        done(line);
      };
    });
  }

  async send(line: string): Promise<string | undefined> {
    this.child.stdin.write(`${line}\n`);
    return this.next();
  }

  /** Resolves with the exit code (after `quit` or on its own). */
  exited(): Promise<number | null> {
    if (this.exitCode !== undefined) return Promise.resolve(this.exitCode);
    return new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  async quit(): Promise<number | null> {
    if (this.exitCode === undefined) this.child.stdin.end('quit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await this.exited();
    clearTimeout(timer);
    return code;
  }
}

/** A field's value in a raw register value, by the IR (`UART0.BAUD.DIV`). */
function fieldOf(device: Device, path: string): { lsb: number; width: number; enums: ReadonlyMap<string, number> } {
  const node = findByPath(device, path);
  if (node?.kind !== 'field') throw new Error(`no field ${path}`);
  return { lsb: node.lsb, width: node.width, enums: new Map((node.enums ?? []).flatMap((e) => e.values).map((v) => [v.name, v.value])) };
}

function registerAddress(device: Device, path: string): number {
  const [peripheralName] = path.split('.');
  const peripheral = device.peripherals.find((p) => p.name === peripheralName);
  const placed = peripheral && placedRegisters(peripheral).find((p) => p.register.path === path);
  if (!peripheral || !placed) throw new Error(`no register ${path}`);
  return peripheral.baseAddress + placed.offset;
}

/**
 * The by-hand session every target's runner must get right against the demo rev-b simulator
 * (uart, gpio and timer contracts): register values checked through the control client, the UART's tx
 * stream, injected rx, GPIO set/clear, and every error path of the line protocol.
 */
export async function exerciseRevB(runner: RunnerProcess, sim: PtySim, model: GeneratorModel): Promise<void> {
  const device = model.device;
  expect(await runner.next(), runner.stderr).toBe('ready');
  const parity = fieldOf(device, 'UART0.CTRL.PARITY');
  const even = parity.enums.get('EVEN');
  if (even === undefined) throw new Error('rev-b has no EVEN parity');

  expect(await runner.send(`call init 115200 ${even}`)).toBe('ok');
  // The divider the generated code computed at run time is the solver's for 115200...
  const readDivider = async (): Promise<{ raw: number; div: number; frac: number }> => {
    const raw = await sim.control.read(registerAddress(device, 'UART0.BAUD'));
    return {
      raw,
      div: extractBits(raw, fieldOf(device, 'UART0.BAUD.DIV').lsb, fieldOf(device, 'UART0.BAUD.DIV').width),
      frac: extractBits(raw, fieldOf(device, 'UART0.BAUD.FRAC').lsb, fieldOf(device, 'UART0.BAUD.FRAC').width),
    };
  };
  const init = model.operations.find((o) => o.name === 'init');
  expect(init?.steps.some((s) => s.kind === 'divide')).toBe(true);
  const { raw: baud, div, frac } = await readDivider();
  // ...and it gives 115200 within the contract's 2 % (rev-b: baud = HCLK / (16 DIV + FRAC)).
  expect(Math.abs(48_000_000 / (16 * div + frac) / 115200 - 1)).toBeLessThan(0.02);
  expect([div, frac]).toEqual([26, 1]);
  // Any rate, not only a table's: 12345 baud is 48 MHz / 3888 (DIV 243, FRAC 0), 0.006 % off.
  expect(await runner.send(`call init 12345 ${even}`)).toBe('ok');
  expect(await readDivider()).toMatchObject({ div: 243, frac: 0 });
  expect(await runner.send(`call init 115200 ${even}`)).toBe('ok');
  const ctrl = await sim.control.read(registerAddress(device, 'UART0.CTRL'));
  expect(extractBits(ctrl, parity.lsb, parity.width)).toBe(even);
  expect(extractBits(ctrl, fieldOf(device, 'UART0.CTRL.ENABLE').lsb, 1)).toBe(1);

  expect(await runner.send('call send_byte 65')).toBe('ok');
  await sim.control.tick(0); // events the device sent before this answer have arrived
  expect(sim.events.filter((e) => e.kind === 'stream' && e.name === 'UART0.tx').flatMap((e) => [...(e.data ?? [])])).toEqual([65]);

  await sim.control.inject('UART0.rx', Uint8Array.of(0x5a));
  expect(await runner.send('call receive_byte')).toBe('ok 90');
  expect(await runner.send('call has_overrun')).toBe('ok 0');

  expect(await runner.send('call configure_outputs 255')).toBe('ok');
  expect(await runner.send('call GPIOA.set_pins 5')).toBe('ok');
  expect(await runner.send('call read_outputs')).toBe('ok 5');
  expect(await runner.send('call clear_pins 1')).toBe('ok');
  expect(await runner.send('call read_outputs')).toBe('ok 4');
  expect(await sim.control.read(registerAddress(device, 'GPIOA.ODR'))).toBe(4);

  // The timer (prescaler × period, a product): a rate outside the solved table is searched at run
  // time, giving the reference search's PSC and ARR; a rate nothing reaches is refused untouched.
  const timer = device.peripherals.find((p) => p.name === 'TIM0')!;
  const form = productDividerForm(device, timer, 'update_rate')!;
  const psc = registerAddress(device, 'TIM0.PSC');
  const arr = registerAddress(device, 'TIM0.ARR');
  for (const rate of [37, 12_345]) {
    const want = searchProductDivider(form, rate, 10_000)!;
    expect(await runner.send(`call TIM0.start ${rate}`)).toBe('ok');
    expect([await sim.control.read(psc), await sim.control.read(arr)], `rate ${rate}`).toEqual([want['PSC.PSC'], want['ARR.ARR']]);
  }
  const timerBefore = [await sim.control.read(registerAddress(device, 'TIM0.CR')), await sim.control.read(psc), await sim.control.read(arr)];
  expect(await runner.send('call TIM0.start 60000000')).toMatch(/^error unsupported .*start/);
  expect([await sim.control.read(registerAddress(device, 'TIM0.CR')), await sim.control.read(psc), await sim.control.read(arr)]).toEqual(timerBefore);

  // A rate no divider reaches within 2 % is refused, not programmed wrongly: BAUD keeps its value.
  const ctrlBefore = await sim.control.read(registerAddress(device, 'UART0.CTRL'));
  expect(await runner.send('call init 5000000 0')).toMatch(/^error unsupported .*init/);
  expect(await sim.control.read(registerAddress(device, 'UART0.BAUD'))).toBe(baud);
  // Every parameter is checked before the first write (init's first step clears ENABLE): a bad
  // rate, or a parity value the enum does not name (1 is reserved), leaves the port untouched.
  expect(await runner.send('call init 10000000 3')).toMatch(/^error unsupported .*init/);
  expect(await runner.send('call init 115200 1')).toMatch(/^error unsupported .*init/);
  expect(await sim.control.read(registerAddress(device, 'UART0.CTRL'))).toBe(ctrlBefore);
  expect(await sim.control.read(registerAddress(device, 'UART0.BAUD'))).toBe(baud);
  expect(extractBits(ctrlBefore, fieldOf(device, 'UART0.CTRL.ENABLE').lsb, 1)).toBe(1);
  // Nothing to receive: the wait gives up and the operation fails (the reference executor's rule).
  expect(await runner.send('call receive_byte')).toMatch(/^error timeout .*receive_byte/);

  expect(await runner.send('call no_such_op')).toBe('error unknown-operation no_such_op');
  expect(await runner.send('call set_pins 65536')).toMatch(/^error bad-argument GPIOA\.set_pins argument 1: 65536/);
  expect(await runner.send('call set_pins -1')).toMatch(/^error bad-argument /);
  expect(await runner.send('call set_pins')).toMatch(/^error bad-arguments GPIOA\.set_pins takes 1 arguments, got 0/);
  expect(await runner.send('call read_outputs 1')).toMatch(/^error bad-arguments /);
  expect(await runner.send('hello')).toBe('error unknown-command hello');
  expect(await runner.quit()).toBe(0);
}

/** A runner generated for rev-a must refuse the rev-b simulator: exit 3 after `error hello-mismatch`. */
export async function expectRefusal(runner: RunnerProcess): Promise<void> {
  const line = await runner.next();
  expect(line, runner.stderr).toMatch(/^error hello-mismatch .*rev-b/);
  expect(await runner.exited()).toBe(3);
}

export interface RunnerTarget {
  /** Suite title. */
  readonly title: string;
  /** Generates (and builds and checks) the runner for a model; returns what `start` needs. */
  prepare(model: GeneratorModel): string;
  start(prepared: string, link: string): RunnerProcess;
}

/**
 * The two tests every target's runner must pass: the rev-b session by hand against the rev-b
 * simulator on a real pty, and a runner generated for rev-a refusing that device. `more` adds
 * target-specific tests to the same suite.
 */
export function runnerSuite(target: RunnerTarget, more?: (revB: () => GeneratorModel) => void): void {
  describe(target.title, () => {
    let revB: GeneratorModel | undefined;
    const model = (): GeneratorModel => (revB ??= contractModel('rev-b', ['uart', 'gpio', 'timer']));
    const sims = ptySims();
    beforeAll(() => void model());

    it('is built and checked from the rev-b contract operations and drives them over the pty', async () => {
      const prepared = target.prepare(model());
      const sim = await sims('rev-b');
      await exerciseRevB(target.start(prepared, sim.link), sim, model());
    });

    it('generated for rev-a, refuses a rev-b device (HELLO check)', async () => {
      const prepared = target.prepare(contractModel('rev-a', ['uart', 'gpio']));
      const sim = await sims('rev-b');
      await expectRefusal(target.start(prepared, sim.link));
    });

    more?.(model);
  });
}
