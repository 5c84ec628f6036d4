import type { Diagnostic } from '../../diagnostics/types.ts';
import { ones, onesBig } from '../../ir/bits.ts';
import type { AddressBlock, Device, Dim, EnumSet, Field, FieldAccess, Interrupt, Peripheral, Register, RegisterNode, SourceSpan } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { hwAccessMap, swAccessHints, swAccessMap, windowSwAccess } from './access.ts';
import { evaluateExpression, parameterResolver, type NameResolver } from './expression.ts';
import { alertKeys, enumKeys, fieldKeys, interruptKeys, multiregKeys, paramKeys, registerKeys, topKeys, windowKeys } from './keys.ts';
import { entryOf, parseIntegerText, valueOf, ValueReader, type LocatedObject, type LocatedValue } from './located-value.ts';

/**
 * OpenTitan reggen hjson → IR, laying registers out the way reggen does (util/reggen/reg_block.py):
 *
 * - Offsets are implicit: each register takes `regwidth / 8` bytes after the previous one;
 *   `reserved: N` skips N registers, `skipto: A` jumps to A.
 * - With an `interrupt_list`, INTR_STATE / INTR_ENABLE / INTR_TEST come first (one field per
 *   interrupt, `width` bits each, packed from bit 0), then ALERT_TEST with an `alert_list`
 *   (unless `no_auto_intr_regs` / `no_auto_alert_regs`).
 * - `multireg` without compaction is a register array (`dim`, stride one register) named as reggen
 *   names the copies (`NAME_0`, `NAME_1`…); a count of 1 is a plain register `NAME`. Compacted
 *   multiregs (one field, reggen's default) put `regwidth / (msb+1)` copies in one register: a single
 *   register becomes one register with a field array; several become registers `NAME_0`… each with a
 *   field array whose `indices` are reggen's copy numbers (e.g. CMD_FILTER_1 holds filter_32…63).
 *   Field names keep their base name; reggen's `_N` suffix is the array index.
 * - A `window` is aligned to its power-of-two size and becomes a register array of `items` words
 *   (one field DATA of `validbits` bits) plus an address block of usage `buffer`.
 * - Field reset: the field's `resval`, else bits of the register `resval`, else 0 — except for
 *   `hwext` registers, whose fields are not reset ("x"), as in current reggen. `resval: "x"` is
 *   not reset. `mubi` fields take the multi-bit boolean encoding of a true/false resval.
 */
export function reggenToIr(root: LocatedValue, limits: ImportLimits, diagnostics: Diagnostic[]): Device | undefined {
  const reader = new ValueReader('hjson', diagnostics);
  const top = reader.object(root, 'the document');
  if (!top) return undefined;
  reader.unknownKeys(top, topKeys, 'the block description');
  const nameValue = reader.required(top, 'name', 'the block description');
  const name = reader.string(nameValue, 'name');
  if (name === undefined || nameValue === undefined) return undefined;

  const regWidthValue = valueOf(top, 'regwidth');
  const regWidth = regWidthValue === undefined ? 32 : reader.integer(regWidthValue, 'regwidth');
  if (regWidth === undefined) return undefined;
  if (regWidth % 8 !== 0 || regWidth === 0 || regWidth > 64) {
    reader.error('bad-regwidth', `regwidth ${regWidth} must be a positive multiple of 8 of at most 64`, regWidthValue?.span ?? nameValue.span);
    return undefined;
  }

  const context = new BlockContext(reader, name, regWidth, readParams(top, reader), limits);
  const registersValue = reader.required(top, 'registers', 'the block description');
  if (registersValue === undefined) return undefined;

  // The register list may also be a dictionary of named lists, one per bus interface (reggen's
  // "complicated syntax"); each becomes its own peripheral, the first keeping the block name.
  const blocks: { suffix: string; list: LocatedValue; span: SourceSpan }[] = [];
  if (registersValue.kind === 'object') {
    registersValue.entries.forEach((e, i) => blocks.push({ suffix: i === 0 ? '' : `_${e.key}`, list: e.value, span: e.keySpan }));
  } else {
    blocks.push({ suffix: '', list: registersValue, span: entryOf(top, 'registers')?.keySpan ?? registersValue.span });
  }

  const interrupts = readSignals(top, 'interrupt_list', reader, interruptKeys, regWidth);
  const alerts = readSignals(top, 'alert_list', reader, alertKeys, regWidth);
  const version = versionOf(top, reader);
  const description = stringOrUndefined(valueOf(top, 'one_line_desc') ?? valueOf(top, 'human_name'));

  const peripherals: Peripheral[] = [];
  blocks.forEach((block, index) => {
    const builder = new RegBlockBuilder(context, `${name}${block.suffix}`);
    if (index === 0) {
      if (interrupts.length > 0 && reader.boolean(valueOf(top, 'no_auto_intr_regs'), 'no_auto_intr_regs') !== true) {
        builder.addInterruptRegisters(interrupts, entryOf(top, 'interrupt_list')?.keySpan ?? nameValue.span);
      }
      if (alerts.length > 0 && reader.boolean(valueOf(top, 'no_auto_alert_regs'), 'no_auto_alert_regs') !== true) {
        builder.addAlertRegister(alerts, entryOf(top, 'alert_list')?.keySpan ?? nameValue.span);
      }
    }
    const list = reader.array(block.list, 'registers');
    for (const entry of list?.items ?? []) builder.addEntry(entry);
    peripherals.push({
      kind: 'peripheral',
      name: builder.peripheralName,
      path: builder.peripheralName,
      span: index === 0 ? nameValue.span : block.span,
      ...(description !== undefined ? { description } : {}),
      ...(version !== undefined ? { version } : {}),
      baseAddress: 0,
      addressBlocks: builder.addressBlocks(),
      interrupts:
        index === 0
          ? interrupts.map((s): Interrupt => ({ name: s.name, span: s.span, value: s.lsb, ...(s.desc !== undefined ? { description: s.desc } : {}) }))
          : [],
      registers: builder.registers,
      quantities: [],
      behaviours: [],
    });
  });

  if (context.nodeCount > limits.maxNodes) {
    reader.error('too-many-nodes', `${name} describes ${context.nodeCount} registers and fields; the limit is ${limits.maxNodes}`, nameValue.span);
  }
  return {
    kind: 'device',
    name,
    span: nameValue.span,
    ...(description !== undefined ? { description } : {}),
    ...(version !== undefined ? { version } : {}),
    width: regWidth,
    addressUnitBits: 8,
    clocks: [],
    peripherals,
    sourceFormat: 'hjson',
  };
}

function stringOrUndefined(value: LocatedValue | undefined): string | undefined {
  return value?.kind === 'scalar' && typeof value.value === 'string' ? value.value.trim() : undefined;
}

/** `version`, else the last entry of `revisions` (reggen lists them oldest first). */
function versionOf(top: LocatedObject, reader: ValueReader): string | undefined {
  const direct = stringOrUndefined(valueOf(top, 'version'));
  if (direct !== undefined) return direct;
  const revisions = valueOf(top, 'revisions');
  if (revisions?.kind !== 'array') return undefined;
  const last = reader.object(revisions.items[revisions.items.length - 1], 'a revision');
  return last === undefined ? undefined : stringOrUndefined(valueOf(last, 'version'));
}

function readParams(top: LocatedObject, reader: ValueReader): NameResolver {
  const defaults = new Map<string, string | number>();
  const list = reader.array(valueOf(top, 'param_list'), 'param_list');
  for (const item of list?.items ?? []) {
    const param = reader.object(item, 'a parameter');
    if (!param) continue;
    reader.unknownKeys(param, paramKeys, 'a parameter');
    const name = reader.string(reader.required(param, 'name', 'a parameter'), 'parameter name');
    const value = valueOf(param, 'default');
    if (name === undefined || value === undefined || value.kind !== 'scalar') continue;
    if (typeof value.value === 'number' || typeof value.value === 'string') defaults.set(name, value.value);
    else if (typeof value.value === 'boolean') defaults.set(name, value.value ? 1 : 0);
  }
  return parameterResolver(defaults);
}

interface Signal {
  readonly name: string;
  readonly desc?: string;
  readonly span: SourceSpan;
  readonly lsb: number;
  readonly width: number;
  readonly status: boolean;
  readonly reset: number;
}

/** Interrupts and alerts, packed from bit 0 in list order (reggen's Interrupt.from_raw_list). */
function readSignals(top: LocatedObject, key: string, reader: ValueReader, known: ReadonlySet<string>, regWidth: number): Signal[] {
  const list = reader.array(valueOf(top, key), key);
  const out: Signal[] = [];
  let lsb = 0;
  for (const item of list?.items ?? []) {
    const obj = reader.object(item, `an entry of ${key}`);
    if (!obj) continue;
    reader.unknownKeys(obj, known, `an entry of ${key}`);
    const nameValue = reader.required(obj, 'name', `an entry of ${key}`);
    const name = reader.string(nameValue, 'name');
    const widthValue = valueOf(obj, 'width');
    const width = widthValue === undefined ? 1 : reader.integer(widthValue, 'width');
    if (name === undefined || nameValue === undefined || width === undefined) continue;
    if (width === 0 || lsb + width > regWidth) {
      reader.error(
        'bad-signal-width',
        `${key} entry ${name} needs bits ${lsb + width - 1}:${lsb}, which do not fit a ${regWidth}-bit register`,
        widthValue?.span ?? nameValue.span,
      );
      continue;
    }
    const typeValue = valueOf(obj, 'type');
    const type = typeValue === undefined ? 'event' : reader.string(typeValue, 'type')?.toLowerCase();
    if (type !== undefined && type !== 'event' && type !== 'status') {
      reader.error('bad-interrupt-type', `interrupt type ${JSON.stringify(type)} must be "event" or "status"`, typeValue?.span ?? nameValue.span);
    }
    const defaultValue = valueOf(obj, 'default');
    const reset = defaultValue === undefined ? 0 : (reader.integer(defaultValue, 'default') ?? 0);
    const desc = stringOrUndefined(valueOf(obj, 'desc'));
    out.push({ name, span: nameValue.span, lsb, width, status: type === 'status', reset, ...(desc !== undefined ? { desc } : {}) });
    lsb += width;
  }
  return out;
}

/** Settings shared by every register block of one file. */
class BlockContext {
  nodeCount = 0;
  readonly addrSep: number;

  constructor(
    readonly reader: ValueReader,
    readonly blockName: string,
    readonly regWidth: number,
    readonly resolve: NameResolver,
    readonly limits: ImportLimits,
  ) {
    this.addrSep = regWidth / 8;
  }

  /** An integer that may be written as a parameter expression (`NumAdcFilter`, `NEndpoints+15`). */
  expression(value: LocatedValue | undefined, what: string): number | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'scalar' && typeof value.value === 'number') return value.value;
    const text = this.reader.string(value, what);
    if (text === undefined) return undefined;
    const direct = parseIntegerText(text);
    if (direct !== undefined) return direct;
    const result = evaluateExpression(text, this.resolve);
    if ('error' in result) {
      this.reader.error('bad-expression', `${what} ${JSON.stringify(text)}: ${result.error}`, value.span, { hint: 'parameters come from param_list defaults' });
      return undefined;
    }
    return result.value;
  }
}

/** A parsed field of a register template, before multireg replication. */
interface FieldTemplate {
  readonly name: string;
  readonly span: SourceSpan;
  readonly desc?: string;
  readonly lsb: number;
  readonly msb: number;
  readonly access: FieldAccess;
  readonly reset?: number;
  readonly enums?: readonly EnumSet[];
}

interface RegisterTemplate {
  readonly name: string;
  readonly span: SourceSpan;
  readonly desc?: string;
  readonly fields: readonly FieldTemplate[];
}

class RegBlockBuilder {
  readonly registers: RegisterNode[] = [];
  private offset = 0;
  private readonly names = new Map<string, SourceSpan>();
  /** Register runs and windows, in address order, for the address blocks. */
  private readonly blocks: AddressBlock[] = [];
  private windowCount = 0;

  constructor(
    private readonly ctx: BlockContext,
    readonly peripheralName: string,
  ) {}

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
    const template = this.template(entry, registerKeys, 'a register');
    if (!template || !this.claimName(template.name, template.span)) return;
    const path = `${this.peripheralName}.${template.name}`;
    const fields = template.fields.map((f) => this.field(f, path));
    this.push(this.makeRegister(template, template.name, path, this.offset, fields), 1);
    this.offset += this.ctx.addrSep;
  }

  private multireg(value: LocatedValue | undefined): void {
    const body = this.reader.object(value, 'multireg');
    if (!body) return;
    const template = this.template(body, multiregKeys, 'a multireg');
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
    const regwenMulti = this.reader.boolean(valueOf(body, 'regwen_multi'), 'regwen_multi') ?? false;
    const compactValue = valueOf(body, 'compact');
    const compact = compactValue === undefined ? template.fields.length === 1 && !regwenMulti : (this.reader.boolean(compactValue, 'compact') ?? false);
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
    const unusual = this.reader.boolean(valueOf(body, 'unusual'), 'unusual') ?? false;
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
    const access = this.swAccess(sw, swValue.span);
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

  /** Reads a register (or a multireg's base register) with its fields, checked as reggen does. */
  private template(obj: LocatedObject, known: ReadonlySet<string>, what: string): RegisterTemplate | undefined {
    const reader = this.reader;
    reader.unknownKeys(obj, known, what);
    const nameValue = reader.required(obj, 'name', what);
    const name = reader.string(nameValue, `name of ${what}`);
    if (name === undefined || nameValue === undefined) return undefined;
    const where = `register ${name}`;
    const swValue = valueOf(obj, 'swaccess');
    const hwValue = valueOf(obj, 'hwaccess');
    const defaultSw = swValue === undefined ? 'none' : reader.string(swValue, 'swaccess');
    const defaultHw = hwValue === undefined ? 'hro' : reader.string(hwValue, 'hwaccess');
    const hwext = reader.boolean(valueOf(obj, 'hwext'), 'hwext') ?? false;
    const resvalValue = valueOf(obj, 'resval');
    const regResval = resvalValue === undefined ? undefined : reader.integer(resvalValue, `resval of ${where}`);
    if (regResval !== undefined && regResval > ones(this.ctx.regWidth)) {
      reader.error('bad-resval', `resval ${hexOf(regResval)} of ${where} does not fit ${this.ctx.regWidth} bits`, resvalValue?.span ?? nameValue.span);
    }
    const fieldsValue = reader.required(obj, 'fields', where);
    const list = reader.array(fieldsValue, `fields of ${where}`);
    if (!list || defaultSw === undefined || defaultHw === undefined) return undefined;
    if (list.items.length === 0) {
      reader.error('no-fields', `${where} has no fields`, list.span);
      return undefined;
    }
    const fields: FieldTemplate[] = [];
    let used = 0n;
    const seen = new Map<string, SourceSpan>();
    list.items.forEach((item, index) => {
      const field = this.fieldTemplate(
        item,
        index,
        list.items.length,
        name,
        defaultSw,
        defaultHw,
        swValue?.span ?? nameValue.span,
        hwValue?.span ?? nameValue.span,
        hwext,
        regResval,
      );
      if (!field) return;
      const previous = seen.get(field.name);
      if (previous) {
        reader.diagnostics.push({
          code: 'hjson/duplicate-field',
          severity: 'error',
          message: `${where} has two fields called ${field.name}`,
          span: field.span,
          related: [{ message: 'first defined here', span: previous }],
        });
        return;
      }
      const mask = ((1n << BigInt(field.msb + 1)) - 1n) ^ ((1n << BigInt(field.lsb)) - 1n);
      if ((used & mask) !== 0n) {
        reader.error('field-overlap', `field ${field.name} of ${where} uses bits already used by another field`, field.span);
        return;
      }
      used |= mask;
      seen.set(field.name, field.span);
      fields.push(field);
    });
    if (fields.length !== list.items.length) return undefined;
    const desc = stringOrUndefined(valueOf(obj, 'desc'));
    return { name, span: nameValue.span, ...(desc !== undefined ? { desc } : {}), fields };
  }

  private fieldTemplate(
    value: LocatedValue,
    index: number,
    fieldCount: number,
    registerName: string,
    defaultSw: string,
    defaultHw: string,
    defaultSwSpan: SourceSpan,
    defaultHwSpan: SourceSpan,
    hwext: boolean,
    regResval: number | undefined,
  ): FieldTemplate | undefined {
    const reader = this.reader;
    const obj = reader.object(value, `field ${index} of register ${registerName}`);
    if (!obj) return undefined;
    reader.unknownKeys(obj, fieldKeys, 'a field');
    const nameValue = valueOf(obj, 'name');
    // reggen's default names: the register's name for a lone field, else field1, field2, ...
    const name = nameValue === undefined ? (fieldCount > 1 ? `field${index + 1}` : registerName) : reader.string(nameValue, 'field name');
    const span = nameValue?.span ?? obj.span;
    const where = `field ${name ?? index} of register ${registerName}`;
    const bits = this.bits(reader.required(obj, 'bits', where), where);
    const swValue = valueOf(obj, 'swaccess');
    const hwValue = valueOf(obj, 'hwaccess');
    const swKey = swValue === undefined ? defaultSw : reader.string(swValue, 'swaccess');
    const hwKey = hwValue === undefined ? defaultHw : reader.string(hwValue, 'hwaccess');
    const sw = swKey === undefined ? undefined : this.swAccess(swKey, swValue?.span ?? defaultSwSpan);
    const hw = hwKey === undefined ? undefined : hwAccessMap[hwKey];
    if (hwKey !== undefined && hw === undefined) {
      reader.error('bad-hwaccess', `hwaccess ${JSON.stringify(hwKey)} is not one of ${Object.keys(hwAccessMap).join(', ')}`, hwValue?.span ?? defaultHwSpan);
    }
    if (name === undefined || !bits || !sw || !hw) return undefined;
    const width = bits.msb - bits.lsb + 1;
    const reset = this.fieldReset(obj, where, bits, width, hwext, regResval, span);
    if (reset === false) return undefined;
    const enums = this.enums(valueOf(obj, 'enum'), where, width, `${this.peripheralName}.${registerName}.${name}`);
    const desc = stringOrUndefined(valueOf(obj, 'desc'));
    return {
      name,
      span,
      ...(desc !== undefined ? { desc } : {}),
      lsb: bits.lsb,
      msb: bits.msb,
      access: { ...sw, hw },
      ...(reset !== undefined ? { reset } : {}),
      ...(enums ? { enums } : {}),
    };
  }

  /** The field's reset, undefined for "not reset" (x), or false after reporting an error. */
  private fieldReset(
    obj: LocatedObject,
    where: string,
    bits: { lsb: number; msb: number },
    width: number,
    hwext: boolean,
    regResval: number | undefined,
    span: SourceSpan,
  ): number | undefined | false {
    const reader = this.reader;
    const value = valueOf(obj, 'resval');
    const mubi = reader.boolean(valueOf(obj, 'mubi'), 'mubi') ?? false;
    const fromRegister = regResval === undefined ? undefined : Math.floor(regResval / 2 ** bits.lsb) % 2 ** width;
    if (value === undefined) return fromRegister ?? (hwext ? undefined : 0);
    let reset: number | undefined;
    if (mubi) {
      const flag = reader.boolean(value, `resval of mubi ${where}`);
      if (flag === undefined) return false;
      if (width % 4 !== 0 || width > 16) {
        reader.error('bad-mubi', `mubi ${where} is ${width} bits wide; multi-bit booleans are 4, 8, 12 or 16 bits`, span);
        return false;
      }
      reset = mubiValue(flag, width);
    } else if (value.kind === 'scalar' && typeof value.value === 'string' && value.value.trim().toLowerCase() === 'x') {
      if (regResval !== undefined) {
        reader.error('bad-resval', `resval of ${where} is "x" but the register gives a resval too`, value.span);
        return false;
      }
      return undefined;
    } else {
      reset = reader.integer(value, `resval of ${where}`);
      if (reset === undefined) return false;
    }
    if (reset > ones(width)) {
      reader.error('bad-resval', `resval ${reset} of ${where} does not fit its ${width} bits`, value.span);
      return false;
    }
    if (fromRegister !== undefined && fromRegister !== reset) {
      reader.error(
        'bad-resval',
        `resval ${reset} of ${where} disagrees with the register resval, whose bits ${bits.msb}:${bits.lsb} give ${fromRegister}`,
        value.span,
      );
      return false;
    }
    return reset;
  }

  private bits(value: LocatedValue | undefined, where: string): { lsb: number; msb: number } | undefined {
    if (value === undefined) return undefined;
    let msb: number | undefined;
    let lsb: number | undefined;
    const text = value.kind === 'scalar' && typeof value.value === 'number' ? String(value.value) : this.reader.string(value, `bits of ${where}`);
    if (text === undefined) return undefined;
    if (/^\s*\d+\s*$/.test(text)) {
      msb = lsb = Number(text);
    } else {
      const parts = text.split(':');
      if (parts.length !== 2) {
        this.reader.error('bad-bits', `bits ${JSON.stringify(text)} of ${where} must be "msb:lsb" or a bit number`, value.span);
        return undefined;
      }
      const resolved = parts.map((p) => evaluateExpression(p, this.ctx.resolve));
      for (const r of resolved) {
        if ('error' in r) {
          this.reader.error('bad-bits', `bits ${JSON.stringify(text)} of ${where}: ${r.error}`, value.span, {
            hint: 'parameters come from param_list defaults',
          });
          return undefined;
        }
      }
      [msb, lsb] = resolved.map((r) => ('value' in r ? r.value : 0));
    }
    if (msb === undefined || lsb === undefined) return undefined;
    if (lsb < 0 || msb < lsb) {
      this.reader.error('bad-bits', `bits ${JSON.stringify(text)} of ${where} give msb ${msb} below lsb ${lsb}`, value.span);
      return undefined;
    }
    if (msb >= this.ctx.regWidth) {
      this.reader.error('bad-bits', `bits ${JSON.stringify(text)} of ${where} reach bit ${msb}, outside the ${this.ctx.regWidth}-bit register`, value.span);
      return undefined;
    }
    return { lsb, msb };
  }

  private swAccess(key: string, span: SourceSpan): Pick<FieldAccess, 'sw' | 'onRead' | 'onWrite'> | undefined {
    const access = swAccessMap[key];
    if (access) return access;
    const hint = swAccessHints[key];
    this.reader.error(
      'bad-swaccess',
      `swaccess ${JSON.stringify(key)} is not one of ${Object.keys(swAccessMap).join(', ')}`,
      span,
      hint ? { hint: `did you mean ${hint}?` } : {},
    );
    return undefined;
  }

  private enums(value: LocatedValue | undefined, where: string, width: number, fieldPath: string): EnumSet[] | undefined {
    const list = this.reader.array(value, `enum of ${where}`);
    if (!list || value === undefined) return undefined;
    const values: EnumSet['values'][number][] = [];
    const seen = new Map<number, string>();
    for (const item of list.items) {
      const obj = this.reader.object(item, `an enum entry of ${where}`);
      if (!obj) continue;
      this.reader.unknownKeys(obj, enumKeys, 'an enum entry');
      const nameValue = this.reader.required(obj, 'name', `an enum entry of ${where}`);
      const name = this.reader.string(nameValue, 'enum name');
      const valueNode = this.reader.required(obj, 'value', `an enum entry of ${where}`);
      const n = this.reader.integer(valueNode, 'enum value');
      if (name === undefined || n === undefined || nameValue === undefined || valueNode === undefined) continue;
      if (n > ones(width)) {
        this.reader.error('bad-enum', `enum value ${name} = ${n} does not fit the ${width}-bit ${where}`, valueNode.span);
        continue;
      }
      const other = seen.get(n);
      if (other !== undefined) {
        this.reader.error('bad-enum', `enum values ${other} and ${name} of ${where} are both ${n}`, valueNode.span);
        continue;
      }
      seen.set(n, name);
      const desc = stringOrUndefined(valueOf(obj, 'desc'));
      values.push({ name, path: `${fieldPath}.${name}`, span: nameValue.span, value: n, ...(desc !== undefined ? { description: desc } : {}) });
    }
    return [{ span: value.span, usage: 'read-write', values }];
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

/** OpenTitan multi-bit booleans: nibbles alternate 6 and 9 from the low end for true, 9 and 6 for false. */
export function mubiValue(flag: boolean, width: number): number {
  let value = 0;
  for (let nibble = 0; nibble < width / 4; nibble++) {
    const even = nibble % 2 === 0;
    value += (flag === even ? 0x6 : 0x9) * 16 ** nibble;
  }
  return value;
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

function hexOf(n: number): string {
  return `0x${n.toString(16)}`;
}
