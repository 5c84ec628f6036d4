import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { peripheralAnalysed } from './progress.ts';
import { clearMethod, fieldNeutral, type ClearMethod, type Neutral } from '../../src/ir/access.ts';
import { bitMask, placeBits } from '../../src/ir/bits.ts';
import { sortDevice } from '../../src/ir/canonical.ts';
import type { BitSegment, Cluster, Device, Dim, Field, OnRead, OnWrite, Peripheral, Register, RegisterNode, SourceSpan } from '../../src/ir/types.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';

/**
 * The language-neutral analysis every target's view-model starts from: names checked, arrays
 * normalised, masks computed, and — the part that matters for safety — how each field must be
 * treated by a read-modify-write. Computed once per run and shared by all targets.
 */

export interface EnumValueView {
  readonly name: string;
  readonly value: number;
  readonly description?: string;
}

export type { Neutral, ClearMethod } from '../../src/ir/access.ts';

export interface FieldView {
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly lsb: number;
  readonly width: number;
  /** Register-relative mask (union of segments). */
  readonly mask: number;
  readonly segments: readonly BitSegment[];
  readonly readable: boolean;
  readonly writable: boolean;
  readonly onWrite?: OnWrite;
  readonly onRead?: OnRead;
  readonly singlePulse: boolean;
  readonly neutral: Neutral;
  readonly clear: ClearMethod;
  readonly reset?: bigint;
  /** Enum values usable when writing / returned when reading (duplicates and unsafe names dropped). */
  readonly enumValues: readonly EnumValueView[];
  /** True when the enum names every value of the field's width (reads always map to a name). */
  readonly enumComplete: boolean;
  /** Short access summary for docs and comments (`rw`, `r/w1c`, `r/rclr`…). */
  readonly accessLabel: string;
}

export interface ArrayLevel {
  readonly count: number;
  readonly stride: number;
}

export interface RegisterView {
  readonly kind: 'register';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  /** Byte offset from the parent node (peripheral or cluster element). */
  readonly offset: number;
  /** Byte offset from the peripheral base, every index 0. */
  readonly absOffset: number;
  /** Names from the peripheral down (`['CH', 'CTRL']`). */
  readonly nameParts: readonly string[];
  /** Array levels from the outermost cluster down to this register. */
  readonly arrayLevels: readonly ArrayLevel[];
  readonly dim?: ArrayLevel;
  readonly size: number;
  readonly byteSize: number;
  /** Exact (bigints, as in the IR): a 64-bit register's reset is emitted digit for digit. */
  readonly resetValue: bigint;
  readonly resetMask: bigint;
  readonly readable: boolean;
  readonly writable: boolean;
  /** A read changes state (read-to-clear, FIFO pop): never read implicitly, so no `modify`. */
  readonly readSideEffect: boolean;
  /** Bits a read-modify-write must force, and the values it forces them to. */
  readonly neutralMask: number;
  readonly neutralValue: number;
  /** Value a full `write` starts from: forced neutrals, reset values elsewhere. */
  readonly writeBase: number;
  readonly fields: readonly FieldView[];
  /** Deliberate overlap with another register (SVD alternates). */
  readonly alternateOf?: string;
}

export interface ClusterView {
  readonly kind: 'cluster';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly offset: number;
  readonly dim?: ArrayLevel;
  /** Bytes spanned by one element (children extent, or the declared size when larger). */
  readonly extent: number;
  readonly children: readonly NodeView[];
}

export type NodeView = RegisterView | ClusterView;

export interface PeripheralView {
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly baseAddress: number;
  readonly driverKind?: string;
  readonly interrupts: readonly { readonly name: string; readonly value: number }[];
  /** Name of the layout this peripheral shares (first peripheral with the same registers). */
  readonly typeName: string;
  /** True for the peripheral that defines the shared layout. */
  readonly ownsType: boolean;
  readonly nodes: readonly NodeView[];
  /** Every register, depth first, in offset order. */
  readonly registers: readonly RegisterView[];
  /** Atomic set / clear / toggle alias distances (a board overlay's `aliases`), part of the layout. */
  readonly atomicAliases?: { readonly set?: number; readonly clear?: number; readonly toggle?: number };
}

export interface DeviceAnalysis {
  readonly device: Device;
  readonly peripherals: readonly PeripheralView[];
  /** One entry per distinct layout, in first-use order. */
  readonly types: readonly PeripheralView[];
}

const readableAccess = new Set(['r', 'rw', 'rw1']);
const writableAccess = new Set(['w', 'rw', 'w1', 'rw1']);

function accessLabel(field: Field): string {
  const parts: string[] = [field.access.sw];
  if (field.access.onWrite) parts.push(field.access.onWrite);
  if (field.access.onRead) parts.push(field.access.onRead);
  if (field.access.singlePulse) parts.push('pulse');
  return parts.join('/');
}

function mergeEnums(field: Field, diagnostics: Diagnostic[]): { values: EnumValueView[]; complete: boolean } {
  const byName = new Map<string, EnumValueView>();
  const byValue = new Set<number>();
  const limit = 2 ** field.width;
  for (const set of field.enums ?? []) {
    for (const v of set.values) {
      if (v.isDefault || v.dontCareMask) continue;
      if (!isSafeIdentifier(v.name)) {
        diagnostics.push({ ...unsafeNameDiagnostic('enum value', v.name, v.path, v.span), code: 'generate/unsafe-enum-name', severity: 'warning', message: `enum value ${JSON.stringify(v.name)} of ${field.path} is left out of generated enums: not an identifier` });
        continue;
      }
      if (v.value >= limit || v.value < 0) continue; // validation reports it; generated code must still compile
      if (byName.has(v.name) || byValue.has(v.value)) {
        const first = byName.get(v.name);
        if (first && first.value === v.value) continue; // same value listed in a read and a write set
        diagnostics.push({ code: 'generate/duplicate-enum', severity: 'warning', message: `enum value ${v.name} = ${v.value} of ${field.path} duplicates an earlier name or value and is left out of generated enums`, span: v.span, path: v.path });
        continue;
      }
      byName.set(v.name, { name: v.name, value: v.value, ...(v.description !== undefined ? { description: v.description } : {}) });
      byValue.add(v.value);
    }
  }
  const values = [...byName.values()].sort((a, b) => a.value - b.value);
  return { values, complete: values.length > 0 && values.length === limit };
}

/** Field arrays (bit stride) become one field per element: every target treats fields as scalars. */
function expandFieldArrays(fields: readonly Field[]): Field[] {
  const out: Field[] = [];
  for (const f of fields) {
    if (!f.dim) {
      out.push(f);
      continue;
    }
    for (let i = 0; i < f.dim.count; i++) {
      const label = f.dim.indices?.[i] ?? String(i);
      const name = f.dim.namePattern ? f.dim.namePattern.replace(/%s|\[%s\]/, label) : `${f.name}${label}`;
      const { dim: _dim, ...rest } = f;
      out.push({ ...rest, name, path: f.path.replace(/[^.]*$/, name), lsb: f.lsb + i * f.dim.stride });
    }
  }
  return out;
}

function analyseField(field: Field, diagnostics: Diagnostic[]): FieldView {
  const readable = readableAccess.has(field.access.sw);
  const writable = writableAccess.has(field.access.sw);
  const segments = field.segments && field.segments.length > 0 ? field.segments : [{ lsb: field.lsb, width: field.width }];
  const mask = segments.reduce((m, s) => m + bitMask(s.lsb, s.width), 0);
  const { values, complete } = mergeEnums(field, diagnostics);
  return {
    name: field.name,
    path: field.path,
    span: field.span,
    ...(field.description !== undefined ? { description: field.description } : {}),
    lsb: field.lsb,
    width: field.width,
    mask,
    segments,
    readable,
    writable,
    ...(field.access.onWrite ? { onWrite: field.access.onWrite } : {}),
    ...(field.access.onRead ? { onRead: field.access.onRead } : {}),
    singlePulse: field.access.singlePulse === true,
    neutral: fieldNeutral(field, writable),
    clear: clearMethod(field),
    ...(field.reset !== undefined ? { reset: field.reset } : {}),
    enumValues: values,
    enumComplete: complete,
    accessLabel: accessLabel(field),
  };
}

/** Places a field value into its segments (low logical bits in the first segment). */
export function placeField(field: Pick<FieldView, 'segments'>, value: number): number {
  let out = 0;
  let rest = value;
  for (const s of field.segments) {
    out += placeBits(rest % 2 ** s.width, s.lsb, s.width);
    rest = Math.floor(rest / 2 ** s.width);
  }
  return out;
}

function arrayLevel(dim: Dim | undefined): ArrayLevel | undefined {
  if (!dim) return undefined;
  return { count: dim.count, stride: dim.stride };
}

/**
 * Arrays with explicit per-element offsets (chiptool) have no stride: they become one node per element
 * so every target can still address them.
 */
function expandOffsetArrays(nodes: readonly RegisterNode[]): RegisterNode[] {
  const out: RegisterNode[] = [];
  for (const node of nodes) {
    if (!node.dim?.offsets) {
      out.push(node);
      continue;
    }
    node.dim.offsets.forEach((delta, i) => {
      const label = node.dim?.indices?.[i] ?? String(i);
      const { dim: _dim, ...rest } = node;
      const name = `${node.name}${label}`;
      out.push({ ...rest, name, path: node.path.replace(/[^.]*$/, name), offset: node.offset + delta } as RegisterNode);
    });
  }
  return out;
}

function analyseNodes(
  nodes: readonly RegisterNode[],
  nameParts: readonly string[],
  levels: readonly ArrayLevel[],
  base: number,
  diagnostics: Diagnostic[],
): NodeView[] {
  const out: NodeView[] = [];
  for (const node of expandOffsetArrays(nodes)) {
    if (!isSafeIdentifier(node.name)) {
      diagnostics.push(unsafeNameDiagnostic(node.kind, node.name, node.path, node.span));
      continue;
    }
    const dim = arrayLevel(node.dim);
    const parts = [...nameParts, node.name];
    const here = dim ? [...levels, dim] : levels;
    if (node.kind === 'cluster') out.push(analyseCluster(node, parts, here, base, dim, diagnostics));
    else out.push(analyseRegister(node, parts, here, base, dim, diagnostics));
  }
  return out.sort((a, b) => a.offset - b.offset || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function nodeExtent(node: NodeView): number {
  if (node.kind === 'register') return node.offset + (node.dim ? (node.dim.count - 1) * node.dim.stride : 0) + node.byteSize;
  return node.offset + (node.dim ? (node.dim.count - 1) * node.dim.stride : 0) + node.extent;
}

function analyseCluster(cluster: Cluster, parts: readonly string[], levels: readonly ArrayLevel[], base: number, dim: ArrayLevel | undefined, diagnostics: Diagnostic[]): ClusterView {
  const children = analyseNodes(cluster.children, parts, levels, base + cluster.offset, diagnostics);
  const extent = Math.max(cluster.byteSize ?? 0, ...children.map(nodeExtent), 0);
  return {
    kind: 'cluster',
    name: cluster.name,
    path: cluster.path,
    span: cluster.span,
    ...(cluster.description !== undefined ? { description: cluster.description } : {}),
    offset: cluster.offset,
    ...(dim ? { dim } : {}),
    extent,
    children,
  };
}

function analyseRegister(register: Register, parts: readonly string[], levels: readonly ArrayLevel[], base: number, dim: ArrayLevel | undefined, diagnostics: Diagnostic[]): RegisterView {
  const fields: FieldView[] = [];
  for (const f of expandFieldArrays(register.fields)) {
    if (!isSafeIdentifier(f.name)) {
      diagnostics.push(unsafeNameDiagnostic('field', f.name, f.path, f.span));
      continue;
    }
    fields.push(analyseField(f, diagnostics));
  }
  fields.sort((a, b) => a.lsb - b.lsb || (a.name < b.name ? -1 : 1));
  let neutralMask = 0;
  let neutralValue = 0;
  let writeBase = 0;
  for (const f of fields) {
    if (f.neutral.kind === 'force') {
      neutralMask += f.mask;
      neutralValue += placeField(f, f.neutral.value);
      writeBase += placeField(f, f.neutral.value);
    } else if (f.reset !== undefined) writeBase += placeField(f, Number(f.reset));
  }
  const hasFields = fields.length > 0;
  return {
    kind: 'register',
    name: register.name,
    path: register.path,
    span: register.span,
    ...(register.description !== undefined ? { description: register.description } : {}),
    offset: register.offset,
    absOffset: base + register.offset,
    nameParts: parts,
    arrayLevels: levels,
    ...(dim ? { dim } : {}),
    size: register.size,
    byteSize: Math.ceil(register.size / 8),
    resetValue: register.resetValue,
    resetMask: register.resetMask,
    readable: !hasFields || fields.some((f) => f.readable),
    writable: !hasFields || fields.some((f) => f.writable),
    readSideEffect: fields.some((f) => f.onRead !== undefined),
    neutralMask,
    neutralValue,
    writeBase,
    fields,
    ...(register.alternateOf !== undefined ? { alternateOf: register.alternateOf } : {}),
  };
}

function flatRegisters(nodes: readonly NodeView[]): RegisterView[] {
  return nodes.flatMap((n) => (n.kind === 'register' ? [n] : flatRegisters(n.children)));
}

/** Structural identity of a peripheral's registers (names, offsets, fields, access), ignoring prose. */
function layoutKey(nodes: readonly NodeView[]): string {
  const strip = (n: NodeView): unknown =>
    n.kind === 'register'
      ? [n.name, n.offset, n.size, n.dim?.count, n.dim?.stride, String(n.resetValue), String(n.resetMask), n.alternateOf, n.fields.map((f) => [f.name, f.mask, f.accessLabel, f.reset === undefined ? null : String(f.reset), f.enumValues.map((e) => [e.name, e.value])])]
      : [n.name, n.offset, n.dim?.count, n.dim?.stride, n.extent, n.children.map(strip)];
  return JSON.stringify(nodes.map(strip));
}

/** Peripheral arrays become one peripheral per element (targets address peripherals by name). */
function expandPeripherals(peripherals: readonly Peripheral[]): Peripheral[] {
  return peripherals.flatMap((p) => {
    if (!p.dim) return [p];
    const dim = p.dim;
    return Array.from({ length: dim.count }, (_, i) => {
      const label = dim.indices?.[i] ?? String(i);
      const name = dim.namePattern ? dim.namePattern.replace(/\[%s\]|%s/, label) : `${p.name}${label}`;
      const { dim: _dim, ...rest } = p;
      return { ...rest, name, path: name, baseAddress: p.baseAddress + (dim.offsets?.[i] ?? i * dim.stride) };
    });
  });
}

/** Analyses are shared by every target of one run: the IR is immutable, so the device object is the key. */
const analysisCache = new WeakMap<Device, { analysis: DeviceAnalysis; diagnostics: readonly Diagnostic[] }>();

export function analyseDevice(device: Device, diagnostics: Diagnostic[]): DeviceAnalysis {
  const cached = analysisCache.get(device);
  if (cached) {
    diagnostics.push(...cached.diagnostics);
    return cached.analysis;
  }
  const own: Diagnostic[] = [];
  const analysis = analyseUncached(device, own);
  analysisCache.set(device, { analysis, diagnostics: own });
  diagnostics.push(...own);
  return analysis;
}

function analyseUncached(device: Device, diagnostics: Diagnostic[]): DeviceAnalysis {
  const sorted = sortDevice(device);
  const owners = new Map<string, string>();
  const peripherals: PeripheralView[] = [];
  const types: PeripheralView[] = [];
  const expanded = expandPeripherals(sorted.peripherals);
  for (const [index, p] of expanded.entries()) {
    peripheralAnalysed(p.name, index + 1, expanded.length);
    if (!isSafeIdentifier(p.name)) {
      diagnostics.push(unsafeNameDiagnostic('peripheral', p.name, p.path, p.span));
      continue;
    }
    const nodes = analyseNodes(p.registers, [], [], 0, diagnostics);
    // Register macros are shared by peripherals of one layout, so the aliases they use are part of it.
    const key = `${layoutKey(nodes)}|${JSON.stringify(p.atomicAliases ?? null)}`;
    const owner = owners.get(key);
    if (owner === undefined) owners.set(key, p.name);
    const view: PeripheralView = {
      name: p.name,
      path: p.path,
      span: p.span,
      ...(p.description !== undefined ? { description: p.description } : {}),
      baseAddress: p.baseAddress,
      ...(p.driverKind !== undefined ? { driverKind: p.driverKind } : {}),
      interrupts: p.interrupts.filter((i) => isSafeIdentifier(i.name)).map((i) => ({ name: i.name, value: i.value })),
      typeName: owner ?? p.name,
      ownsType: owner === undefined,
      nodes,
      registers: flatRegisters(nodes),
      ...(p.atomicAliases ? { atomicAliases: p.atomicAliases } : {}),
    };
    peripherals.push(view);
    if (view.ownsType) types.push(view);
  }
  return { device: sorted, peripherals, types };
}
