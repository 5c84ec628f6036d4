import type { Dim, SourceSpan } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { valueOf, type ValueReader, type LocatedObject, type LocatedValue } from '../../yaml/index.ts';

export interface Definition {
  readonly name: string;
  readonly keySpan: SourceSpan;
  readonly body: LocatedObject;
}

export interface Model {
  readonly blocks: Map<string, Definition>;
  readonly fieldsets: Map<string, Definition>;
  readonly enums: Map<string, Definition>;
  /** Blocks used as a `block:` item somewhere. */
  readonly subBlocks: Set<string>;
}

export const blockKeys = new Set(['description', 'extends', 'items']);
export const itemKeys = new Set(['name', 'description', 'byte_offset', 'fieldset', 'block', 'array', 'access', 'bit_size']);
export const fieldsetKeys = new Set(['description', 'extends', 'bit_size', 'fields']);
export const fieldKeys = new Set(['name', 'description', 'bit_offset', 'bit_size', 'enum', 'array']);
export const enumKeys = new Set(['description', 'bit_size', 'variants']);
export const variantKeys = new Set(['name', 'description', 'value']);
export const arrayKeys = new Set(['len', 'stride', 'offsets']);

export function collect(top: LocatedObject, reader: ValueReader): Model {
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

export interface Member {
  readonly value: LocatedObject;
  readonly name: string;
}

/**
 * The definitions of a chiptool file as the converter reads them: `extends` chains resolved into
 * member lists (once per definition), array dimensions, and problems reported once each.
 */
export class ChiptoolModel {
  nodeCount = 0;
  /** Resolved member lists, so a fieldset used by many registers is expanded once. */
  protected readonly expanded = new Map<string, Member[]>();
  protected readonly reportedMissing = new Set<string>();

  constructor(
    protected readonly model: Model,
    protected readonly reader: ValueReader,
    protected readonly limits: ImportLimits,
  ) {}

  protected text(value: LocatedValue | undefined): string | undefined {
    return value?.kind === 'scalar' && value.value !== null ? String(value.value) : undefined;
  }

  /**
   * Own members, then the parent's (along the `extends` chain) whose names are not taken yet —
   * chiptool's ExpandExtends order. A cycle or an unknown parent is reported at the `extends` value.
   */
  protected members(kind: 'block' | 'fieldset', def: Definition): Member[] {
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

  protected reportOnce(key: string, code: string, message: string, span: SourceSpan): void {
    if (this.reportedMissing.has(key)) return;
    this.reportedMissing.add(key);
    this.reader.error(code, message, span);
  }

  /** `{len, stride}` or `{offsets: [...]}`; strides and offsets are bytes for items, bits for fields. */
  protected dim(value: LocatedValue, where: string, unit: 'bytes' | 'bits'): Dim | undefined {
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

  protected countOk(count: number, span: SourceSpan, where: string): boolean {
    if (count >= 1 && count <= this.limits.maxDim) return true;
    this.reader.error(
      count < 1 ? 'bad-array' : 'dim-too-large',
      `array of ${where} has ${count} elements; it must have between 1 and ${this.limits.maxDim}`,
      span,
    );
    return false;
  }
}
