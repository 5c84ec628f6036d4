/**
 * Shared pieces of the validation rules (not a rule itself): access classes, array element offsets,
 * an interval sweep for overlap checks, and cached register instances. Rules run on devices with
 * thousands of registers (a 7 500-register SVD), so everything here is O(n log n) plus the number of
 * findings, never a comparison of every pair.
 */
import type { Dim, Field, Peripheral, Register, RegisterNode, SourceSpan } from '../../ir/types.ts';
import { registerInstances, type RegisterInstance } from '../../ir/walk.ts';

import { swReadable as isReadable, swWritable as isWritable } from '../../ir/access.ts';

export { isReadable, isWritable };

export type AccessClass = 'read-only' | 'write-only' | 'read-write' | 'none';

function accessClass(readable: boolean, writable: boolean): AccessClass {
  if (readable && writable) return 'read-write';
  if (readable) return 'read-only';
  if (writable) return 'write-only';
  return 'none';
}

export function fieldAccessClass(field: Field): AccessClass {
  return accessClass(isReadable(field.access.sw), isWritable(field.access.sw));
}

/** A register is readable when any field is; a register without fields has its own access (SVD), else read-write. */
export function registerAccessClass(register: Register): AccessClass {
  if (register.fields.length === 0) return register.access === undefined ? 'read-write' : accessClass(isReadable(register.access), isWritable(register.access));
  return accessClass(
    register.fields.some((f) => isReadable(f.access.sw)),
    register.fields.some((f) => isWritable(f.access.sw)),
  );
}

/**
 * The one deliberate overlap hardware uses: a read-only view and a write-only view at the same place
 * (e.g. a receive buffer read, a transmit buffer written). Write-once (`w1`) counts as write-only.
 */
export function isReadWritePair(a: AccessClass, b: AccessClass): boolean {
  return (a === 'read-only' && b === 'write-only') || (a === 'write-only' && b === 'read-only');
}

/** Most array elements any rule expands for one node; beyond that a dim is hostile, not hardware. */
export const MAX_ELEMENTS = 65_536;

/** Offsets (bytes for registers/clusters/peripherals, bits for fields) of each element, capped at `MAX_ELEMENTS`. */
export function elementOffsets(dim: Dim | undefined): number[] {
  if (!dim) return [0];
  if (dim.offsets) return dim.offsets.slice(0, MAX_ELEMENTS);
  const count = Math.min(dim.count, MAX_ELEMENTS);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = i * dim.stride;
  return out;
}

/** Offset of the furthest array element (0 without a dim), undefined for an empty array. */
export function lastElementOffset(dim: Dim | undefined): number | undefined {
  if (!dim) return 0;
  if (dim.offsets) return dim.offsets.length === 0 ? undefined : dim.offsets.reduce((m, o) => Math.max(m, o), 0);
  return dim.count <= 0 ? undefined : (dim.count - 1) * dim.stride;
}

/**
 * Smallest distance between two consecutive elements: the stride, or for explicit offset lists
 * (chiptool) the closest pair after sorting.
 */
export function arrayStep(dim: Dim): number | undefined {
  if (!dim.offsets) return dim.count > 1 ? dim.stride : undefined;
  const sorted = [...dim.offsets].sort((a, b) => a - b);
  let min: number | undefined;
  for (let i = 1; i < sorted.length; i++) min = Math.min(min ?? Infinity, sorted[i]! - sorted[i - 1]!);
  return min;
}

/** The bit runs a field occupies: its segments (split fields) or its one range, for every array element. */
export function fieldBitRanges(field: Field): { lsb: number; width: number; element: number }[] {
  const segments = field.segments ?? [{ lsb: field.lsb, width: field.width }];
  const out: { lsb: number; width: number; element: number }[] = [];
  elementOffsets(field.dim).forEach((delta, element) => {
    for (const s of segments) out.push({ lsb: s.lsb + delta, width: s.width, element });
  });
  return out;
}

export interface Interval<T> {
  /** Inclusive start. */
  readonly start: number;
  /** Exclusive end. */
  readonly end: number;
  readonly item: T;
}

/**
 * Calls `onPair(earlier, later)` for every pair of intervals that share at least one unit, in
 * O(n log n + pairs): sort by start, keep the intervals still open, compare each new one only with
 * those. Empty intervals never overlap. `onPair` returns false to stop the sweep (report caps).
 */
export function forEachOverlap<T>(intervals: readonly Interval<T>[], onPair: (a: Interval<T>, b: Interval<T>) => boolean | void): void {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  // The intervals still open, closed ones dropped in place (an array per interval was garbage for every register of a device).
  const open: Interval<T>[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i] as Interval<T>;
    let kept = 0;
    for (let j = 0; j < open.length; j++) {
      const o = open[j] as Interval<T>;
      if (o.end > current.start) open[kept++] = o;
    }
    open.length = kept;
    for (let j = 0; j < open.length; j++) if (onPair(open[j] as Interval<T>, current) === false) return;
    open.push(current);
  }
}

/** Remembers unordered pairs of objects so a pair of nodes is reported once, not once per array element. */
export class PairSet<T extends object> {
  private readonly seen = new Map<T, Set<T>>();

  /** True the first time the pair is added. */
  add(a: T, b: T): boolean {
    const [x, y] = this.seen.has(b) && !this.seen.has(a) ? [b, a] : [a, b];
    const existing = this.seen.get(x)?.has(y) || this.seen.get(y)?.has(x);
    if (existing) return false;
    let set = this.seen.get(x);
    if (!set) this.seen.set(x, (set = new Set()));
    set.add(y);
    return true;
  }
}

/** Orders two nodes by where they are written, so a finding lands on the one declared second. */
export function bySourceOrder<T extends { span: SourceSpan }>(a: T, b: T): [first: T, second: T] {
  const sa = a.span;
  const sb = b.span;
  const aFirst = sa.file !== sb.file ? sa.file < sb.file : sa.line !== sb.line ? sa.line < sb.line : sa.column <= sb.column;
  return aFirst ? [a, b] : [b, a];
}

/** Most register instances expanded per peripheral (arrays of arrays can multiply without bound). */
export const MAX_INSTANCES = 200_000;

const instanceCache = new WeakMap<Peripheral, { instances: RegisterInstance[]; truncated: boolean }>();

/**
 * Concrete register instances of a peripheral (arrays expanded, absolute addresses), computed once
 * per peripheral object and shared by the rules: the IR is immutable, so identity is a safe key.
 */
export function instancesOf(peripheral: Peripheral): { instances: RegisterInstance[]; truncated: boolean } {
  let cached = instanceCache.get(peripheral);
  if (!cached) {
    cached = registerInstances(peripheral, MAX_INSTANCES);
    instanceCache.set(peripheral, cached);
  }
  return cached;
}

/**
 * Whether `name`, as written in an alternate reference, names `node`: SVD writes the reference with
 * the array pattern (`CC%s`), which the IR keeps as `dim.namePattern` while `name` drops the `%s`.
 */
export function namesNode(node: { readonly name: string; readonly dim?: Dim }, name: string): boolean {
  return node.name === name || node.dim?.namePattern === name || node.name === name.replace(/\[?%s\]?/g, '');
}

/**
 * Groups siblings that declare themselves alternates of one another (SVD alternatePeripheral,
 * alternateCluster, alternateRegister): each node maps to the root of its chain, so two nodes are
 * alternates exactly when their roots are equal. `resolve` finds the node an `alternateOf` names;
 * unresolved names and cycles leave the node its own root.
 */
export function alternateRoots<T extends { readonly alternateOf?: string }>(nodes: readonly T[], resolve: (node: T, name: string) => T | undefined): Map<T, T> {
  const roots = new Map<T, T>();
  const rootOf = (node: T): T => {
    const known = roots.get(node);
    if (known) return known;
    // Most nodes name no alternate: their own root, without a set of the chain (one per register of a device).
    if (node.alternateOf === undefined) {
      roots.set(node, node);
      return node;
    }
    const seen = new Set<T>([node]);
    let current = node;
    for (;;) {
      const target = current.alternateOf === undefined ? undefined : resolve(current, current.alternateOf);
      if (!target || seen.has(target)) break;
      seen.add(target);
      current = target;
    }
    roots.set(node, current);
    return current;
  };
  for (const node of nodes) rootOf(node);
  return roots;
}

/** Sorted, merged byte ranges, so one binary search tells whether a range is covered. */
export function mergeRanges(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function covered(merged: readonly { start: number; end: number }[], start: number, end: number): boolean {
  let lo = 0;
  let hi = merged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = merged[mid]!;
    if (start < r.start) hi = mid - 1;
    else if (start >= r.end) lo = mid + 1;
    else return end <= r.end;
  }
  return false;
}

/** Byte length of a register (at least one byte, so odd sizes still occupy space). */
export function registerBytes(register: Register): number {
  return Math.max(1, Math.ceil(register.size / 8));
}

/** Bytes of the bus access for a register: its size rounded up to a power of two (a 24-bit register is read as 32). */
export function accessBytes(register: Register): number {
  let bytes = 1;
  while (bytes < registerBytes(register)) bytes *= 2;
  return bytes;
}

/**
 * Byte extent of one element of a node from its own offset: a register's size, or a cluster's
 * declared size, else the furthest end of its children (with their arrays).
 */
export function nodeExtent(node: RegisterNode): number {
  if (node.kind === 'register') return registerBytes(node);
  if (node.byteSize !== undefined) return node.byteSize;
  let end = 0;
  for (const child of node.children) {
    const last = lastElementOffset(child.dim);
    if (last === undefined) continue;
    end = Math.max(end, child.offset + last + nodeExtent(child));
  }
  return end;
}

/**
 * Byte ranges a peripheral occupies, relative to its base: its address blocks when it declares
 * them (native `size`, SVD addressBlock), else the span of its registers.
 */
export function peripheralExtents(peripheral: Peripheral): { start: number; end: number }[] {
  if (peripheral.addressBlocks.length > 0) return peripheral.addressBlocks.map((b) => ({ start: b.offset, end: b.offset + b.size }));
  let start = Infinity;
  let end = -Infinity;
  for (const i of instancesOf(peripheral).instances) {
    start = Math.min(start, i.address - peripheral.baseAddress);
    end = Math.max(end, i.address - peripheral.baseAddress + registerBytes(i.register));
  }
  return end > start ? [{ start, end }] : [];
}

/** `7..0`, or `3` for one bit. */
export function bitRangeText(lsb: number, width: number): string {
  return width === 1 ? String(lsb) : `${lsb + width - 1}..${lsb}`;
}

/** `0x40001000..0x40001003` */
export function byteRange(start: number, end: number): string {
  return `${hex(start)}..${hex(end - 1)}`;
}

export function hex(value: number | bigint): string {
  return '0x' + value.toString(16).toUpperCase();
}

/** Index label of an array element (`[2]`, or `[B]` with SVD dimIndex names). */
export function elementLabel(dim: Dim | undefined, element: number): string {
  if (!dim) return '';
  return `[${dim.indices?.[element] ?? element}]`;
}
