import { ones } from '../../ir/bits.ts';
import type { EnumSet, FieldAccess, SourceSpan } from '../../ir/types.ts';
import { hwAccessMap, swAccessHints, swAccessMap } from './access.ts';
import { evaluateExpression } from './expression.ts';
import { enumKeys, fieldKeys } from './keys.ts';
import { type BlockContext, stringOrUndefined } from './block-context.ts';
import { valueOf, type ValueReader, type LocatedObject, type LocatedValue } from '../../yaml/index.ts';
import { reggenBoolean } from './booleans.ts';

/** A parsed field of a register template, before multireg replication. */
export interface FieldTemplate {
  readonly name: string;
  readonly span: SourceSpan;
  readonly desc?: string;
  readonly lsb: number;
  readonly msb: number;
  readonly access: FieldAccess;
  readonly reset?: number;
  /** A reset written as an expression of `multireg_idx`: evaluated for each copy of a multireg. */
  readonly resetPerCopy?: LocatedValue;
  readonly enums?: readonly EnumSet[];
}

/** A resval that reggen evaluates per multireg copy, with `multireg_idx` bound to the copy's index. */
export const usesMultiregIndex = (value: LocatedValue | undefined): boolean =>
  value?.kind === 'scalar' && typeof value.value === 'string' && /\bmultireg_idx\b/.test(value.value);

export interface RegisterTemplate {
  readonly name: string;
  readonly span: SourceSpan;
  readonly desc?: string;
  readonly fields: readonly FieldTemplate[];
}

/**
 * Reads one register description (a `registers` entry, a multireg's body) into a template: its
 * fields with bit ranges, software access, reset values and enums, checked against the register
 * width. Replication and placement are the register block's (reg-block.ts).
 */
export class RegisterTemplateReader {
  constructor(
    private readonly ctx: BlockContext,
    private readonly peripheralName: string,
  ) {}

  private get reader(): ValueReader {
    return this.ctx.reader;
  }

  /** Reads a register (or a multireg's base register) with its fields, checked as reggen does. */
  template(obj: LocatedObject, known: ReadonlySet<string>, what: string): RegisterTemplate | undefined {
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
    const hwext = reggenBoolean(reader, valueOf(obj, 'hwext'), 'hwext') ?? false;
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

  fieldTemplate(
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
    const resvalValue = valueOf(obj, 'resval');
    const perCopy = usesMultiregIndex(resvalValue) ? resvalValue : undefined;
    const reset = perCopy ? undefined : this.fieldReset(obj, where, bits, width, hwext, regResval, span);
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
      ...(perCopy ? { resetPerCopy: perCopy } : {}),
      ...(enums ? { enums } : {}),
    };
  }

  /** The field's reset, undefined for "not reset" (x), or false after reporting an error. */
  fieldReset(
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
    const mubi = reggenBoolean(reader, valueOf(obj, 'mubi'), 'mubi') ?? false;
    const fromRegister = regResval === undefined ? undefined : Math.floor(regResval / 2 ** bits.lsb) % 2 ** width;
    if (value === undefined) return fromRegister ?? (hwext ? undefined : 0);
    let reset: number | undefined;
    if (mubi) {
      const flag = reggenBoolean(reader, value, `resval of mubi ${where}`);
      if (flag === undefined) return false;
      if (width % 4 !== 0 || width > 32) {
        reader.error('bad-mubi', `mubi ${where} is ${width} bits wide; multi-bit booleans are 4 to 32 bits in whole nibbles`, span);
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

  bits(value: LocatedValue | undefined, where: string): { lsb: number; msb: number } | undefined {
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

  swAccess(key: string, span: SourceSpan): Pick<FieldAccess, 'sw' | 'onRead' | 'onWrite'> | undefined {
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

  enums(value: LocatedValue | undefined, where: string, width: number, fieldPath: string): EnumSet[] | undefined {
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
}

export function mubiValue(flag: boolean, width: number): number {
  let value = 0;
  for (let nibble = 0; nibble < width / 4; nibble++) {
    const even = nibble % 2 === 0;
    value += (flag === even ? 0x6 : 0x9) * 16 ** nibble;
  }
  return value;
}

export function hexOf(n: number): string {
  return `0x${n.toString(16)}`;
}
