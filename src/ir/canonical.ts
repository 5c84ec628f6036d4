import { relative, sep } from 'node:path';
import { sha256Hasher } from '../hash/index.ts';
import type { Device, EnumSet, Field, Peripheral, RegisterNode } from './types.ts';

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

const nameOrder = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
/**
 * The canonical orders of the lists the spec hash and the analysis walk for every node, spelt out:
 * `byNumberThenName(key)` calls its key function twice per comparison, which code not yet
 * optimised (a single run) does not inline.
 */
export const byOffset = (a: { offset: number; name: string }, b: { offset: number; name: string }): number => a.offset - b.offset || nameOrder(a, b);
export const byLsb = (a: { lsb: number; name: string }, b: { lsb: number; name: string }): number => a.lsb - b.lsb || nameOrder(a, b);
export const byValue = (a: { value: number; name: string }, b: { value: number; name: string }): number => a.value - b.value || nameOrder(a, b);
export const byBaseAddress = (a: { baseAddress: number; name: string }, b: { baseAddress: number; name: string }): number =>
  a.baseAddress - b.baseAddress || nameOrder(a, b);

const byEnumValue = byValue;

/**
 * Enum sets in canonical order (read, write, read-write; by name), each with its values in order.
 * A set whose values are in order already is itself, not a copy (the analysis asks for every field).
 */
export function sortEnums(sets: readonly EnumSet[]): readonly EnumSet[] {
  const sorted = sets.map((s) => {
    const values = inOrder(s.values, byEnumValue);
    return values === s.values ? s : { ...s, values };
  });
  return inOrder(sorted, byEnumSet);
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

/** How the children of one object are ordered in canonical form (the order `sortDevice` gives them). */
type Role = 'device' | 'peripheral' | 'node' | 'field' | 'enumSet' | 'plain';

const byName = nameOrder;
const enumSetOrder = { read: 0, write: 1, 'read-write': 2 } as const;
const byEnumSet = (a: EnumSet, b: EnumSet): number => enumSetOrder[a.usage] - enumSetOrder[b.usage] || ((a.name ?? '') < (b.name ?? '') ? -1 : 1);

type ListOrder = { compare?: (a: never, b: never) => number; role: Role };

/** listOrder, made once per role and key (a device has hundreds of thousands of lists but a few dozen kinds). */
const listOrders = new Map<string, ListOrder>();
function listOrderOf(role: Role, key: string): ListOrder {
  const id = `${role}.${key}`;
  let order = listOrders.get(id);
  if (order === undefined) listOrders.set(id, (order = listOrder(role, key)));
  return order;
}

/**
 * An object's keys in sorted order, sorted once per key list: the IR's objects come from a few
 * constructors, so most share one of a few dozen key lists (Object.keys gives the same internalized
 * strings in the same order, compared here by identity).
 */
const sortedKeyLists = new Map<string, { readonly keys: readonly string[]; readonly sorted: readonly string[] }[]>();
function sortedKeys(object: object): readonly string[] {
  const keys = Object.keys(object);
  const first = keys[0];
  if (first === undefined) return keys;
  let known = sortedKeyLists.get(first);
  if (known === undefined) sortedKeyLists.set(first, (known = []));
  search: for (const entry of known) {
    if (entry.keys.length !== keys.length) continue;
    for (let i = 1; i < keys.length; i++) if (entry.keys[i] !== keys[i]) continue search;
    return entry.sorted;
  }
  const sorted = [...keys].sort();
  known.push({ keys, sorted });
  return sorted;
}

/** For a list under `key` of an object in `role`: the comparator of its items and the role they have. */
function listOrder(role: Role, key: string): ListOrder {
  switch (role) {
    case 'device':
      if (key === 'peripherals') return { compare: byBaseAddress, role: 'peripheral' };
      if (key === 'clocks') return { compare: byName, role: 'plain' };
      break;
    case 'peripheral':
      if (key === 'registers') return { compare: byOffset, role: 'node' };
      if (key === 'interrupts') return { compare: byValue, role: 'plain' };
      if (key === 'addressBlocks')
        return { compare: (a: { offset: number; size: number }, b: { offset: number; size: number }) => a.offset - b.offset || a.size - b.size, role: 'plain' };
      if (key === 'quantities') return { compare: byName, role: 'plain' };
      break;
    case 'node':
      if (key === 'children') return { compare: byOffset, role: 'node' };
      if (key === 'fields') return { compare: byLsb, role: 'field' };
      break;
    case 'field':
      if (key === 'enums') return { compare: byEnumSet, role: 'enumSet' };
      break;
    case 'enumSet':
      if (key === 'values') return { compare: byValue, role: 'plain' };
      break;
  }
  return { role: 'plain' };
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters, surrogates (lone ones). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The list itself when already in canonical order (most lists are: one pass, no copy), else a sorted copy. */
export function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1] as T, list[i] as T) > 0) return [...list].sort(compare);
  return list;
}

/**
 * Writes the canonical JSON of `value` (the text `stableStringify(sortDevice(device), options)` gives,
 * byte for byte) to `write` in pieces, without building the sorted copy or the text: children are
 * visited in canonical order through sorted lists of references. The spec hash streams it into sha256.
 */
function writeCanonical(value: unknown, role: Role, options: CanonicalOptions, write: (text: string) => void): void {
  const keepSpans = options.spans ?? false;
  const keepDescriptions = options.descriptions ?? true;
  const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  // The separators JSON.stringify(…, null, 1) writes, made once per depth and key (a device has
  // hundreds of thousands of objects but a few dozen keys).
  const newlines: string[] = [];
  const newline = (depth: number): string => (newlines[depth] ??= `\n${' '.repeat(depth)}`);
  const keyTexts = new Map<string, string>();
  const keyText = (key: string): string => {
    let text = keyTexts.get(key);
    if (text === undefined) keyTexts.set(key, (text = `${JSON.stringify(key)}: `));
    return text;
  };
  const visit = (v: unknown, role: Role, depth: number): void => {
    if (typeof v === 'string') {
      // JSON.stringify's text without its copy when nothing needs escaping (names, paths, access words).
      if (NEEDS_ESCAPE.test(v)) write(JSON.stringify(v));
      else {
        write('"');
        write(v);
        write('"');
      }
    } else if (typeof v === 'number') write(Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'bigint') {
      write(v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? String(Number(v)) : JSON.stringify(v.toString()));
    } else if (v === null || typeof v !== 'object') write(skipped(v) ? 'null' : JSON.stringify(v));
    else if (Array.isArray(v)) {
      if (v.length === 0) return write('[]');
      const inner = newline(depth + 1);
      for (let i = 0; i < v.length; i++) {
        write(i === 0 ? '[' : ',');
        write(inner);
        visit(v[i], role, depth + 1);
      }
      write(newline(depth));
      write(']');
    } else {
      const object = v as Record<string, unknown>;
      let first = true;
      const inner = newline(depth + 1);
      const keys = sortedKeys(object);
      // Indexed: a for…of in code not yet optimised allocates an iterator result per key.
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string;
        if (!keepSpans && key === 'span') continue;
        if (!keepDescriptions && key === 'description') continue;
        let child = object[key];
        if (skipped(child)) continue;
        if (key === 'span' && options.spanRoot !== undefined) child = relativeSpan(child, options.spanRoot);
        write(first ? '{' : ',');
        write(inner);
        write(keyText(key));
        first = false;
        if (Array.isArray(child)) {
          const order = listOrderOf(role, key);
          visit(order.compare ? inOrder(child, order.compare as (a: unknown, b: unknown) => number) : child, order.role, depth + 1);
        } else visit(child, 'plain', depth + 1);
      }
      if (first) write('{}');
      else {
        write(newline(depth));
        write('}');
      }
    }
  };
  visit(value, role, 0);
}

export function canonicalJson(device: Device, options: CanonicalOptions = {}): string {
  const parts: string[] = [];
  writeCanonical(device, 'device', options, (text) => void parts.push(text));
  return `${parts.join('')}\n`;
}

const HASH_BATCH = 8192;

/** sha256 of `canonicalJson(device, options)`, streamed: the text is never built whole. */
export function canonicalHash(device: Device, options: CanonicalOptions = {}): string {
  const hash = sha256Hasher();
  // Batched: one update per 8192 pieces instead of one per token, into a list of that fixed length
  // (emptying a list frees its store, and refilling it grew a new one: ≈10 MB of H743's hash).
  const parts = new Array<string>(HASH_BATCH).fill('');
  let count = 0;
  writeCanonical(device, 'device', options, (text) => {
    parts[count++] = text;
    if (count === HASH_BATCH) {
      hash.update(parts.join(''));
      count = 0;
    }
  });
  parts[count++] = '\n';
  parts.length = count;
  hash.update(parts.join(''));
  return hash.digest();
}

/**
 * The spec hash: what generated code and the simulator's HELLO carry so a driver refuses a device
 * built from another spec. Descriptions and spans do not change the hash (a typo fix is not a new device).
 */
export function specHash(device: Device): string {
  return canonicalHash(device, { descriptions: false });
}
