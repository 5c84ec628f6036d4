import type { Diagnostic } from '../src/diagnostics/types.ts';
import type { Device, Field, Peripheral, Register } from '../src/ir/types.ts';
import { registerInstances } from '../src/ir/walk.ts';
import { Status } from '../src/protocol/frame.ts';
import { Prng } from './prng.ts';
import {
  counterStep,
  counterThresholds,
  fieldOnes,
  interruptEvent,
  interruptNext,
  interruptOutput,
  readNext,
  writeNext,
  type CounterStep,
} from './semantics.ts';

/** What unreset fields (no reset value, SVD resetMask 0 bits) hold after a power-on reset. */
export type UnresetPolicy = 'zero' | 'random' | 'poison';
/**
 * Writes that touch only read-only fields: `ignore` (what silicon does; the trace notes it) or
 * `error` (answer ACCESS_ERROR, for strict driver tests). Read-only bits inside a register that also
 * has writable fields are always ignored: drivers write whole words.
 */
export type ReadOnlyWritePolicy = 'ignore' | 'error';

export interface ModelOptions {
  readonly unreset?: UnresetPolicy;
  readonly seed?: number;
  readonly readOnlyWrites?: ReadOnlyWritePolicy;
}

/** The value unreset fields get under the `poison` policy (masked to the field). */
export const POISON = 0xdeadbeef;

export interface FifoOptions {
  readonly depth: number;
  readonly overrun?: FieldState;
  readonly nonEmpty?: FieldState;
  readonly level?: FieldState;
}

/** A receive FIFO behind a field: reads pop it, `push` behaviours fill it. */
export interface Fifo extends FifoOptions {
  readonly items: number[];
  /** Value read when empty (hardware usually returns the last byte). */
  last: number;
}

export interface FieldState {
  readonly field: Field;
  /** Concrete path, arrays indexed: `UART0.CTRL.EN`, `DMA.CH[1].CR.EN`. */
  readonly path: string;
  readonly register: RegisterState;
  readonly lsb: number;
  readonly width: number;
  value: number;
  /** Write-once latch (w1 / rw1): set by the first write after reset. */
  latched: boolean;
  /** Interrupt fields: the hardware input and its previous sample (edge detection). */
  input: number;
  previousInput: number;
  /** Singlepulse fields set by the current access, cleared when it ends. */
  pulsing: boolean;
  fifo?: Fifo;
  /** Overflow / underflow pulse of the last counter step. */
  counterEvent?: CounterStep;
}

export interface RegisterState {
  /** Concrete path: `UART0.STATUS`, `DMA.CH[1].CR`. */
  readonly path: string;
  readonly peripheral: Peripheral;
  readonly register: Register;
  readonly address: number;
  readonly bytes: number;
  readonly fields: readonly FieldState[];
}

/** One change made by an access or by hardware, for traces and VCD. */
export interface FieldChange {
  readonly field: string;
  readonly old: number;
  readonly new: number;
  /** Why, when it is not a plain store: `rclr`, `woclr`, `ignored: read-only`, `fifo pop`, … */
  readonly effect?: string;
}

/** Extension points for what declarations cannot express (SystemRDL wuser/ruser, external reads). */
export interface FieldHooks {
  /** `wuser` fields: return the next value. */
  userWrite?(field: FieldState, R: number, D: number, S: number): number;
  /** `ruser` / `external` fields without a FIFO: return the value after the read side effect. */
  userRead?(field: FieldState, R: number): number;
}

export interface AccessOutcome {
  readonly status: number;
  readonly value: number;
}

interface LanePart {
  readonly register: RegisterState;
  /** Bit enables in register space. */
  S: number;
  /** Data in register space (writes). */
  D: number;
  /** Bit offset of the register's lane 0 within the access (may be negative when the access starts inside the register). */
  readonly shift: number;
}

const swReadable = (f: Field): boolean => f.access.sw === 'r' || f.access.sw === 'rw' || f.access.sw === 'rw1';
const swWritable = (f: Field): boolean => f.access.sw !== 'r' && f.access.sw !== 'na';
const writeOnce = (f: Field): boolean => f.access.sw === 'w1' || f.access.sw === 'rw1';

/**
 * The register file of one device, built from the IR: every access semantic of every field, byte
 * lanes, alignment and address decoding. Behaviours, time and the wire protocol sit on top
 * (simulator.ts); this class only knows bits.
 */
export class DeviceModel {
  readonly registers: RegisterState[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly byteMap = new Map<number, RegisterState>();
  /** Atomic alias windows (RP2040 style): byte address → what a write there does, and how far the register is. */
  private readonly aliasMap = new Map<number, { readonly kind: 'set' | 'clear' | 'toggle'; readonly delta: number }>();
  private readonly fieldsByPath = new Map<string, FieldState>();
  readonly interruptFields: FieldState[] = [];
  private readonly prng: Prng;
  hooks: FieldHooks = {};
  /** Called for every field change (trace, VCD, irq re-evaluation). */
  onChange: ((change: FieldChange, field: FieldState) => void) | undefined;
  /** Fault injection: byte addresses answering BUS_ERROR, and bits forced on every read. */
  readonly busErrorAddresses = new Set<number>();
  readonly stuckBits = new Map<number, { mask: number; value: number }>();

  constructor(
    readonly device: Device,
    readonly options: ModelOptions = {},
  ) {
    this.prng = new Prng(options.seed ?? 1);
    for (const peripheral of device.peripherals) this.addPeripheral(peripheral);
    this.reset('power-on');
  }

  private addPeripheral(peripheral: Peripheral): void {
    const { instances, truncated } = registerInstances(peripheral);
    if (truncated)
      this.diagnostics.push({
        code: 'sim/too-many-registers',
        severity: 'warning',
        message: `${peripheral.name}: register arrays truncated`,
        span: peripheral.span,
        path: peripheral.path,
      });
    for (const instance of instances) {
      const register = instance.register;
      const path = `${peripheral.name}.${instance.name}`;
      if (register.size > 32 || register.size % 8 !== 0) {
        this.diagnostics.push({
          code: 'sim/register-unsupported',
          severity: 'warning',
          message: `${path} is ${register.size} bits wide; the simulator models registers of 8, 16 and 32 bits, so it is left unmapped`,
          span: register.span,
          path: register.path,
        });
        continue;
      }
      const fields: FieldState[] = [];
      const state: RegisterState = { path, peripheral, register, address: instance.address, bytes: register.size / 8, fields };
      // A register without fields is one read-write field covering all of it (SVD allows that).
      const declared: readonly Field[] =
        register.fields.length > 0
          ? register.fields
          : [
              {
                kind: 'field',
                name: register.name,
                path: register.path,
                span: register.span,
                lsb: 0,
                width: register.size,
                access: { sw: 'rw', hw: 'r' },
                reset: register.resetValue,
              },
            ];
      for (const field of declared) {
        if (field.segments && field.segments.length > 1) {
          this.diagnostics.push({
            code: 'sim/split-field',
            severity: 'warning',
            message: `${field.path} is split over several bit ranges; the simulator treats it as bits ${field.lsb}..${field.lsb + field.width - 1}`,
            span: field.span,
            path: field.path,
          });
        }
        const count = field.dim?.count ?? 1;
        for (let i = 0; i < count; i++) {
          const lsb = field.lsb + i * (field.dim?.stride ?? 0);
          const fieldPath = `${path}.${field.dim ? `${field.name}[${i}]` : field.name}`;
          if (lsb + field.width > register.size) continue; // reported by validate/field-outside-register
          const fs: FieldState = {
            field,
            path: fieldPath,
            register: state,
            lsb,
            width: field.width,
            value: 0,
            latched: false,
            input: 0,
            previousInput: 0,
            pulsing: false,
          };
          fields.push(fs);
          this.fieldsByPath.set(fieldPath, fs);
          // Also reachable by the IR path (element 0 of arrays) for enable/mask references.
          if (!this.fieldsByPath.has(field.path)) this.fieldsByPath.set(field.path, fs);
          if (field.access.interrupt) this.interruptFields.push(fs);
        }
      }
      if (this.registers.some((r) => r.path === path)) continue;
      this.registers.push(state);
      for (let b = 0; b < state.bytes; b++) {
        // The first register claims an address; overlaps are reported by validation, and the
        // read-only/write-only pairs SVD allows are not modelled separately.
        if (!this.byteMap.has(instance.address + b)) this.byteMap.set(instance.address + b, state);
        for (const kind of ['set', 'clear', 'toggle'] as const) {
          const delta = peripheral.atomicAliases?.[kind];
          if (delta !== undefined && !this.aliasMap.has(instance.address + delta + b)) this.aliasMap.set(instance.address + delta + b, { kind, delta });
        }
      }
    }
  }

  field(path: string): FieldState | undefined {
    return this.fieldsByPath.get(path);
  }

  registerAt(address: number): RegisterState | undefined {
    return this.byteMap.get(address);
  }

  registerByPath(path: string): RegisterState | undefined {
    return this.registers.find((r) => r.path === path);
  }

  // ------------------------------------------------------------ reset

  /**
   * Power-on: every field to its reset value, unreset fields per policy, latches and FIFOs cleared.
   * Soft: fields with a reset value return to it, unreset fields keep their contents (that is what
   * "not reset" means in silicon), latches, FIFOs and interrupt inputs cleared.
   */
  reset(kind: 'power-on' | 'soft'): void {
    for (const register of this.registers) {
      for (const fs of register.fields) {
        const old = fs.value;
        const resetValue = fs.field.reset;
        // The simulated bus is 32 bits wide: the low 32 bits of the (exact) reset, as before.
        if (resetValue !== undefined) fs.value = (Number(BigInt.asUintN(32, resetValue)) & fieldOnes(fs.width)) >>> 0;
        else if (kind === 'power-on') fs.value = this.unresetValue(fs);
        fs.latched = false;
        fs.input = fs.previousInput = 0;
        fs.pulsing = false;
        delete fs.counterEvent;
        if (fs.fifo) {
          fs.fifo.items.length = 0;
          fs.fifo.last = 0;
        }
        if (old !== fs.value) this.changed(fs, old, `${kind} reset`);
      }
    }
  }

  private unresetValue(fs: FieldState): number {
    const M = fieldOnes(fs.width);
    switch (this.options.unreset ?? 'zero') {
      case 'random':
        return (this.prng.nextU32() & M) >>> 0;
      case 'poison':
        return ((POISON >>> fs.lsb) & M) >>> 0;
      default:
        return 0;
    }
  }

  // ------------------------------------------------------------ bus access

  /**
   * Splits an access into per-register parts (byte lanes, little-endian), checking width,
   * alignment and decoding. Returns a status when the access cannot proceed.
   */
  private decode(address: number, width: number, data: number, bitMask: number): LanePart[] | number {
    if (width !== 1 && width !== 2 && width !== 4) return Status.BAD_REQUEST;
    if (address % width !== 0) return Status.ALIGN;
    const parts: LanePart[] = [];
    for (let i = 0; i < width; i++) {
      const b = address + i;
      const register = this.byteMap.get(b);
      if (!register || this.busErrorAddresses.has(b)) return Status.BUS_ERROR;
      let part = parts.find((p) => p.register === register);
      if (!part) {
        part = { register, S: 0, D: 0, shift: (register.address - address) * 8 };
        parts.push(part);
      }
      const lane = (b - register.address) * 8;
      const maskByte = (bitMask >>> (i * 8)) & 0xff;
      const dataByte = (data >>> (i * 8)) & 0xff;
      part.S = (part.S | (maskByte << lane)) >>> 0;
      part.D = (part.D | (dataByte << lane)) >>> 0;
    }
    return parts;
  }

  /** Places a register-space value into access space. */
  private static toAccess(part: LanePart, value: number): number {
    const masked = (value & part.S) >>> 0;
    return part.shift >= 0 ? (masked << part.shift) >>> 0 : masked >>> -part.shift;
  }

  /** An alias address (not itself a register) and the register address it stands for. */
  private alias(address: number): { readonly kind: 'set' | 'clear' | 'toggle'; readonly delta: number } | undefined {
    return this.byteMap.has(address) ? undefined : this.aliasMap.get(address);
  }

  read(address: number, width: number): AccessOutcome {
    // Reading an alias reads the register itself.
    const alias = this.alias(address);
    if (alias) return this.read(address - alias.delta, width);
    const parts = this.decode(address, width, 0, 0xffff_ffff);
    if (typeof parts === 'number') return { status: parts, value: 0 };
    let value = 0;
    for (const part of parts) value = (value | DeviceModel.toAccess(part, this.readRegister(part.register, part.S))) >>> 0;
    return { status: Status.OK, value: this.applyStuck(address, width, value) };
  }

  /** The value a read would return, without any side effect (WAIT polling, MODIFY, traces). */
  peek(address: number, width: number): AccessOutcome {
    const alias = this.alias(address);
    if (alias) return this.peek(address - alias.delta, width);
    const parts = this.decode(address, width, 0, 0xffff_ffff);
    if (typeof parts === 'number') return { status: parts, value: 0 };
    let value = 0;
    for (const part of parts) value = (value | DeviceModel.toAccess(part, this.visibleValue(part.register, part.S))) >>> 0;
    return { status: Status.OK, value: this.applyStuck(address, width, value) };
  }

  /** A write; `bitMask` narrows the enables to single bits (MODIFY). */
  write(address: number, width: number, data: number, bitMask = 0xffff_ffff): AccessOutcome {
    const alias = this.alias(address);
    if (alias) return this.aliasWrite(address - alias.delta, alias.kind, width, data, bitMask);
    const parts = this.decode(address, width, data, bitMask);
    if (typeof parts === 'number') return { status: parts, value: 0 };
    if (this.options.readOnlyWrites === 'error') {
      for (const part of parts) {
        const touched = part.register.fields.filter((fs) => this.fieldBits(fs, part.S) !== 0);
        if (touched.length > 0 && touched.every((fs) => !swWritable(fs.field))) return { status: Status.ACCESS_ERROR, value: 0 };
      }
    }
    for (const part of parts) this.writeRegister(part.register, part.D, part.S);
    return { status: Status.OK, value: 0 };
  }

  /**
   * A write through an atomic alias: the bits written as 1 are set, cleared or toggled in the
   * register; no other bit is touched (a masked write of just those bits).
   */
  private aliasWrite(address: number, kind: 'set' | 'clear' | 'toggle', width: number, data: number, bitMask: number): AccessOutcome {
    const parts = this.decode(address, width, data, bitMask);
    if (typeof parts === 'number') return { status: parts, value: 0 };
    for (const part of parts) {
      const bits = (part.D & part.S) >>> 0;
      if (bits === 0) continue;
      const value = kind === 'set' ? bits : kind === 'clear' ? 0 : (~this.visibleValue(part.register, bits) & bits) >>> 0;
      this.writeRegister(part.register, value, bits);
    }
    return { status: Status.OK, value: 0 };
  }

  private applyStuck(address: number, width: number, value: number): number {
    if (this.stuckBits.size === 0) return value;
    let v = value;
    for (let i = 0; i < width; i++) {
      const stuck = this.stuckBits.get(address + i);
      if (!stuck) continue;
      const shift = i * 8;
      v = ((v & ~((stuck.mask & 0xff) << shift)) | ((stuck.value & stuck.mask & 0xff) << shift)) >>> 0;
    }
    return v;
  }

  private fieldBits(fs: FieldState, S: number): number {
    return ((S >>> fs.lsb) & fieldOnes(fs.width)) >>> 0;
  }

  private visibleValue(register: RegisterState, S: number): number {
    let value = 0;
    for (const fs of register.fields) {
      if (this.fieldBits(fs, S) === 0 || !swReadable(fs.field)) continue;
      const v = fs.fifo ? (fs.fifo.items[0] ?? fs.fifo.last) : fs.value;
      value = (value | ((v & fieldOnes(fs.width)) << fs.lsb)) >>> 0;
    }
    return (value & S) >>> 0;
  }

  /** Hook for behaviours: runs after a register's software access, before singlepulse clears. */
  afterWrite: ((register: RegisterState, D: number, S: number) => void) | undefined;
  afterRead: ((register: RegisterState, S: number) => void) | undefined;

  /** Reads one register: the value before side effects, then rclr/rset/FIFO pop/ruser on each touched readable field. */
  readRegister(register: RegisterState, S: number): number {
    const value = this.visibleValue(register, S);
    for (const fs of register.fields) {
      if (this.fieldBits(fs, S) === 0 || !swReadable(fs.field)) continue;
      const onRead = fs.field.access.onRead;
      if (fs.fifo) this.popFifo(fs);
      else if (onRead === 'rclr' || onRead === 'rset') this.setField(fs, readNext(onRead, fs.value, fs.width), onRead);
      else if ((onRead === 'ruser' || onRead === 'external') && this.hooks.userRead) this.setField(fs, this.hooks.userRead(fs, fs.value), onRead);
    }
    this.afterRead?.(register, S);
    return value;
  }

  writeRegister(register: RegisterState, D: number, S: number): void {
    const pulses: FieldState[] = [];
    for (const fs of register.fields) {
      const fS = this.fieldBits(fs, S);
      if (fS === 0) continue;
      const f = fs.field;
      const fD = ((D >>> fs.lsb) & fieldOnes(fs.width)) >>> 0;
      if (!swWritable(f)) {
        this.onChange?.({ field: fs.path, old: fs.value, new: fs.value, effect: 'ignored: read-only' }, fs);
        continue;
      }
      if (writeOnce(f)) {
        if (fs.latched) {
          this.onChange?.({ field: fs.path, old: fs.value, new: fs.value, effect: 'ignored: write-once already written' }, fs);
          continue;
        }
        fs.latched = true;
      }
      if (fs.fifo) continue; // a FIFO read port: the write goes to behaviours (TX), not to storage
      const next =
        f.access.onWrite === 'wuser' && this.hooks.userWrite
          ? (this.hooks.userWrite(fs, fs.value, fD, fS) & fieldOnes(fs.width)) >>> 0
          : writeNext(f.access.onWrite, fs.value, fD, fS, fs.width);
      this.setField(fs, next, f.access.onWrite);
      if (f.access.singlePulse && next !== 0) {
        fs.pulsing = true;
        pulses.push(fs);
      }
      // precedence=hw: a level interrupt input still asserted re-sets the bit software just cleared.
      if (f.access.interrupt && f.access.precedence === 'hw') this.sampleInterrupt(fs);
    }
    this.afterWrite?.(register, D, S);
    for (const fs of pulses) {
      fs.pulsing = false;
      this.setField(fs, 0, 'singlepulse end');
    }
  }

  // ------------------------------------------------------------ hardware side

  /** Sets a field from hardware. Interrupt fields take it as their input and run the event detector. */
  hwWrite(fs: FieldState, value: number, effect = 'hw'): void {
    const v = (value & fieldOnes(fs.width)) >>> 0;
    if (fs.field.access.interrupt) {
      fs.input = v;
      this.sampleInterrupt(fs);
      return;
    }
    this.setField(fs, v, effect);
  }

  /** One interrupt sample: event from input vs previous input, then the stickiness rule. */
  sampleInterrupt(fs: FieldState): void {
    const irq = fs.field.access.interrupt;
    if (!irq) return;
    const event = interruptEvent(irq.kind, fs.input, fs.previousInput, fs.width);
    fs.previousInput = fs.input;
    this.setField(fs, interruptNext(irq.sticky, fs.value, event, fs.width), `interrupt ${irq.kind}`);
  }

  /** Counter step from hardware (behaviour `incr`/`decr`/`count`), using the field's counter semantics. */
  count(fs: FieldState, amount: number, wrapAt?: number): CounterStep {
    const counter = fs.field.access.counter ?? {};
    let step: CounterStep;
    if (wrapAt !== undefined && amount > 0 && !counter.incrSaturate) {
      // Auto-reload timers count 0..wrapAt then wrap (the period register).
      const next = fs.value + amount;
      step =
        next > wrapAt
          ? { value: (next - wrapAt - 1) % (wrapAt + 1), overflow: true, underflow: false, saturated: false }
          : { value: next, overflow: false, underflow: false, saturated: false };
    } else step = counterStep(counter, fs.value, amount, fs.width);
    fs.counterEvent = step;
    this.setField(fs, step.value & fieldOnes(fs.width), step.overflow ? 'counter overflow' : step.underflow ? 'counter underflow' : 'count');
    return step;
  }

  thresholds(fs: FieldState): { incr: boolean; decr: boolean } {
    return counterThresholds(fs.field.access.counter ?? {}, fs.value, fs.width);
  }

  /** Per-tick work of the register file: level interrupt inputs are re-sampled every cycle. */
  tick(): void {
    for (const fs of this.interruptFields) {
      if (fs.field.access.interrupt?.kind === 'level') {
        if (fs.input !== 0) this.sampleInterrupt(fs);
        else if (fs.field.access.interrupt.sticky === 'nonsticky' && fs.value !== 0) this.sampleInterrupt(fs);
      } else if (fs.input !== fs.previousInput) this.sampleInterrupt(fs);
    }
  }

  /** Whether any interrupt field of the peripheral is pending and enabled (value & enable, value & ~mask). */
  interruptPending(peripheral: Peripheral): boolean {
    for (const fs of this.interruptFields) {
      if (fs.register.peripheral !== peripheral || fs.value === 0) continue;
      const irq = fs.field.access.interrupt!;
      const gate = (path: string | undefined): number | undefined => {
        if (path === undefined) return undefined;
        const other = this.fieldsByPath.get(path);
        if (!other) return undefined;
        // A one-bit enable gates every bit of a wider interrupt field.
        return other.width === fs.width ? other.value : other.value !== 0 ? fieldOnes(fs.width) : 0;
      };
      if (interruptOutput(fs.value, gate(irq.enable), gate(irq.mask))) return true;
    }
    return false;
  }

  // ------------------------------------------------------------ FIFOs

  attachFifo(fs: FieldState, options: FifoOptions): Fifo {
    fs.fifo ??= { ...options, items: [], last: 0 };
    return fs.fifo;
  }

  /** Pushes into a FIFO; a full FIFO drops the value and raises its overrun flag. Returns false on overrun. */
  pushFifo(fs: FieldState, value: number): boolean {
    const fifo = fs.fifo!;
    const old = fifo.items[0] ?? fifo.last;
    if (fifo.items.length >= fifo.depth) {
      if (fifo.overrun) this.hwWrite(fifo.overrun, fieldOnes(fifo.overrun.width), 'fifo overrun');
      return false;
    }
    fifo.items.push((value & fieldOnes(fs.width)) >>> 0);
    this.fifoFlags(fs, old, 'fifo push');
    return true;
  }

  private popFifo(fs: FieldState): void {
    const fifo = fs.fifo!;
    const old = fifo.items[0] ?? fifo.last;
    const popped = fifo.items.shift();
    if (popped !== undefined) fifo.last = popped;
    this.fifoFlags(fs, old, 'fifo pop');
  }

  private fifoFlags(fs: FieldState, old: number, effect: string): void {
    const fifo = fs.fifo!;
    fs.value = fifo.items[0] ?? fifo.last;
    if (old !== fs.value) this.onChange?.({ field: fs.path, old, new: fs.value, effect }, fs);
    if (fifo.nonEmpty) this.hwWrite(fifo.nonEmpty, fifo.items.length > 0 ? 1 : 0, effect);
    if (fifo.level) this.hwWrite(fifo.level, fifo.items.length, effect);
  }

  // ------------------------------------------------------------ internals

  setField(fs: FieldState, value: number, effect?: string): void {
    const old = fs.value;
    fs.value = value >>> 0;
    if (old !== fs.value) this.changed(fs, old, effect);
  }

  private changed(fs: FieldState, old: number, effect?: string): void {
    this.onChange?.({ field: fs.path, old, new: fs.value, ...(effect !== undefined ? { effect } : {}) }, fs);
  }
}
