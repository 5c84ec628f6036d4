import { parse } from 'yaml';
import type { Cluster, Device, EnumSet, Field, Peripheral, Register, RegisterNode, SourceSpan } from '../../ir/types.ts';

/**
 * Training data only: a minimal reader of stm32-data chiptool YAML into the IR, so the matcher can
 * be trained before (and independently of) the full chiptool importer. It resolves fieldsets,
 * enums, nested blocks and `extends`; it keeps no source spans (the matcher never looks at them).
 * Real diffs go through `importFile`.
 */
interface ChiptoolItem {
  name: string;
  description?: string;
  byte_offset: number;
  fieldset?: string;
  block?: string;
  access?: 'Read' | 'Write';
  array?: { len?: number; stride?: number; offsets?: number[] };
}
interface ChiptoolField {
  name: string;
  description?: string;
  bit_offset: number | { start: number; end: number }[];
  bit_size: number;
  enum?: string;
  array?: { len?: number; stride?: number };
}
type ChiptoolDoc = Record<string, { description?: string; extends?: string; items?: ChiptoolItem[]; fields?: ChiptoolField[]; bit_size?: number; variants?: { name: string; value: number; description?: string }[] }>;

function span(file: string): SourceSpan {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** Every `block/*` of a chiptool file as a peripheral named after the block, at consecutive bases. */
export function chiptoolDevice(text: string, file: string, name: string, baseAddress = 0x4000_0000): Device {
  const doc = parse(text) as ChiptoolDoc;
  const blocks = Object.keys(doc).filter((k) => k.startsWith('block/'));
  const sp = span(file);
  const itemsOf = (blockName: string, depth = 0): ChiptoolItem[] => {
    const block = doc[`block/${blockName}`];
    if (!block || depth > 8) return [];
    const own = block.items ?? [];
    const inherited = block.extends ? itemsOf(block.extends, depth + 1).filter((i) => !own.some((o) => o.name === i.name)) : [];
    return [...inherited, ...own];
  };
  const fieldsOf = (fieldsetName: string, depth = 0): ChiptoolField[] => {
    const fs = doc[`fieldset/${fieldsetName}`];
    if (!fs || depth > 8) return [];
    const own = fs.fields ?? [];
    const inherited = fs.extends ? fieldsOf(fs.extends, depth + 1).filter((f) => !own.some((o) => o.name === f.name)) : [];
    return [...inherited, ...own];
  };
  const convertField = (f: ChiptoolField, registerPath: string, readOnly: boolean, writeOnly: boolean): Field => {
    const segments = Array.isArray(f.bit_offset) ? f.bit_offset.map((s) => ({ lsb: s.start, width: s.end - s.start + 1 })) : undefined;
    const lsb = segments ? Math.min(...segments.map((s) => s.lsb)) : (f.bit_offset as number);
    const path = `${registerPath}.${f.name}`;
    const e = f.enum ? doc[`enum/${f.enum}`] : undefined;
    const enums: EnumSet[] | undefined = e?.variants
      ? [{ span: sp, usage: 'read-write', values: e.variants.map((v) => ({ name: v.name, path: `${path}.${v.name}`, span: sp, value: v.value, ...(v.description ? { description: v.description } : {}) })) }]
      : undefined;
    return {
      kind: 'field',
      name: f.name,
      path,
      span: sp,
      ...(f.description ? { description: f.description } : {}),
      lsb,
      width: f.bit_size,
      ...(segments && segments.length > 1 ? { segments } : {}),
      access: { sw: readOnly ? 'r' : writeOnly ? 'w' : 'rw', hw: readOnly ? 'w' : 'r' },
      ...(enums ? { enums } : {}),
      ...(f.array?.len ? { dim: { count: f.array.len, stride: f.array.stride ?? f.bit_size } } : {}),
    };
  };
  const convertItems = (items: readonly ChiptoolItem[], parentPath: string, depth: number): RegisterNode[] =>
    items.map((item): RegisterNode => {
      const path = `${parentPath}.${item.name}`;
      const dim = item.array
        ? item.array.offsets
          ? { count: item.array.offsets.length, stride: 0, offsets: item.array.offsets }
          : { count: item.array.len ?? 1, stride: item.array.stride ?? 4 }
        : undefined;
      if (item.block) {
        const cluster: Cluster = {
          kind: 'cluster',
          name: item.name,
          path,
          span: sp,
          ...(item.description ? { description: item.description } : {}),
          offset: item.byte_offset,
          ...(dim ? { dim } : {}),
          children: depth > 6 ? [] : convertItems(itemsOf(item.block), path, depth + 1),
        };
        return cluster;
      }
      const fs = item.fieldset ? doc[`fieldset/${item.fieldset}`] : undefined;
      const register: Register = {
        kind: 'register',
        name: item.name,
        path,
        span: sp,
        ...(item.description ? { description: item.description } : {}),
        offset: item.byte_offset,
        size: fs?.bit_size ?? 32,
        resetValue: 0n,
        resetMask: 0n,
        ...(dim ? { dim } : {}),
        fields: item.fieldset ? fieldsOf(item.fieldset).map((f) => convertField(f, path, item.access === 'Read', item.access === 'Write')) : [],
      };
      return register;
    });
  const peripherals: Peripheral[] = blocks.map((key, index) => {
    const blockName = key.slice('block/'.length);
    return {
      kind: 'peripheral',
      name: blockName,
      path: blockName,
      span: sp,
      ...(doc[key]?.description ? { description: doc[key]!.description } : {}),
      baseAddress: baseAddress + index * 0x400,
      addressBlocks: [{ offset: 0, size: 0x400, usage: 'registers' }],
      interrupts: [],
      registers: convertItems(itemsOf(blockName), blockName, 0),
      quantities: [],
      behaviours: [],
    };
  });
  return { kind: 'device', name, span: sp, width: 32, addressUnitBits: 8, clocks: [], peripherals, sourceFormat: 'chiptool' };
}
