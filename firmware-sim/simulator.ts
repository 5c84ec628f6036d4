import type { Diagnostic } from '../src/diagnostics/types.ts';
import { SourceText } from '../src/diagnostics/source-text.ts';
import type { Device, Peripheral } from '../src/ir/types.ts';
import { specHash } from '../src/ir/canonical.ts';
import { Status, statusName, type DeviceEvent } from '../src/protocol/frame.ts';
import { parseBehaviours } from './behaviours/parse.ts';
import { modelResolver } from './behaviours/resolver.ts';
import { BehaviourRuntime } from './behaviours/runtime.ts';
import type { Condition } from './behaviours/ast.ts';
import { DeviceModel, type FieldChange, type FieldState, type ModelOptions, type RegisterState } from './device-model.ts';
import type { HookContext, PeripheralModel } from './hooks.ts';
import { Scheduler } from './scheduler.ts';
import { hex32, type Tracer } from './trace.ts';

export interface SimulatorOptions extends ModelOptions {
  /** The spec file's text, so behaviour diagnostics point at the token inside an action. */
  readonly sourceText?: string;
  readonly models?: readonly PeripheralModel[];
  readonly tracers?: readonly Tracer[];
  /** Device number on the link (for traces). */
  readonly deviceNumber?: number;
  /** Longest TICK / WAIT accepted in one request, so a host cannot wedge the server. */
  readonly maxTicksPerRequest?: number;
}

export type SimEvent = Omit<DeviceEvent, 'device' | 'seq'>;

/** Who asked (for traces): the protocol server passes its client and seq. */
export interface Origin {
  readonly client?: number;
  readonly seq?: number;
}

/**
 * A peripheral's interrupt line and what drives it, looked up once (interrupt fields, `irq when`
 * conditions, model hook are fixed once the simulator is built): its level is evaluated after every
 * access, so no lookup by name is left for then.
 */
interface IrqSource {
  readonly peripheral: Peripheral;
  readonly name: string;
  readonly line: number;
  readonly interruptFields: readonly FieldState[];
  readonly conditions: readonly Condition[] | undefined;
  readonly model: PeripheralModel | undefined;
  level: boolean;
}

/**
 * One simulated device: the register file, declared behaviours, TypeScript peripheral models and
 * virtual time, with the operations of the wire protocol as methods. The protocol server and
 * in-process tests both drive it through these.
 */
export class Simulator {
  readonly model: DeviceModel;
  readonly scheduler = new Scheduler();
  readonly behaviours: BehaviourRuntime;
  readonly diagnostics: Diagnostic[] = [];
  readonly specHash: string;
  private readonly models: readonly PeripheralModel[];
  private readonly tracers: Tracer[];
  private readonly irqSources: IrqSource[] = [];
  private readonly eventListeners = new Set<(event: SimEvent) => void>();
  private changes: FieldChange[] | undefined;
  private readonly context: HookContext;
  private readonly maxTicks: number;
  private readonly quietReads = new Map<RegisterState, boolean>();

  constructor(
    readonly device: Device,
    readonly options: SimulatorOptions = {},
  ) {
    this.model = new DeviceModel(device, options);
    this.diagnostics.push(...this.model.diagnostics);
    this.specHash = specHash(device);
    this.models = options.models ?? [];
    this.tracers = [...(options.tracers ?? [])];
    // One request runs synchronously and stalls every link: 1M ticks is about 0.1 s with per-tick
    // behaviours. TICK answers with the time reached, so a host wanting more asks again.
    this.maxTicks = options.maxTicksPerRequest ?? 1_000_000;
    const source = options.sourceText !== undefined ? new SourceText(device.span.file, options.sourceText) : undefined;
    const parsed = parseBehaviours(device.peripherals, modelResolver(this.model), source);
    this.diagnostics.push(...parsed.diagnostics);
    this.behaviours = new BehaviourRuntime(
      { model: this.model, scheduler: this.scheduler, emit: (stream, data) => this.emit({ kind: 'stream', name: stream, data, time: this.now }) },
      parsed,
    );
    const model = this.model;
    this.context = {
      model,
      now: () => this.now,
      field: (path) => {
        const fs = model.field(path);
        if (!fs) throw new Error(`peripheral model asked for unknown field ${path}`);
        return fs;
      },
      get: (path) => this.context.field(path).value,
      set: (path, value) => model.hwWrite(this.context.field(path), value, 'model'),
      emit: (stream, data) => this.emit({ kind: 'stream', name: stream, data, time: this.now }),
      schedule: (delay, run) => this.scheduler.schedule(delay, run),
    };
    model.hooks = {
      userWrite: (fs, R, D, S) => this.modelFor(fs.register.peripheral.name)?.userWrite?.(this.context, fs, R, D, S) ?? ((R & ~S) | (D & S)) >>> 0,
      userRead: (fs, R) => this.modelFor(fs.register.peripheral.name)?.userRead?.(this.context, fs, R) ?? R,
    };
    model.afterWrite = (register, D, S) => {
      this.behaviours.afterWrite(register, D, S);
      this.modelFor(register.peripheral.name)?.onWrite?.(this.context, register, D, S);
    };
    model.afterRead = (register, S) => {
      this.behaviours.afterRead(register);
      this.modelFor(register.peripheral.name)?.onRead?.(this.context, register, S);
    };
    model.onChange = (change, fs) => {
      this.changes?.push(change);
      for (const t of this.tracers) t.change?.(this.now, fs, change);
    };
    for (const peripheral of device.peripherals) {
      const hasSource =
        model.interruptFields.some((f) => f.register.peripheral === peripheral) ||
        this.behaviours.irqConditions.has(peripheral.name) ||
        this.modelFor(peripheral.name)?.irq !== undefined;
      const irq = peripheral.interrupts[0];
      if (hasSource)
        this.irqSources.push({
          peripheral,
          name: irq?.name ?? `${peripheral.name}_IRQ`,
          line: irq?.value ?? 0,
          interruptFields: model.interruptFieldsOf(peripheral),
          conditions: this.behaviours.irqConditions.get(peripheral.name),
          model: this.modelFor(peripheral.name),
          level: false,
        });
    }
    for (const m of this.models) m.attach?.(this.context);
    this.settle();
  }

  get now(): number {
    return this.scheduler.now;
  }

  get irqLines(): readonly string[] {
    return this.irqSources.map((s) => s.name);
  }

  addTracer(tracer: Tracer): void {
    this.tracers.push(tracer);
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** The first model of the peripheral (looked up after every access: a loop, no closure). */
  private modelFor(peripheral: string): PeripheralModel | undefined {
    for (const m of this.models) if (m.peripheral === peripheral) return m;
    return undefined;
  }

  private emit(event: SimEvent): void {
    for (const l of this.eventListeners) l(event);
  }

  /** After every access and tick: combinational behaviours, then interrupt lines. */
  private settle(): void {
    this.behaviours.settle();
    for (const source of this.irqSources) {
      const level =
        this.model.interruptPending(source.interruptFields) || this.behaviours.anyHolds(source.conditions) || (source.model?.irq?.(this.context) ?? false);
      if (level === source.level) continue;
      source.level = level;
      for (const t of this.tracers) t.irq?.(this.now, source.name, level);
      this.emit({ kind: 'irq', name: source.name, irq: { line: source.line, level }, time: this.now });
    }
  }

  /** Runs one operation with change collection and a trace record. */
  private traced<T extends { status: number }>(
    op: string,
    origin: Origin,
    fields: { address?: number; width?: number; value?: number; mask?: number },
    run: () => T,
    valueOf?: (r: T) => number | undefined,
  ): T {
    const tracing = this.tracing();
    if (tracing) this.changes = [];
    const t = this.now;
    const result = run();
    this.settle();
    if (tracing) {
      const register = fields.address !== undefined ? this.model.registerAt(fields.address)?.path : undefined;
      const value = valueOf?.(result) ?? fields.value;
      const record = {
        t,
        device: this.options.deviceNumber ?? 0,
        op,
        ...(origin.client !== undefined ? { client: origin.client } : {}),
        ...(origin.seq !== undefined ? { seq: origin.seq } : {}),
        ...(fields.address !== undefined ? { address: hex32(fields.address) } : {}),
        ...(fields.width !== undefined ? { width: fields.width } : {}),
        ...(register !== undefined ? { register } : {}),
        ...(value !== undefined ? { value } : {}),
        ...(fields.mask !== undefined ? { mask: fields.mask } : {}),
        status: statusName(result.status),
        changes: this.changes ?? [],
      };
      for (const tr of this.tracers) tr.access?.(record);
      this.changes = undefined;
    }
    return result;
  }

  // ------------------------------------------------------------ protocol operations

  read(address: number, width: number, origin: Origin = {}): { status: number; value: number } {
    return this.traced(
      'READ',
      origin,
      { address, width },
      () => this.model.read(address, width),
      (r) => r.value,
    );
  }

  /**
   * A READ as the link's fast path needs it, without result objects: the value (≥ 0), or −status
   * when it failed. Effects and answer are `read`'s: a read with no side effect anywhere (no
   * tracer, no read semantics, behaviour or model hook on the register, no fault injection) is
   * taken straight from the register file, then settled like every access; any other goes
   * through `read`.
   */
  readValue(address: number, width: number, client: number, seq: number): number {
    if (!this.tracing()) {
      const value = this.model.readQuiet(address, width, this.quietAfterRead);
      if (value >= 0) {
        this.settle();
        return value;
      }
    }
    const r = this.read(address, width, { client, seq });
    return r.status === Status.OK ? r.value : -r.status;
  }

  /** Whether `afterRead` does nothing for the register (fixed once behaviours and models are attached). */
  private readonly quietAfterRead = (register: RegisterState): boolean => {
    let quiet = this.quietReads.get(register);
    if (quiet === undefined) {
      quiet = !this.behaviours.readTriggers(register) && this.modelFor(register.peripheral.name)?.onRead === undefined;
      this.quietReads.set(register, quiet);
    }
    return quiet;
  };

  private tracing(): boolean {
    for (const t of this.tracers) if (t.access) return true;
    return false;
  }

  write(address: number, width: number, value: number, origin: Origin = {}): { status: number } {
    return this.traced('WRITE', origin, { address, width, value }, () => this.model.write(address, width, value));
  }

  /**
   * Masked write in one request: the bits of `mask` take `value`, every other bit is not written at
   * all (bit enables), so write-1-to-clear flags elsewhere in the register are never cleared by accident.
   */
  modify(address: number, width: number, value: number, mask: number, origin: Origin = {}): { status: number; old: number; value: number } {
    return this.traced('MODIFY', origin, { address, width, value, mask }, () => {
      const before = this.model.peek(address, width);
      if (before.status !== Status.OK) return { status: before.status, old: 0, value: 0 };
      const written = this.model.write(address, width, value, mask);
      if (written.status !== Status.OK) return { status: written.status, old: before.value, value: before.value };
      return { status: Status.OK, old: before.value, value: this.model.peek(address, width).value };
    });
  }

  /** Burst read; side effects fire on every beat. On an error, the beats read so far are returned. */
  readBurst(address: number, width: number, count: number, fixed: boolean, origin: Origin = {}): { status: number; values: number[] } {
    return this.traced(fixed ? 'READ_BURST_FIXED' : 'READ_BURST', origin, { address, width, value: count }, () => {
      const values: number[] = [];
      for (let i = 0; i < count; i++) {
        const beat = this.model.read(fixed ? address : address + i * width, width);
        if (beat.status !== Status.OK) return { status: beat.status, values };
        values.push(beat.value);
      }
      return { status: Status.OK, values };
    });
  }

  writeBurst(address: number, width: number, values: readonly number[], fixed: boolean, origin: Origin = {}): { status: number; done: number } {
    return this.traced(fixed ? 'WRITE_BURST_FIXED' : 'WRITE_BURST', origin, { address, width, value: values.length }, () => {
      for (let i = 0; i < values.length; i++) {
        const beat = this.model.write(fixed ? address : address + i * width, width, values[i]!);
        if (beat.status !== Status.OK) return { status: beat.status, done: i };
      }
      return { status: Status.OK, done: values.length };
    });
  }

  /**
   * Polls `(register & mask) === value` (without read side effects), one virtual tick at a time,
   * for at most `timeout` ticks. A condition true at once costs no time.
   */
  wait(address: number, width: number, value: number, mask: number, timeout: number, origin: Origin = {}): { status: number; value: number; elapsed: number } {
    return this.traced('WAIT', origin, { address, width, value, mask }, () => {
      const start = this.now;
      const limit = Math.min(timeout, this.maxTicks);
      for (;;) {
        const seen = this.model.peek(address, width);
        if (seen.status !== Status.OK) return { status: seen.status, value: 0, elapsed: this.now - start };
        if ((seen.value & mask) >>> 0 === (value & mask) >>> 0) return { status: Status.OK, value: seen.value, elapsed: this.now - start };
        if (this.now - start >= limit) return { status: Status.TIMEOUT, value: seen.value, elapsed: this.now - start };
        this.advance(1, start + limit);
      }
    });
  }

  /** The most ticks one TICK or WAIT request advances (SimulatorOptions.maxTicksPerRequest). */
  get maxTicksPerRequest(): number {
    return this.maxTicks;
  }

  tick(ticks: number, origin: Origin = {}): { status: number; now: number } {
    return this.traced('TICK', origin, { value: ticks }, () => {
      this.advance(Math.min(ticks, this.maxTicks));
      return { status: Status.OK, now: this.now };
    });
  }

  reset(kind: 'power-on' | 'soft', origin: Origin = {}): { status: number } {
    return this.traced(kind === 'soft' ? 'RESET_SOFT' : 'RESET_POWER_ON', origin, {}, () => {
      this.scheduler.clear();
      if (kind === 'power-on') this.scheduler.now = 0;
      this.model.reset(kind);
      this.behaviours.reset();
      for (const m of this.models) m.onReset?.(this.context, kind);
      return { status: Status.OK };
    });
  }

  /** Feeds bytes to an input stream (`UART0.rx`). */
  inject(stream: string, data: Uint8Array, origin: Origin = {}): { status: number; accepted: number } {
    return this.traced('INJECT', origin, { value: data.length }, () => {
      const peripheral = stream.split('.')[0] ?? '';
      const hook = this.modelFor(peripheral)?.onInput;
      if (!this.behaviours.hasInput(stream) && !hook) return { status: Status.BAD_REQUEST, accepted: 0 };
      let accepted = 0;
      for (const byte of data) if (this.behaviours.input(stream, byte)) accepted++;
      if (hook) accepted = Math.max(accepted, hook(this.context, stream, data));
      return { status: Status.OK, accepted };
    });
  }

  /**
   * Advances virtual time by `ticks` (stopping early at `until`). When nothing happens per tick (no
   * tick behaviours, no asserted level inputs), time jumps straight to the next scheduled action.
   */
  private advance(ticks: number, until = Infinity): void {
    const target = Math.min(this.now + ticks, until);
    const hooksTick = this.models.some((m) => m.onTick);
    while (this.now < target) {
      const busy = this.behaviours.ticksMatter || hooksTick || this.model.interruptFields.some((f) => f.input !== 0 || f.input !== f.previousInput);
      if (!busy) {
        const next = this.scheduler.nextAt();
        this.scheduler.now = next === undefined ? target : Math.min(Math.max(next, this.now + 1), target);
      } else this.scheduler.now++;
      this.scheduler.runDue();
      this.model.tick();
      this.behaviours.tick();
      for (const m of this.models) m.onTick?.(this.context);
      this.settle();
    }
  }
}
