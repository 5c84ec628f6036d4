import { onesBig } from '../../ir/bits.ts';
import type { AddressBlock, Dim, Field, FieldAccess, Register, RegisterNode, SourceSpan } from '../../ir/types.ts';
import { windowSwAccess } from './access.ts';
import { multiregKeys, registerKeys, windowKeys } from './keys.ts';
import { type BlockContext, type Signal, stringOrUndefined } from './block-context.ts';
import { type FieldTemplate, hexOf, RegisterTemplateReader, type RegisterTemplate } from './register-template.ts';
import { entryOf, valueOf, type ValueReader, type LocatedObject, type LocatedValue } from '../../yaml/index.ts';
import { reggenBoolean } from './booleans.ts';

/** Lays one register block out as reggen does (offsets, multiregs, windows, generated interrupt and alert registers). */
export class RegBlockBuilder {
  readonly registers: RegisterNode[] = [];
  private offset = 0;
  private readonly names = new Map<string, SourceSpan>();
  /** Register runs and windows, in address order, for the address blocks. */
  private readonly blocks: AddressBlock[] = [];
  private windowCount = 0;

  private readonly templates: RegisterTemplateReader;

  constructor(
    private readonly ctx: BlockContext,
    readonly peripheralName: string,
  ) {
    this.templates = new RegisterTemplateReader(ctx, peripheralName);
  }

  private get reader(): ValueReader {
    return this.ctx.reader;
  }

  addressBlocks(): AddressBlock[] {
    return this.blocks;
  }

  private claimName(name: string, span: SourceSpan): boolean {
    const previous = this.names.get(name.toLowerCase());
    if (previous) {
      this.ctx.reader.diagnostics.push({
        code: 'hjson/duplicate-name',
        severity: 'error',
        message: `${name} names something already defined in ${this.peripheralName}`,
        span,
        related: [{ message: 'defined here', span: previous }],
      });
      return false;
    }
    this.names.set(name.toLowerCase(), span);
    return true;
  }

  /** Extends the current `registers` address block, or starts one after a window or a gap. */
  private occupy(offset: number, size: number, usage: AddressBlock['usage']): void {
    const last = this.blocks[this.blocks.length - 1];
    if (usage === 'registers' && last?.usage === 'registers' && last.offset + last.size === offset) {
      this.blocks[this.blocks.length - 1] = { ...last, size: last.size + size };
    } else {
      this.blocks.push({ offset, size, usage });
    }
  }

  private push(register: Register, words: number): void {
    this.ctx.nodeCount += 1 + register.fields.length;
    this.registers.push(register);
    this.occupy(register.offset, words * this.ctx.addrSep, 'registers');
  }

  addEntry(value: LocatedValue): void {
    const entry = this.reader.object(value, 'a registers entry');
    if (!entry) return;
    const special = ['reserved', 'skipto', 'window', 'multireg'].filter((k) => entryOf(entry, k) !== undefined);
    if (special.length > 0 && entry.entries.length !== 1) {
      const other = entry.entries.find((e) => e.key !== special[0]);
      this.reader.error(
        'bad-entry',
        `an entry with ${JSON.stringify(special[0])} must have no other keys, but has ${JSON.stringify(other?.key)}`,
        other?.keySpan ?? entry.span,
      );
      return;
    }
    const body = special[0] === undefined ? undefined : valueOf(entry, special[0]);
    switch (special[0]) {
      case 'reserved':
        return this.reserved(body);
      case 'skipto':
        return this.skipto(body);
      case 'window':
        return this.window(body);
      case 'multireg':
        return this.multireg(body);
      default:
        return this.register(entry);
    }
  }

  private reserved(value: LocatedValue | undefined): void {
    const count = this.reader.integer(value, 'reserved');
    if (count === undefined || value === undefined) return;
    if (count === 0) this.reader.error('bad-reserved', 'reserved must be a positive number of registers', value.span);
    this.offset += count * this.ctx.addrSep;
  }

  private skipto(value: LocatedValue | undefined): void {
    const target = this.reader.integer(value, 'skipto');
    if (target === undefined || value === undefined) return;
    if (target < this.offset) {
      this.reader.error('bad-skipto', `skipto ${hexOf(target)} is below the current offset ${hexOf(this.offset)}`, value.span);
      return;
    }
    if (target % this.ctx.addrSep !== 0) {
      this.reader.error('bad-skipto', `skipto ${hexOf(target)} is not a multiple of the register size (${this.ctx.addrSep} bytes)`, value.span);
      return;
    }
    this.offset = target;
  }

  private register(entry: LocatedObject): void {
    const template = this.templates.template(entry, registerKeys, 'a register');
    if (!template || !this.claimName(template.name, template.span)) return;
    for (const f of template.fields) {
      if (f.resetPerCopy)
        this.reader.error('bad-resval', `resval of field ${f.name} of register ${template.name} uses multireg_idx outside a multireg`, f.resetPerCopy.span);
    }
    const path = `${this.peripheralName}.${template.name}`;
    const fields = template.fields.map((f) => this.field(f, path));
    this.push(this.makeRegister(template, template.name, path, this.offset, fields), 1);
    this.offset += this.ctx.addrSep;
  }

  private multireg(value: LocatedValue | undefined): void {
    const body = this.reader.object(value, 'multireg');
    if (!body) return;
    const template = this.templates.template(body, multiregKeys, 'a multireg');
    if (!template) return;
    const countValue = this.reader.required(body, 'count', `multireg ${template.name}`);
    const count = this.ctx.expression(countValue, `count of multireg ${template.name}`);
    this.reader.string(this.reader.required(body, 'cname', `multireg ${template.name}`), 'cname');
    if (count === undefined || countValue === undefined) return;
    if (count <= 0 || count > this.ctx.limits.maxDim) {
      this.reader.error(
        count <= 0 ? 'bad-multireg' : 'dim-too-large',
        `multireg ${template.name} has count ${count}; it must be between 1 and ${this.ctx.limits.maxDim}`,
        countValue.span,
      );
      return;
    }
    const regwenMulti = reggenBoolean(this.reader, valueOf(body, 'regwen_multi'), 'regwen_multi') ?? false;
    const compactValue = valueOf(body, 'compact');
    const compact = compactValue === undefined ? template.fields.length === 1 && !regwenMulti : (reggenBoolean(this.reader, compactValue, 'compact') ?? false);
    if (compact && (template.fields.length !== 1 || regwenMulti)) {
      this.reader.error(
        'bad-multireg',
        `multireg ${template.name} is compact but ${regwenMulti ? 'has regwen_multi' : 'has several fields'}; reggen packs only single-field multiregs`,
        compactValue?.span ?? countValue.span,
      );
      return;
    }
    const sep = this.ctx.addrSep;
    const field = template.fields[0] as FieldTemplate;
    const widthPerCopy = field.msb + 1;
    const perRegister = compact ? Math.floor(this.ctx.regWidth / widthPerCopy) : 1;
    if (perRegister === 1 && template.fields.some((f) => f.resetPerCopy)) {
      // A reset written in multireg_idx differs per copy, which one register array cannot say:
      // scalar registers NAME_0…NAME_{n-1}, as reggen names its copies, each with its own reset.
      for (let i = 0; i < count; i++) {
        const name = count > 1 ? `${template.name}_${i}` : template.name;
        if (!this.claimName(name, template.span)) return;
        const path = `${this.peripheralName}.${name}`;
        const fields = template.fields.map((f) => this.field(this.copyReset(f, template.name, i), path));
        this.push(this.makeRegister(template, name, path, this.offset, fields), 1);
        this.offset += sep;
      }
      return;
    }
    if (template.fields.some((f) => f.resetPerCopy)) {
      this.reader.error('bad-multireg', `multireg ${template.name} is compact, so its copies share one reset; its resval uses multireg_idx`, countValue.span);
      return;
    }
    if (perRegister === 1) {
      // One register per copy (also when a compact field is too wide to share a register):
      // a register array NAME_0…NAME_{n-1}, or plain NAME for a single copy.
      if (!this.claimName(template.name, template.span)) return;
      const path = `${this.peripheralName}.${template.name}`;
      const fields = template.fields.map((f) => this.field(f, path));
      const dim: Dim | undefined = count > 1 ? { count, stride: sep, namePattern: `${template.name}_%s` } : undefined;
      this.push(this.makeRegister(template, template.name, path, this.offset, fields, dim), count);
      this.offset += count * sep;
      return;
    }
    const registerCount = Math.ceil(count / perRegister);
    for (let r = 0; r < registerCount; r++) {
      const first = r * perRegister;
      const copies = Math.min(perRegister, count - first);
      const name = registerCount > 1 ? `${template.name}_${r}` : template.name;
      if (!this.claimName(name, template.span)) return;
      const path = `${this.peripheralName}.${name}`;
      const dim: Dim = {
        count: copies,
        stride: widthPerCopy,
        namePattern: `${field.name}_%s`,
        ...(first > 0 ? { indices: Array.from({ length: copies }, (_, i) => String(first + i)) } : {}),
      };
      this.push(this.makeRegister(template, name, path, this.offset, [this.field(field, path, dim)]), 1);
      this.offset += sep;
    }
  }

  private window(value: LocatedValue | undefined): void {
    const body = this.reader.object(value, 'window');
    if (!body) return;
    this.reader.unknownKeys(body, windowKeys, 'a window');
    const nameValue = valueOf(body, 'name');
    const name = nameValue === undefined ? `WINDOW${this.windowCount}` : this.reader.string(nameValue, 'window name');
    this.windowCount++;
    const span = nameValue?.span ?? body.span;
    const itemsValue = this.reader.required(body, 'items', 'a window');
    const items = this.ctx.expression(itemsValue, 'items of the window');
    const swValue = this.reader.required(body, 'swaccess', 'a window');
    const sw = this.reader.string(swValue, 'swaccess');
    const unusual = reggenBoolean(this.reader, valueOf(body, 'unusual'), 'unusual') ?? false;
    const validBitsValue = valueOf(body, 'validbits');
    const validBits = validBitsValue === undefined ? this.ctx.regWidth : this.reader.integer(validBitsValue, 'validbits');
    if (name === undefined || items === undefined || sw === undefined || validBits === undefined || itemsValue === undefined || swValue === undefined) return;
    if (items <= 0 || items > this.ctx.limits.maxDim) {
      this.reader.error(
        items <= 0 ? 'bad-window' : 'dim-too-large',
        `window ${name} has ${items} items; it must have between 1 and ${this.ctx.limits.maxDim}`,
        itemsValue.span,
      );
      return;
    }
    if (validBits === 0 || validBits > this.ctx.regWidth) {
      this.reader.error('bad-window', `window ${name} has validbits ${validBits}; it must be between 1 and ${this.ctx.regWidth}`, validBitsValue?.span ?? span);
      return;
    }
    const access = this.templates.swAccess(sw, swValue.span);
    if (!access) return;
    if (!windowSwAccess.has(sw) && !unusual) {
      this.reader.error('bad-window', `swaccess ${sw} is unusual for a window; reggen requires "unusual: true" for it`, swValue.span);
      return;
    }
    const sizeInBytes = items * this.ctx.addrSep;
    const po2 = 2 ** Math.ceil(Math.log2(sizeInBytes));
    if (po2 !== sizeInBytes && !unusual) {
      this.reader.error('bad-window', `window ${name} is ${sizeInBytes} bytes, not a power of two; reggen requires "unusual: true" for that`, itemsValue.span);
      return;
    }
    if (!this.claimName(name, span)) return;
    // reggen aligns the window base to its power-of-two size so an address decoder can use the low bits.
    this.offset = Math.ceil(this.offset / po2) * po2;
    const path = `${this.peripheralName}.${name}`;
    const description = stringOrUndefined(valueOf(body, 'desc'));
    const data: Field = { kind: 'field', name: 'DATA', path: `${path}.DATA`, span, lsb: 0, width: validBits, access: { ...access, hw: 'rw' } };
    const register: Register = {
      kind: 'register',
      name,
      path,
      span,
      ...(description !== undefined ? { description } : {}),
      offset: this.offset,
      size: this.ctx.regWidth,
      resetValue: 0n,
      resetMask: 0n,
      dim: { count: items, stride: this.ctx.addrSep },
      fields: [data],
    };
    this.ctx.nodeCount += 2;
    this.registers.push(register);
    this.occupy(this.offset, sizeInBytes, 'buffer');
    this.offset += sizeInBytes;
  }

  /** A field of multireg copy `index`, its `multireg_idx` reset evaluated (reported and left unreset when it does not fit). */
  private copyReset(t: FieldTemplate, registerName: string, index: number): FieldTemplate {
    if (!t.resetPerCopy) return t;
    const { resetPerCopy, ...rest } = t;
    const where = `resval of field ${t.name} of multireg ${registerName} (copy ${index})`;
    const reset = this.ctx.expression(resetPerCopy, where, { multireg_idx: index });
    if (reset === undefined) return rest;
    if (reset < 0 || reset >= 2 ** (t.msb - t.lsb + 1)) {
      this.reader.error('bad-resval', `${where} is ${reset}, which does not fit its ${t.msb - t.lsb + 1} bits`, resetPerCopy.span);
      return rest;
    }
    return { ...rest, reset };
  }

  private field(t: FieldTemplate, registerPath: string, dim?: Dim): Field {
    const path = `${registerPath}.${t.name}`;
    return {
      kind: 'field',
      name: t.name,
      path,
      span: t.span,
      ...(t.desc !== undefined ? { description: t.desc } : {}),
      lsb: t.lsb,
      width: t.msb - t.lsb + 1,
      access: t.access,
      ...(t.reset !== undefined ? { reset: BigInt(t.reset) } : {}),
      ...(t.enums ? { enums: t.enums.map((set) => ({ ...set, values: set.values.map((v) => ({ ...v, path: `${path}.${v.name}` })) })) } : {}),
      ...(dim ? { dim } : {}),
    };
  }

  private makeRegister(t: RegisterTemplate, name: string, path: string, offset: number, fields: Field[], dim?: Dim): Register {
    const { resetValue, resetMask } = resetOf(fields);
    return {
      kind: 'register',
      name,
      path,
      span: t.span,
      ...(t.desc !== undefined ? { description: t.desc } : {}),
      offset,
      size: this.ctx.regWidth,
      resetValue,
      resetMask,
      ...(dim ? { dim } : {}),
      fields,
    };
  }

  addInterruptRegisters(signals: readonly Signal[], span: SourceSpan): void {
    const p = this.peripheralName;
    this.generated('INTR_STATE', 'Interrupt State Register', span, signals, (s) => ({
      desc: s.desc,
      access: s.status ? { sw: 'r', hw: 'rw' } : { sw: 'rw', onWrite: 'woclr', hw: 'rw' },
      reset: s.reset,
      // Event interrupts latch until software clears them; status interrupts follow their source.
      interrupt: { kind: 'level', sticky: s.status ? 'nonsticky' : 'stickybit', enable: `${p}.INTR_ENABLE.${s.name}` },
    }));
    const which = (s: Signal): string => `${s.width > 1 ? 'corresponding bit in ' : ''}INTR_STATE.${s.name}`;
    this.generated('INTR_ENABLE', 'Interrupt Enable Register', span, signals, (s) => ({
      desc: `Enable interrupt when ${which(s)} is set.`,
      access: { sw: 'rw', hw: 'r' },
      reset: 0,
    }));
    this.generated('INTR_TEST', 'Interrupt Test Register', span, signals, (s) => ({
      desc: `Write 1 to force ${which(s)} to 1.`,
      access: { sw: 'w', hw: 'r' },
      reset: 0,
    }));
  }

  addAlertRegister(signals: readonly Signal[], span: SourceSpan): void {
    this.generated('ALERT_TEST', 'Alert Test Register', span, signals, () => ({
      desc: 'Write 1 to trigger one alert event of this kind.',
      access: { sw: 'w', hw: 'r' },
      reset: 0,
    }));
  }

  /** One register with a field per interrupt or alert, at the next offset. */
  private generated(
    name: string,
    description: string,
    span: SourceSpan,
    signals: readonly Signal[],
    shape: (s: Signal) => { desc: string | undefined; access: FieldAccess; reset: number; interrupt?: FieldAccess['interrupt'] },
  ): void {
    if (!this.claimName(name, span)) return;
    const path = `${this.peripheralName}.${name}`;
    const fields = signals.map((s): Field => {
      const { desc, access, reset, interrupt } = shape(s);
      return {
        kind: 'field',
        name: s.name,
        path: `${path}.${s.name}`,
        span: s.span,
        ...(desc !== undefined ? { description: desc } : {}),
        lsb: s.lsb,
        width: s.width,
        access: interrupt ? { ...access, interrupt } : access,
        reset: BigInt(reset),
      };
    });
    this.push(this.makeRegister({ name, span, desc: description, fields: [] }, name, path, this.offset, fields), 1);
    this.offset += this.ctx.addrSep;
  }
}

/** Register reset value and mask from its fields, counting every element of field arrays. */
export function resetOf(fields: readonly Field[]): { resetValue: bigint; resetMask: bigint } {
  let resetValue = 0n;
  let resetMask = 0n;
  for (const f of fields) {
    if (f.reset === undefined) continue;
    const count = f.dim?.count ?? 1;
    for (let i = 0; i < count; i++) {
      const lsb = f.lsb + (f.dim ? (f.dim.offsets?.[i] ?? i * f.dim.stride) : 0);
      resetValue |= f.reset << BigInt(lsb);
      resetMask |= onesBig(f.width) << BigInt(lsb);
    }
  }
  return { resetValue, resetMask };
}
