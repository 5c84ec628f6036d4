import type { Diagnostic } from '../../diagnostics/types.ts';
import { ones } from '../../ir/bits.ts';
import type { BitSegment, Cluster, Device, Dim, EnumSet, Field, FieldAccess, Peripheral, Register, RegisterNode, SourceSpan } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { valueOf, ValueReader, type LocatedObject, type LocatedValue } from '../hjson/index.ts';

/**
 * chiptool YAML (embassy-rs/stm32-data `data/registers/*.yaml`) → IR.
 *
 * - Top-level keys are `block/NAME`, `fieldset/NAME`, `enum/NAME`.
 * - `extends` (blocks and fieldsets) is resolved as chiptool's ExpandExtends does: the parent's
 *   items/fields whose names the child does not define are appended after the child's own, along
 *   the whole chain.
 * - Which blocks become peripherals: every block that no other block of the file uses as a sub-block
 *   (`block:` item). Those are the register blocks chips instantiate (USART and LPUART, TIM_BASIC…
 *   TIM_ADV, including extends bases such as TIM_CORE); each becomes a peripheral at base 0, since
 *   a register-block file carries no addresses. Sub-blocks become clusters.
 * - Registers without a `fieldset` are plain `bit_size` registers with no fields.
 * - `access: Read|Write` makes every field read-only / write-only; chiptool says nothing about
 *   hardware access, so fields are `hw: rw` (hardware may read and update them), and nothing about
 *   reset values, so registers have resetMask 0.
 * - A register that starts at the same offset as an earlier one of its block (CCMR_Input and
 *   CCMR_Output) is marked `alternateOf` that register: a deliberate overlap, as SVD says it.
 */
export function chiptoolToIr(root: LocatedValue, deviceName: string, limits: ImportLimits, diagnostics: Diagnostic[]): Device | undefined {
  const reader = new ValueReader('chiptool', diagnostics);
  const top = reader.object(root, 'a chiptool file');
  if (!top) return undefined;
  const model = collect(top, reader);
  const converter = new Converter(model, reader, limits);
  const peripherals: Peripheral[] = [];
  for (const [name, block] of model.blocks) {
    if (model.subBlocks.has(name)) continue;
    peripherals.push(converter.peripheral(name, block));
  }
  if (converter.nodeCount > limits.maxNodes) {
    reader.error('too-many-nodes', `the file describes ${converter.nodeCount} registers and fields; the limit is ${limits.maxNodes}`, top.span);
  }
  return {
    kind: 'device',
    name: deviceName,
    span: top.span,
    width: 32,
    addressUnitBits: 8,
    clocks: [],
    peripherals,
    sourceFormat: 'chiptool',
  };
}

interface Definition {
  readonly name: string;
  readonly keySpan: SourceSpan;
  readonly body: LocatedObject;
}

interface Model {
  readonly blocks: Map<string, Definition>;
  readonly fieldsets: Map<string, Definition>;
  readonly enums: Map<string, Definition>;
  /** Blocks used as a `block:` item somewhere. */
  readonly subBlocks: Set<string>;
}

const blockKeys = new Set(['description', 'extends', 'items']);
const itemKeys = new Set(['name', 'description', 'byte_offset', 'fieldset', 'block', 'array', 'access', 'bit_size']);
const fieldsetKeys = new Set(['description', 'extends', 'bit_size', 'fields']);
const fieldKeys = new Set(['name', 'description', 'bit_offset', 'bit_size', 'enum', 'array']);
const enumKeys = new Set(['description', 'bit_size', 'variants']);
const variantKeys = new Set(['name', 'description', 'value']);
const arrayKeys = new Set(['len', 'stride', 'offsets']);

function collect(top: LocatedObject, reader: ValueReader): Model {
  const model: Model = { blocks: new Map(), fieldsets: new Map(), enums: new Map(), subBlocks: new Set() };
  for (const entry of top.entries) {
    const slash = entry.key.indexOf('/');
    const kind = slash === -1 ? '' : entry.key.slice(0, slash);
    const name = entry.key.slice(slash + 1);
    const table = kind === 'block' ? model.blocks : kind === 'fieldset' ? model.fieldsets : kind === 'enum' ? model.enums : undefined;
    if (!table || name === '') {
      reader.error('unknown-kind', `top-level key ${JSON.stringify(entry.key)} must be block/NAME, fieldset/NAME or enum/NAME`, entry.keySpan);
      continue;
    }
    const body = reader.object(entry.value, entry.key);
    if (!body) continue;
    reader.unknownKeys(body, kind === 'block' ? blockKeys : kind === 'fieldset' ? fieldsetKeys : enumKeys, entry.key);
    table.set(name, { name, keySpan: entry.keySpan, body });
  }
  for (const block of model.blocks.values()) {
    for (const item of reader.array(valueOf(block.body, 'items'), `items of block ${block.name}`)?.items ?? []) {
      const sub = item.kind === 'object' ? valueOf(item, 'block') : undefined;
      if (sub?.kind === 'scalar' && typeof sub.value === 'string') model.subBlocks.add(sub.value);
    }
  }
  return model;
}

/** An item or field with the definition it came from (own, or inherited through `extends`). */
interface Member {
  readonly value: LocatedObject;
  readonly name: string;
}

class Converter {
  nodeCount = 0;
  /** Resolved member lists, so a fieldset used by many registers is expanded once. */
  private readonly expanded = new Map<string, Member[]>();
  private readonly reportedMissing = new Set<string>();

  constructor(
    private readonly model: Model,
    private readonly reader: ValueReader,
    private readonly limits: ImportLimits,
  ) {}

  peripheral(name: string, block: Definition): Peripheral {
    const description = this.text(valueOf(block.body, 'description'));
    return {
      kind: 'peripheral',
      name,
      path: name,
      span: block.keySpan,
      ...(description !== undefined ? { description } : {}),
      baseAddress: 0,
      addressBlocks: [],
      interrupts: [],
      registers: this.blockItems(block, name, [name]),
      quantities: [],
      behaviours: [],
    };
  }

  private text(value: LocatedValue | undefined): string | undefined {
    return value?.kind === 'scalar' && value.value !== null ? String(value.value) : undefined;
  }

  /**
   * Own members, then the parent's (along the `extends` chain) whose names are not taken yet —
   * chiptool's ExpandExtends order. A cycle or an unknown parent is reported at the `extends` value.
   */
  private members(kind: 'block' | 'fieldset', def: Definition): Member[] {
    const cacheKey = `${kind}/${def.name}`;
    const cached = this.expanded.get(cacheKey);
    if (cached) return cached;
    const table = kind === 'block' ? this.model.blocks : this.model.fieldsets;
    const listKey = kind === 'block' ? 'items' : 'fields';
    const out: Member[] = [];
    const taken = new Set<string>();
    const chain = new Set<string>();
    let current: Definition | undefined = def;
    while (current) {
      chain.add(current.name);
      for (const item of this.reader.array(valueOf(current.body, listKey), `${listKey} of ${kind} ${current.name}`)?.items ?? []) {
        const obj = this.reader.object(item, `an entry of ${listKey} of ${kind} ${current.name}`);
        if (!obj) continue;
        const name = this.reader.string(this.reader.required(obj, 'name', `an entry of ${kind} ${current.name}`), 'name');
        if (name === undefined) continue;
        if (taken.has(name)) {
          if (current === def) this.reader.error('duplicate-name', `${kind} ${def.name} defines ${name} twice`, obj.span);
          continue;
        }
        taken.add(name);
        out.push({ value: obj, name });
      }
      const parentValue = valueOf(current.body, 'extends');
      if (parentValue === undefined) break;
      const parentName = this.reader.string(parentValue, 'extends');
      if (parentName === undefined) break;
      const parent = table.get(parentName);
      if (!parent) {
        this.reportOnce(
          `extends:${kind}/${current.name}`,
          'unknown-extends',
          `${kind} ${current.name} extends ${parentName}, which this file does not define`,
          parentValue.span,
        );
        break;
      }
      if (chain.has(parentName)) {
        this.reportOnce(
          `cycle:${kind}/${current.name}`,
          'extends-cycle',
          `${kind} ${current.name} extends ${parentName}, which leads back to ${current.name}`,
          parentValue.span,
        );
        break;
      }
      current = parent;
    }
    this.expanded.set(cacheKey, out);
    return out;
  }

  private reportOnce(key: string, code: string, message: string, span: SourceSpan): void {
    if (this.reportedMissing.has(key)) return;
    this.reportedMissing.add(key);
    this.reader.error(code, message, span);
  }

  /** `stack` holds the blocks being expanded, to refuse a block that contains itself. */
  private blockItems(block: Definition, parentPath: string, stack: readonly string[]): RegisterNode[] {
    if (stack.length > this.limits.maxDepth) {
      this.reader.error('too-deep', `blocks nest deeper than ${this.limits.maxDepth} levels`, block.keySpan);
      return [];
    }
    const nodes: RegisterNode[] = [];
    const firstAtOffset = new Map<number, string>();
    for (const member of this.members('block', block)) {
      const node = this.item(member, parentPath, stack, firstAtOffset);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  private item(member: Member, parentPath: string, stack: readonly string[], firstAtOffset: Map<number, string>): RegisterNode | undefined {
    const { value: item, name } = member;
    const where = `item ${name} of ${parentPath}`;
    this.reader.unknownKeys(item, itemKeys, where);
    const offset = this.reader.integer(this.reader.required(item, 'byte_offset', where), 'byte_offset');
    const description = this.text(valueOf(item, 'description'));
    const arrayValue = valueOf(item, 'array');
    const dim = arrayValue === undefined ? undefined : this.dim(arrayValue, where, 'bytes');
    const fieldsetValue = valueOf(item, 'fieldset');
    const blockValue = valueOf(item, 'block');
    const span = valueOf(item, 'name')?.span ?? item.span;
    const path = `${parentPath}.${name}`;
    if (offset === undefined || (arrayValue !== undefined && dim === undefined)) return undefined;
    if (fieldsetValue !== undefined && blockValue !== undefined) {
      this.reader.error('bad-item', `${where} has both fieldset and block; an item is either a register or a sub-block`, span);
      return undefined;
    }
    if (blockValue !== undefined) {
      const subName = this.reader.string(blockValue, 'block');
      if (subName === undefined) return undefined;
      const sub = this.model.blocks.get(subName);
      if (!sub) {
        this.reader.error('unknown-block', `${where} uses block ${subName}, which this file does not define`, blockValue.span);
        return undefined;
      }
      if (stack.includes(subName)) {
        this.reader.error('block-cycle', `block ${subName} contains itself (${[...stack, subName].join(' → ')})`, blockValue.span);
        return undefined;
      }
      const children = this.blockItems(sub, path, [...stack, subName]);
      const cluster: Cluster = {
        kind: 'cluster',
        name,
        path,
        span,
        ...(description !== undefined ? { description } : {}),
        offset,
        byteSize: extentOf(children),
        ...(dim ? { dim } : {}),
        children,
      };
      return cluster;
    }
    const sizeValue = valueOf(item, 'bit_size');
    const size = sizeValue === undefined ? 32 : this.reader.integer(sizeValue, 'bit_size');
    if (size === undefined) return undefined;
    if (size === 0 || size > 64 || size % 8 !== 0) {
      this.reader.error('bad-size', `${where} has bit_size ${size}; registers are 8, 16, 32 or 64 bits`, sizeValue?.span ?? span);
      return undefined;
    }
    const accessValue = valueOf(item, 'access');
    const accessText = accessValue === undefined ? 'ReadWrite' : this.reader.string(accessValue, 'access');
    const sw = accessText === 'Read' ? 'r' : accessText === 'Write' ? 'w' : accessText === 'ReadWrite' ? 'rw' : undefined;
    if (sw === undefined) {
      if (accessText !== undefined)
        this.reader.error('bad-access', `access ${JSON.stringify(accessText)} of ${where} must be Read, Write or ReadWrite`, accessValue?.span ?? span);
      return undefined;
    }
    let fields: Field[] = [];
    if (fieldsetValue !== undefined) {
      const fsName = this.reader.string(fieldsetValue, 'fieldset');
      const fieldset = fsName === undefined ? undefined : this.model.fieldsets.get(fsName);
      if (!fieldset) {
        if (fsName !== undefined)
          this.reader.error('unknown-fieldset', `${where} uses fieldset ${fsName}, which this file does not define`, fieldsetValue.span);
        return undefined;
      }
      fields = this.fields(fieldset, path, size, { sw, hw: 'rw' });
    }
    const alternate = firstAtOffset.get(offset);
    if (alternate === undefined) firstAtOffset.set(offset, name);
    this.nodeCount += 1 + fields.length;
    const register: Register = {
      kind: 'register',
      name,
      path,
      span,
      ...(description !== undefined ? { description } : {}),
      offset,
      size,
      resetValue: 0n,
      resetMask: 0n,
      ...(dim ? { dim } : {}),
      ...(alternate !== undefined ? { alternateOf: alternate } : {}),
      fields,
    };
    return register;
  }

  /** `{len, stride}` or `{offsets: [...]}`; strides and offsets are bytes for items, bits for fields. */
  private dim(value: LocatedValue, where: string, unit: 'bytes' | 'bits'): Dim | undefined {
    const array = this.reader.object(value, `array of ${where}`);
    if (!array) return undefined;
    this.reader.unknownKeys(array, arrayKeys, `array of ${where}`);
    const offsetsValue = valueOf(array, 'offsets');
    const lenValue = valueOf(array, 'len');
    if ((offsetsValue === undefined) === (lenValue === undefined)) {
      this.reader.error('bad-array', `array of ${where} needs either len and stride or offsets`, array.span);
      return undefined;
    }
    if (offsetsValue !== undefined) {
      const list = this.reader.array(offsetsValue, 'offsets');
      if (!list) return undefined;
      const offsets = list.items.map((o) => this.reader.integer(o, `an offset (${unit})`));
      if (offsets.some((o) => o === undefined)) return undefined;
      if (!this.countOk(offsets.length, offsetsValue.span, where)) return undefined;
      return { count: offsets.length, stride: 0, offsets: offsets as number[] };
    }
    const count = this.reader.integer(lenValue, 'len');
    const stride = this.reader.integer(this.reader.required(array, 'stride', `array of ${where}`), `stride (${unit})`);
    if (count === undefined || stride === undefined || lenValue === undefined || !this.countOk(count, lenValue.span, where)) return undefined;
    return { count, stride };
  }

  private countOk(count: number, span: SourceSpan, where: string): boolean {
    if (count >= 1 && count <= this.limits.maxDim) return true;
    this.reader.error(
      count < 1 ? 'bad-array' : 'dim-too-large',
      `array of ${where} has ${count} elements; it must have between 1 and ${this.limits.maxDim}`,
      span,
    );
    return false;
  }

  private fields(fieldset: Definition, registerPath: string, size: number, access: FieldAccess): Field[] {
    const out: Field[] = [];
    for (const member of this.members('fieldset', fieldset)) {
      const field = this.field(member, fieldset.name, registerPath, size, access);
      if (field) out.push(field);
    }
    return out;
  }

  private field(member: Member, fieldsetName: string, registerPath: string, size: number, access: FieldAccess): Field | undefined {
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
  private bitOffset(value: LocatedValue, where: string): { lsb: number; segments?: BitSegment[] } | undefined {
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

  private enumOf(value: LocatedValue | undefined, where: string, width: number, fieldPath: string): EnumSet[] | undefined {
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

/** Bytes covered by a cluster's children (first element to the end of the last array element). */
function extentOf(children: readonly RegisterNode[]): number {
  let end = 0;
  for (const child of children) {
    const one = child.kind === 'register' ? child.size / 8 : (child.byteSize ?? 0);
    const last = child.dim ? (child.dim.offsets ? Math.max(...child.dim.offsets) : (child.dim.count - 1) * child.dim.stride) : 0;
    end = Math.max(end, child.offset + last + one);
  }
  return end;
}
