import { ones } from '../../ir/bits.ts';
import type { BitSegment, EnumSet, Field, FieldAccess } from '../../ir/types.ts';
import { valueOf, type LocatedValue } from '../../yaml/index.ts';
import { ChiptoolModel, type Definition, fieldKeys, type Member, variantKeys } from './model.ts';

/** Fieldsets: fields with their bit offsets (split fields included), widths and enums. */
export class ChiptoolFields extends ChiptoolModel {
  protected fields(fieldset: Definition, registerPath: string, size: number, access: FieldAccess): Field[] {
    const out: Field[] = [];
    for (const member of this.members('fieldset', fieldset)) {
      const field = this.field(member, fieldset.name, registerPath, size, access);
      if (field) out.push(field);
    }
    return out;
  }

  protected field(member: Member, fieldsetName: string, registerPath: string, size: number, access: FieldAccess): Field | undefined {
    const { value: obj, name } = member;
    const where = `field ${name} of fieldset ${fieldsetName}`;
    this.reader.unknownKeys(obj, fieldKeys, where);
    const span = valueOf(obj, 'name')?.span ?? obj.span;
    const widthValue = this.reader.required(obj, 'bit_size', where);
    const width = this.reader.integer(widthValue, 'bit_size');
    const offsetValue = this.reader.required(obj, 'bit_offset', where);
    const placement = offsetValue === undefined ? undefined : this.bitOffset(offsetValue, where);
    const arrayValue = valueOf(obj, 'array');
    const dim = arrayValue === undefined ? undefined : this.dim(arrayValue, where, 'bits');
    if (width === undefined || placement === undefined || widthValue === undefined || offsetValue === undefined) return undefined;
    if (arrayValue !== undefined && dim === undefined) return undefined;
    if (width === 0) {
      this.reader.error('bad-bits', `${where} has bit_size 0`, widthValue.span);
      return undefined;
    }
    if (placement.segments) {
      const total = placement.segments.reduce((n, s) => n + s.width, 0);
      if (total !== width) {
        this.reader.error('bad-bits', `the bit ranges of ${where} hold ${total} bits but bit_size is ${width}`, offsetValue.span);
        return undefined;
      }
    }
    // The highest bit any element of the field uses must lie inside the register.
    const top = placement.segments ? Math.max(...placement.segments.map((s) => s.lsb + s.width)) : placement.lsb + width;
    const lastElement = dim ? (dim.offsets ? Math.max(...dim.offsets) : (dim.count - 1) * dim.stride) : 0;
    if (top + lastElement > size) {
      this.reader.error(
        'field-out-of-range',
        `${where} reaches bit ${top + lastElement - 1}, outside the ${size}-bit register ${registerPath}`,
        offsetValue.span,
      );
      return undefined;
    }
    const path = `${registerPath}.${name}`;
    const enums = this.enumOf(valueOf(obj, 'enum'), where, width, path);
    const description = this.text(valueOf(obj, 'description'));
    return {
      kind: 'field',
      name,
      path,
      span,
      ...(description !== undefined ? { description } : {}),
      lsb: placement.lsb,
      width,
      ...(placement.segments ? { segments: placement.segments } : {}),
      access,
      ...(enums ? { enums } : {}),
      ...(dim ? { dim } : {}),
    };
  }

  /** A bit number, or a list of `{start, end}` ranges (low logical bits first) for split fields. */
  protected bitOffset(value: LocatedValue, where: string): { lsb: number; segments?: BitSegment[] } | undefined {
    if (value.kind !== 'array') {
      const lsb = this.reader.integer(value, 'bit_offset');
      return lsb === undefined ? undefined : { lsb };
    }
    const segments: BitSegment[] = [];
    for (const item of value.items) {
      const range = this.reader.object(item, `a bit range of ${where}`);
      if (!range) return undefined;
      this.reader.unknownKeys(range, new Set(['start', 'end']), `a bit range of ${where}`);
      const start = this.reader.integer(this.reader.required(range, 'start', `a bit range of ${where}`), 'start');
      const end = this.reader.integer(this.reader.required(range, 'end', `a bit range of ${where}`), 'end');
      if (start === undefined || end === undefined) return undefined;
      if (end < start) {
        this.reader.error('bad-bits', `bit range ${start}..${end} of ${where} ends below its start`, range.span);
        return undefined;
      }
      segments.push({ lsb: start, width: end - start + 1 });
    }
    if (segments.length === 0) {
      this.reader.error('bad-bits', `${where} has an empty list of bit ranges`, value.span);
      return undefined;
    }
    const sorted = [...segments].sort((a, b) => a.lsb - b.lsb);
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1] as BitSegment;
      if (a.lsb + a.width > (sorted[i] as BitSegment).lsb) {
        this.reader.error('bad-bits', `the bit ranges of ${where} overlap`, value.span);
        return undefined;
      }
    }
    return { lsb: (sorted[0] as BitSegment).lsb, segments };
  }

  protected enumOf(value: LocatedValue | undefined, where: string, width: number, fieldPath: string): EnumSet[] | undefined {
    if (value === undefined) return undefined;
    const enumName = this.reader.string(value, 'enum');
    if (enumName === undefined) return undefined;
    const def = this.model.enums.get(enumName);
    if (!def) {
      this.reader.error('unknown-enum', `${where} uses enum ${enumName}, which this file does not define`, value.span);
      return undefined;
    }
    const values: EnumSet['values'][number][] = [];
    const variants = this.reader.array(this.reader.required(def.body, 'variants', `enum ${enumName}`), `variants of enum ${enumName}`);
    for (const item of variants?.items ?? []) {
      const variant = this.reader.object(item, `a variant of enum ${enumName}`);
      if (!variant) continue;
      this.reader.unknownKeys(variant, variantKeys, `a variant of enum ${enumName}`);
      const nameValue = this.reader.required(variant, 'name', `a variant of enum ${enumName}`);
      const name = this.reader.string(nameValue, 'variant name');
      const numberValue = this.reader.required(variant, 'value', `variant ${name ?? ''} of enum ${enumName}`);
      const n = this.reader.integer(numberValue, 'variant value');
      if (name === undefined || n === undefined || nameValue === undefined || numberValue === undefined) continue;
      if (n > ones(width)) {
        this.reader.error('bad-enum', `variant ${name} = ${n} of enum ${enumName} does not fit the ${width}-bit ${where}`, numberValue.span);
        continue;
      }
      const description = this.text(valueOf(variant, 'description'));
      values.push({ name, path: `${fieldPath}.${name}`, span: nameValue.span, value: n, ...(description !== undefined ? { description } : {}) });
    }
    return [{ name: enumName, span: def.keySpan, usage: 'read-write', values }];
  }
}
