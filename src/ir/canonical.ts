import { relative, sep } from 'node:path';
import { sha256 } from '../hash/index.ts';
import type { Device, EnumSet, EnumValue, Field, Peripheral, RegisterNode } from './types.ts';

/**
 * Canonical form of the IR: children in a defined order, object keys sorted, spans dropped unless
 * asked for. Two imports of the same register map, from any format, give byte-identical text, which
 * is what round-trip tests, caches and the spec hash compare.
 */
export interface CanonicalOptions {
  /** Keep source spans (useful for debugging; never part of the spec hash). */
  readonly spans?: boolean;
  /** With spans: write each span's file relative to this folder (hashes that must not depend on the checkout's path). */
  readonly spanRoot?: string;
  /** Keep descriptions (on by default; off compares structure only). */
  readonly descriptions?: boolean;
}

/** Canonical order of named children: by a number, then by name. */
export const byNumberThenName =
  <T extends { name: string }>(key: (x: T) => number) =>
  (a: T, b: T): number =>
    key(a) - key(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function sortEnumValues(values: readonly EnumValue[]): EnumValue[] {
  return [...values].sort(byNumberThenName((v) => v.value));
}

/** Enum sets in canonical order (read, write, read-write; by name), each with its values in order. */
export function sortEnums(sets: readonly EnumSet[]): EnumSet[] {
  const order = { read: 0, write: 1, 'read-write': 2 } as const;
  return sets
    .map((s) => ({ ...s, values: sortEnumValues(s.values) }))
    .sort((a, b) => order[a.usage] - order[b.usage] || ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
}

function sortFields(fields: readonly Field[]): Field[] {
  return [...fields].map((f) => (f.enums ? { ...f, enums: sortEnums(f.enums) } : f)).sort(byNumberThenName((f) => f.lsb));
}

function sortNodes(nodes: readonly RegisterNode[]): RegisterNode[] {
  return [...nodes]
    .map((n): RegisterNode => (n.kind === 'cluster' ? { ...n, children: sortNodes(n.children) } : { ...n, fields: sortFields(n.fields) }))
    .sort(byNumberThenName((n) => n.offset));
}

/** Returns the device with every child list in canonical order. */
export function sortDevice(device: Device): Device {
  const peripherals: Peripheral[] = [...device.peripherals]
    .map((p) => ({
      ...p,
      registers: sortNodes(p.registers),
      interrupts: [...p.interrupts].sort(byNumberThenName((i) => i.value)),
      addressBlocks: [...p.addressBlocks].sort((a, b) => a.offset - b.offset || a.size - b.size),
      quantities: [...p.quantities].sort(byNumberThenName(() => 0)),
    }))
    .sort(byNumberThenName((p) => p.baseAddress));
  return { ...device, clocks: [...device.clocks].sort(byNumberThenName(() => 0)), peripherals };
}

function relativeSpan(span: unknown, root: string): unknown {
  if (span === null || typeof span !== 'object') return span;
  const file = (span as { file?: unknown }).file;
  return typeof file === 'string' ? { ...(span as object), file: relative(root, file).split(sep).join('/') } : span;
}

/** Deterministic JSON: sorted keys, no undefined, optional removal of spans and descriptions. */
export function stableStringify(value: unknown, options: CanonicalOptions = {}, indent = 1): string {
  const keepSpans = options.spans ?? false;
  const keepDescriptions = options.descriptions ?? true;
  const normalise = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(normalise);
    // Reset values are bigints: written as JSON numbers while exact (the hash of every spec without
    // wide values is unchanged), as decimal strings beyond 2^53.
    if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        if (!keepSpans && key === 'span') continue;
        if (!keepDescriptions && key === 'description') continue;
        const child = (v as Record<string, unknown>)[key];
        if (child === undefined) continue;
        out[key] = normalise(key === 'span' && options.spanRoot !== undefined ? relativeSpan(child, options.spanRoot) : child);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(normalise(value), null, indent);
}

export function canonicalJson(device: Device, options: CanonicalOptions = {}): string {
  return stableStringify(sortDevice(device), options) + '\n';
}

/**
 * The spec hash: what generated code and the simulator's HELLO carry so a driver refuses a device
 * built from another spec. Descriptions and spans do not change the hash (a typo fix is not a new device).
 */
export function specHash(device: Device): string {
  return sha256(canonicalJson(device, { descriptions: false }));
}
