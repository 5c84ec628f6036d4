import type { Device, Field, Peripheral, SourceSpan } from '../src/ir/types.ts';
import { Status } from '../src/protocol/frame.ts';
import { applyStuck, decodeAccess, toAccess, type LanePart } from './bus-decode.ts';
import {
  POISON,
  type AccessOutcome,
  type Fifo,
  type FieldChange,
  type FieldHooks,
  type FieldState,
  type FifoOptions,
  type ModelOptions,
  type RegisterState,
} from './model-types.ts';
import { Prng } from './prng.ts';
import { addHiddenState, addPeripheral, emptyRegisterFile, type RegisterFile } from './register-file.ts';
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

export * from './model-types.ts';

const swReadable = (f: Field): boolean => f.access.sw === 'r' || f.access.sw === 'rw' || f.access.sw === 'rw1';
const swWritable = (f: Field): boolean => f.access.sw !== 'r' && f.access.sw !== 'na';
const writeOnce = (f: Field): boolean => f.access.sw === 'w1' || f.access.sw === 'rw1';

/**
 * The register file of one device, built from the IR: every access semantic of every field, byte
 * lanes, alignment and address decoding. Behaviours, time and the wire protocol sit on top
 * (simulator.ts); this class only knows bits.
 */
export class DeviceModel {
  private readonly file: RegisterFile = emptyRegisterFile();
  readonly registers: RegisterState[] = this.file.registers;
  readonly diagnostics = this.file.diagnostics;
  readonly interruptFields: FieldState[] = this.file.interruptFields;
  /** Hidden state of behaviours (no address; reset with the fields). */
  private readonly hidden: FieldState[] = [];
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
    for (const peripheral of device.peripherals) addPeripheral(this.file, peripheral);
    this.reset('power-on');
  }

  /** Declares hidden state (see register-file.ts); declaring the same name twice gives the same state. */
  addHidden(peripheral: Peripheral, name: string, width: number, span: SourceSpan): FieldState {
    const fs = addHiddenState(this.file, peripheral, name, width, span);
    if (!this.hidden.includes(fs)) this.hidden.push(fs);
    return fs;
  }

  /** Hidden state declared by behaviours, in declaration order (traces show it). */
  get hiddenStates(): readonly FieldState[] {
    return this.hidden;
  }

  field(path: string): FieldState | undefined {
    return this.file.fieldsByPath.get(path);
  }

  registerAt(address: number): RegisterState | undefined {
    return this.file.byteMap.get(address);
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
    for (const register of [...this.registers, ...this.hidden.map((h) => h.register)]) {
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

  private decode(address: number, width: number, data: number, bitMask: number): LanePart[] | number {
    return decodeAccess(this.file.byteMap, this.busErrorAddresses, address, width, data, bitMask);
  }

  /** An alias address (not itself a register) and the register address it stands for. */
  private alias(address: number): { readonly kind: 'set' | 'clear' | 'toggle'; readonly delta: number } | undefined {
    return this.file.byteMap.has(address) ? undefined : this.file.aliasMap.get(address);
  }

  read(address: number, width: number): AccessOutcome {
    // Reading an alias reads the register itself.
    const alias = this.alias(address);
    if (alias) return this.read(address - alias.delta, width);
    const parts = this.decode(address, width, 0, 0xffff_ffff);
    if (typeof parts === 'number') return { status: parts, value: 0 };
    let value = 0;
    for (const part of parts) value = (value | toAccess(part, this.readRegister(part.register, part.S))) >>> 0;
    return { status: Status.OK, value: applyStuck(this.stuckBits, address, width, value) };
  }

  /**
   * The value `read` would return, for a read that can have no side effect, without `read`'s lane
   * parts and outcome objects (the link's fast path for plain READs); -1 when the read needs
   * `read`: fault injection active, an alias, a bad width or alignment, an access spanning
   * registers or no register, a touched field that pops, clears, sets or calls a hook on read, or a
   * register whose `afterRead` does something. `quietAfterRead` tells that last one (read
   * behaviours and model hooks are the simulator's, not the model's).
   */
  readQuiet(address: number, width: number, quietAfterRead: (register: RegisterState) => boolean): number {
    if (this.busErrorAddresses.size !== 0 || this.stuckBits.size !== 0) return -1;
    if ((width !== 1 && width !== 2 && width !== 4) || address % width !== 0) return -1;
    const register = this.file.byteMap.get(address);
    if (register === undefined || address + width > register.address + register.bytes || !quietAfterRead(register)) return -1;
    const lane = (address - register.address) * 8;
    const S = width === 4 ? 0xffff_ffff : (((1 << (width * 8)) - 1) << lane) >>> 0;
    // visibleValue's loop, with the check that no touched field has a read side effect folded in.
    let value = 0;
    for (const fs of register.fields) {
      if (this.fieldBits(fs, S) === 0 || !swReadable(fs.field)) continue;
      if (fs.fifo || fs.field.access.onRead !== undefined) return -1;
      value = (value | ((fs.value & fieldOnes(fs.width)) << fs.lsb)) >>> 0;
    }
    return ((value & S) >>> 0) >>> lane;
  }

  /** The value a read would return, without any side effect (WAIT polling, MODIFY, traces). */
  peek(address: number, width: number): AccessOutcome {
    const alias = this.alias(address);
    if (alias) return this.peek(address - alias.delta, width);
    const parts = this.decode(address, width, 0, 0xffff_ffff);
    if (typeof parts === 'number') return { status: parts, value: 0 };
    let value = 0;
    for (const part of parts) value = (value | toAccess(part, this.visibleValue(part.register, part.S))) >>> 0;
    return { status: Status.OK, value: applyStuck(this.stuckBits, address, width, value) };
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

  /** The interrupt fields of a peripheral (fixed once the register file is built). */
  interruptFieldsOf(peripheral: Peripheral): FieldState[] {
    return this.interruptFields.filter((fs) => fs.register.peripheral === peripheral);
  }

  /**
   * Whether any of `fields` (a peripheral's interrupt fields, `interruptFieldsOf`) is pending and
   * enabled (value & enable, value & ~mask).
   */
  interruptPending(fields: readonly FieldState[]): boolean {
    for (const fs of fields) {
      if (fs.value === 0) continue;
      const irq = fs.field.access.interrupt!;
      const gate = (path: string | undefined): number | undefined => {
        if (path === undefined) return undefined;
        const other = this.file.fieldsByPath.get(path);
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
