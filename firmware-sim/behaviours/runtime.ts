import type { DeviceModel, FieldState, RegisterState } from '../device-model.ts';
import { fieldOnes } from '../semantics.ts';
import type { Scheduler } from '../scheduler.ts';
import type { Action, Condition, ParsedBehaviour, Value } from './ast.ts';
import type { ParseOutput } from './parse.ts';

export interface RuntimeServices {
  readonly model: DeviceModel;
  readonly scheduler: Scheduler;
  emit(stream: string, data: Uint8Array): void;
}

/** What an action sees: the bus data of the access that triggered it, the input byte, counter steps. */
interface Context {
  readonly written?: { readonly register: RegisterState; readonly D: number; readonly S: number };
  readonly input?: number;
  /** A `count`/`incr`/`decr` earlier in the list wrapped / counted. */
  wrapped: boolean;
  counted: boolean;
}

const fresh = (): Context => ({ wrapped: false, counted: false });
/** The context of conditions evaluated outside any action (`irq when`): nothing written, no input. */
const NO_CONTEXT: Context = Object.freeze(fresh());

/**
 * Runs parsed behaviours against the device model. Every field an action names was resolved at
 * parse time, so the lookups here cannot fail.
 */
export class BehaviourRuntime {
  private readonly onWrite = new Map<RegisterState, ParsedBehaviour[]>();
  private readonly onRead = new Map<RegisterState, ParsedBehaviour[]>();
  private readonly onTask = new Map<RegisterState, ParsedBehaviour[]>();
  private readonly onInput = new Map<string, ParsedBehaviour[]>();
  private readonly onTick: ParsedBehaviour[] = [];
  private readonly onReset: ParsedBehaviour[] = [];
  private readonly always: ParsedBehaviour[] = [];
  /** The `always` behaviours that do something when run (not only `irq`/`hidden` declarations). */
  private readonly settling: ParsedBehaviour[] = [];
  /** `irq when …` declarations per peripheral: the line is high while any condition holds. */
  readonly irqConditions = new Map<string, Condition[]>();
  /** Prescaler state of each `count` action. */
  private readonly prescalers = new Map<Action, number>();

  constructor(
    private readonly services: RuntimeServices,
    parsed: ParseOutput,
  ) {
    const { model } = services;
    for (const decl of parsed.hidden) model.addHidden(model.device.peripherals.find((p) => p.name === decl.peripheral)!, decl.name, decl.width, decl.span);
    for (const decl of parsed.fifos) {
      const fs = model.field(decl.field)!;
      model.attachFifo(fs, {
        depth: decl.depth,
        ...(decl.overrun ? { overrun: model.field(decl.overrun)! } : {}),
        ...(decl.nonEmpty ? { nonEmpty: model.field(decl.nonEmpty)! } : {}),
        ...(decl.level ? { level: model.field(decl.level)! } : {}),
      });
    }
    for (const b of parsed.behaviours) {
      const add = <K>(map: Map<K, ParsedBehaviour[]>, key: K): void => void map.set(key, [...(map.get(key) ?? []), b]);
      switch (b.trigger.kind) {
        case 'write':
          add(this.onWrite, model.registerByPath(b.trigger.register)!);
          break;
        case 'read':
          add(this.onRead, model.registerByPath(b.trigger.register)!);
          break;
        case 'task':
          add(this.onTask, model.registerByPath(b.trigger.register)!);
          break;
        case 'input':
          add(this.onInput, b.trigger.stream);
          break;
        case 'tick':
          this.onTick.push(b);
          break;
        case 'reset':
          this.onReset.push(b);
          break;
        case 'always':
          this.always.push(b);
          if (b.actions.some((a) => a.kind !== 'irq' && a.kind !== 'hidden')) this.settling.push(b);
          break;
      }
      this.collectDeclarations(b.peripheral, b.actions);
    }
  }

  private collectDeclarations(peripheral: string, actions: readonly Action[]): void {
    for (const a of actions) {
      if (a.kind === 'irq') this.irqConditions.set(peripheral, [...(this.irqConditions.get(peripheral) ?? []), a.condition]);
      if (a.kind === 'push' && !this.services.model.field(a.field)!.fifo) this.services.model.attachFifo(this.services.model.field(a.field)!, { depth: 1 });
    }
  }

  /** True when ticks do work (counters, combinational `always` logic); otherwise time can jump. */
  get ticksMatter(): boolean {
    return this.onTick.length > 0 || this.always.length > 0;
  }

  hasInput(stream: string): boolean {
    return this.onInput.has(stream);
  }

  afterWrite(register: RegisterState, D: number, S: number): void {
    const list = this.onWrite.get(register);
    if (list) for (const b of list) this.run(b.actions, { ...fresh(), written: { register, D, S } });
    // A task runs when the write sets any bit of the register; writing 0 to a task does nothing.
    const tasks = (D & S) !== 0 ? this.onTask.get(register) : undefined;
    if (tasks) for (const b of tasks) this.run(b.actions, { ...fresh(), written: { register, D, S } });
  }

  afterRead(register: RegisterState): void {
    const list = this.onRead.get(register);
    if (list) for (const b of list) this.run(b.actions, fresh());
  }

  /** Delivers one input byte; false when no behaviour listens on the stream. */
  input(stream: string, byte: number): boolean {
    const list = this.onInput.get(stream);
    if (!list) return false;
    for (const b of list) this.run(b.actions, { ...fresh(), input: byte });
    return true;
  }

  tick(): void {
    for (const b of this.onTick) this.run(b.actions, fresh());
  }

  reset(): void {
    this.prescalers.clear();
    for (const b of this.onReset) this.run(b.actions, fresh());
  }

  /** Whether a software read of `register` triggers a behaviour. */
  readTriggers(register: RegisterState): boolean {
    return this.onRead.has(register);
  }

  /** Combinational logic, settled once after every access and every tick. */
  settle(): void {
    for (const b of this.settling) this.run(b.actions, fresh());
  }

  irqLevel(peripheral: string): boolean {
    return this.anyHolds(this.irqConditions.get(peripheral));
  }

  /** Whether any of a peripheral's `irq when` conditions (`irqConditions`) holds now. */
  anyHolds(conditions: readonly Condition[] | undefined): boolean {
    if (conditions === undefined) return false;
    for (const c of conditions) if (this.holds(c, NO_CONTEXT)) return true;
    return false;
  }

  // ------------------------------------------------------------ evaluation

  private fs(path: string): FieldState {
    return this.services.model.field(path)!;
  }

  private value(v: Value, ctx: Context): number {
    if (v.kind === 'const') return v.value;
    if (v.kind === 'input') return ctx.input ?? 0;
    if (v.kind === 'shift') return (this.value(v.value, ctx) * 2 ** Math.min(this.value(v.by, ctx), 32)) % 2 ** 32;
    return this.fieldValue(v.field, ctx);
  }

  private fieldValue(path: string, ctx: Context): number {
    const fs = this.fs(path);
    const w = ctx.written;
    // In a `write REG` behaviour, fields of REG read as the data on the bus (what was written).
    if (w && fs.register === w.register && ((w.S >>> fs.lsb) & fieldOnes(fs.width)) !== 0) return ((w.D >>> fs.lsb) & fieldOnes(fs.width)) >>> 0;
    return fs.value;
  }

  /** Evaluated after every access (interrupt lines): loops, no objects made per term. */
  private holds(condition: Condition, ctx: Context): boolean {
    for (const term of condition) {
      const v = this.fieldValue(term.field, ctx);
      let result = v !== 0;
      if (term.compare) {
        const other = this.value(term.compare.value, ctx);
        result = term.compare.op === '==' ? v === other : v !== other;
      }
      if (term.negate === result) return false;
    }
    return true;
  }

  private run(actions: readonly Action[], ctx: Context): void {
    for (const a of actions) this.apply(a, ctx);
  }

  private apply(a: Action, ctx: Context): void {
    const { model, scheduler } = this.services;
    switch (a.kind) {
      case 'set':
        model.hwWrite(this.fs(a.field), this.value(a.value, ctx), 'behaviour set');
        return;
      case 'pulse': {
        const fs = this.fs(a.field);
        model.hwWrite(fs, fieldOnes(fs.width), 'behaviour pulse');
        scheduler.schedule(1, () => model.hwWrite(fs, 0, 'pulse end'));
        return;
      }
      case 'toggle': {
        const fs = this.fs(a.field);
        model.hwWrite(fs, ~fs.value & fieldOnes(fs.width), 'behaviour toggle');
        return;
      }
      case 'setbits':
      case 'clearbits':
      case 'togglebits': {
        const fs = this.fs(a.field);
        const v = this.value(a.value, ctx);
        const next = a.kind === 'setbits' ? fs.value | v : a.kind === 'clearbits' ? fs.value & ~v : fs.value ^ v;
        model.hwWrite(fs, next >>> 0, `behaviour ${a.kind}`);
        return;
      }
      case 'emit': {
        const v = this.value(a.value, ctx);
        const width = a.value.kind === 'field' ? this.fs(a.value.field).width : v > 0xffff ? 32 : v > 0xff ? 16 : 8;
        const bytes = new Uint8Array(Math.ceil(width / 8));
        for (let i = 0; i < bytes.length; i++) bytes[i] = (v >>> (8 * i)) & 0xff;
        this.services.emit(a.stream, bytes);
        return;
      }
      case 'push':
        model.pushFifo(this.fs(a.field), this.value(a.value, ctx));
        return;
      case 'after': {
        // Values are taken now (the bus data is gone later); the action runs `ticks` later.
        const frozen: Context = { ...ctx };
        const inner = freeze(a.action, (v) => ({ kind: 'const', value: this.value(v, ctx) }));
        scheduler.schedule(this.value(a.ticks, ctx), () => this.apply(inner, frozen));
        return;
      }
      case 'irq':
      case 'hidden':
        return; // declarations: irqLevel() evaluates `irq when`, the constructor made the hidden state
      case 'count': {
        if (a.when && !this.holds(a.when, ctx)) return;
        const fs = this.fs(a.field);
        const skip = a.prescale ? this.value(a.prescale, ctx) : a.divide ? Math.max(this.value(a.divide, ctx), 1) - 1 : 0;
        if (skip > 0) {
          const count = (this.prescalers.get(a) ?? 0) + 1;
          if (count <= skip) {
            this.prescalers.set(a, count);
            return;
          }
          this.prescalers.set(a, 0);
        }
        const wrap = a.wrap ? this.value(a.wrap, ctx) : undefined;
        const step = a.down ? this.countDown(fs, wrap) : model.count(fs, 1, wrap);
        ctx.wrapped ||= step.overflow || step.underflow;
        ctx.counted = true;
        return;
      }
      case 'on-wrap':
        if (ctx.wrapped) this.apply(a.action, ctx);
        return;
      case 'on-count':
        if (ctx.counted) this.apply(a.action, ctx);
        return;
      case 'step': {
        const step = model.count(this.fs(a.field), a.direction * this.value(a.by, ctx));
        ctx.wrapped ||= step.overflow || step.underflow;
        ctx.counted = true;
        return;
      }
      case 'if':
        if (this.holds(a.condition, ctx)) this.apply(a.action, ctx);
        return;
    }
  }

  /** Down-counting timers reload from the wrap value when they pass zero. */
  private countDown(fs: FieldState, reload: number | undefined): { overflow: boolean; underflow: boolean } {
    const { model } = this.services;
    if (reload === undefined) return model.count(fs, -1);
    if (fs.value === 0) {
      model.setField(fs, reload & fieldOnes(fs.width), 'counter reload');
      return { overflow: false, underflow: true };
    }
    model.setField(fs, fs.value - 1, 'count');
    return { overflow: false, underflow: false };
  }
}

/** Replaces the values of an action (not of nested conditions) by constants taken now. */
function freeze(action: Action, now: (v: Value) => Value): Action {
  switch (action.kind) {
    case 'set':
    case 'setbits':
    case 'clearbits':
    case 'togglebits':
    case 'emit':
    case 'push':
      return { ...action, value: action.value.kind === 'const' ? action.value : now(action.value) };
    case 'after':
      return { ...action, action: freeze(action.action, now) };
    default:
      return action;
  }
}
