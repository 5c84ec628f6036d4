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
  /** Every enum value name of the field, read and write together (C macros, docs). */
  readonly enumValues: readonly EnumValueView[];
  /**
   * Values a read returns (SVD usage read / read-write) and values a write takes (write /
   * read-write), each its own namespace: nRF's INTENSET.TICK reads Disabled/Enabled and writes Set,
   * and `Set = 1` is no duplicate of `Enabled = 1`.
   */
  readonly readEnum: readonly EnumValueView[];
  readonly writeEnum: readonly EnumValueView[];
  /** True when the read enum names every value of the field's width (reads always map to a name). */
  readonly enumComplete: boolean;
  /** Short access summary for docs and comments (`rw`, `r/w1c`, `r/rclr`…). */
  readonly accessLabel: string;
  /** For an element of a field array (flattened to `P0..P7`): the array, for indexed `_Pos(n)` macros. */
  readonly array?: FieldArray;
}

export interface FieldArray {
  /** The array's name without the index (`P` of `P%s`). */
  readonly name: string;
  readonly index: number;
  readonly count: number;
  /** Bits between elements. */
  readonly stride: number;
  /** Position of element 0. */
  readonly firstLsb: number;
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
  /**
   * Name of the layout this peripheral shares, stable across revisions: the SVD groupName when
   * that group has exactly this layout, else the instances' common stem (`USART1`, `USART2` →
   * `USART`), else the first instance name in natural order (`SPI1` of SPI1..SPI6). Never
   * "whichever instance has the lowest address", which an added peripheral would change.
   */
  readonly typeName: string;
  /** The instance whose header defines the shared layout (the first one with it). */
  readonly typeOwner: string;
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

/**
 * One namespace of enum values (read or write): unsafe names and values beyond the field are left
 * out, and a second name for a value or a second value for a name is dropped with a warning.
 */
function enumNamespace(field: Field, usage: 'read' | 'write', diagnostics: Diagnostic[]): EnumValueView[] {
  const byName = new Map<string, EnumValueView>();
  const byValue = new Set<number>();
  const limit = 2 ** field.width;
  for (const set of (field.enums ?? []).filter((e) => e.usage === usage || e.usage === 'read-write')) {
    for (const v of set.values) {
      if (v.isDefault || v.dontCareMask) continue;
      if (!isSafeIdentifier(v.name)) {
        diagnostics.push({
          ...unsafeNameDiagnostic('enum value', v.name, v.path, v.span),
          code: 'generate/unsafe-enum-name',
          severity: 'warning',
          message: `enum value ${JSON.stringify(v.name)} of ${field.path} is left out of generated enums: not an identifier`,
        });
        continue;
      }
      if (v.value >= limit || v.value < 0) continue; // validation reports it; generated code must still compile
      if (byName.has(v.name) || byValue.has(v.value)) {
        const first = byName.get(v.name);
        if (first && first.value === v.value) continue; // same value listed in two sets
        diagnostics.push({
          code: 'generate/duplicate-enum',
          severity: 'warning',
          message: `${usage} enum value ${v.name} = ${v.value} of ${field.path} duplicates an earlier name or value and is left out of generated enums`,
          span: v.span,
          path: v.path,
        });
        continue;
      }
      byName.set(v.name, { name: v.name, value: v.value, ...(v.description !== undefined ? { description: v.description } : {}) });
      byValue.add(v.value);
    }
  }
  return [...byName.values()].sort((a, b) => a.value - b.value);
}

function mergeEnums(field: Field, diagnostics: Diagnostic[]): { all: EnumValueView[]; read: EnumValueView[]; write: EnumValueView[]; complete: boolean } {
  // A read-write set lands in both namespaces: warn about it once, from the read side.
  const read = enumNamespace(field, 'read', diagnostics);
  const writeOnly: Diagnostic[] = [];
  const write = enumNamespace(field, 'write', writeOnly);
  if (writeOnly.length > 0) {
    // Built only when there is something to filter: every field walking the run's whole list was quadratic.
    const seen = new Set(diagnostics.map((d) => `${d.code} ${d.path} ${d.span?.line}:${d.span?.column}`));
    diagnostics.push(...writeOnly.filter((d) => !seen.has(`${d.code} ${d.path} ${d.span?.line}:${d.span?.column}`)));
  }
  const all = [...read];
  for (const w of write) {
    const same = all.find((a) => a.name === w.name);
    if (!same) all.push(w);
    else if (same.value !== w.value)
      diagnostics.push({
        code: 'generate/duplicate-enum',
        severity: 'warning',
        message: `enum value ${w.name} of ${field.path} is ${same.value} when read and ${w.value} when written; C gets the read value`,
        path: `${field.path}.${w.name}`,
        span: field.span,
      });
  }
  all.sort((a, b) => a.value - b.value || (a.name < b.name ? -1 : 1));
  return { all, read, write, complete: read.length > 0 && read.length === 2 ** field.width };
}

/**
 * Field arrays (bit stride) become one field per element: every target treats fields as scalars.
 * Each element remembers its array, so C can also give indexed `_Pos(n)` / `_Msk(n)` macros.
 */
function expandFieldArrays(fields: readonly Field[]): { field: Field; array?: FieldArray }[] {
  const out: { field: Field; array?: FieldArray }[] = [];
  for (const f of fields) {
    if (!f.dim) {
      out.push({ field: f });
      continue;
    }
    const arrayName = f.dim.namePattern ? f.dim.namePattern.replace(/\[%s\]|%s/, '') : f.name;
    for (let i = 0; i < f.dim.count; i++) {
      const label = f.dim.indices?.[i] ?? String(i);
      const name = f.dim.namePattern ? f.dim.namePattern.replace(/%s|\[%s\]/, label) : `${f.name}${label}`;
      const { dim: _dim, ...rest } = f;
      const array = { name: arrayName, index: i, count: f.dim.count, stride: f.dim.stride, firstLsb: f.lsb };
      out.push({ field: { ...rest, name, path: f.path.replace(/[^.]*$/, name), lsb: f.lsb + i * f.dim.stride }, array });
    }
  }
  return out;
}

function analyseField(field: Field, diagnostics: Diagnostic[], array?: FieldArray): FieldView {
  const readable = readableAccess.has(field.access.sw);
  const writable = writableAccess.has(field.access.sw);
  const segments = field.segments && field.segments.length > 0 ? field.segments : [{ lsb: field.lsb, width: field.width }];
  const mask = segments.reduce((m, s) => m + bitMask(s.lsb, s.width), 0);
  const enums = mergeEnums(field, diagnostics);
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
    enumValues: enums.all,
    readEnum: enums.read,
    writeEnum: enums.write,
    enumComplete: enums.complete,
    accessLabel: accessLabel(field),
    ...(array ? { array } : {}),
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

function analyseCluster(
  cluster: Cluster,
  parts: readonly string[],
  levels: readonly ArrayLevel[],
  base: number,
  dim: ArrayLevel | undefined,
  diagnostics: Diagnostic[],
): ClusterView {
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

function analyseRegister(
  register: Register,
  parts: readonly string[],
  levels: readonly ArrayLevel[],
  base: number,
  dim: ArrayLevel | undefined,
  diagnostics: Diagnostic[],
): RegisterView {
  const fields: FieldView[] = [];
  for (const { field: f, array } of expandFieldArrays(register.fields)) {
    if (!isSafeIdentifier(f.name)) {
      diagnostics.push(unsafeNameDiagnostic('field', f.name, f.path, f.span));
      continue;
    }
    fields.push(analyseField(f, diagnostics, array && isSafeIdentifier(array.name) ? array : undefined));
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
    // A register without fields has only its own access (ATSAMD21 DSU.ENTRY1 is read-only); none stated is read-write.
    readable: hasFields ? fields.some((f) => f.readable) : register.access === undefined || readableAccess.has(register.access),
    writable: hasFields ? fields.some((f) => f.writable) : register.access === undefined || writableAccess.has(register.access),
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
      ? [
          n.name,
          n.offset,
          n.size,
          n.dim?.count,
          n.dim?.stride,
          String(n.resetValue),
          String(n.resetMask),
          n.alternateOf,
          n.fields.map((f) => [f.name, f.mask, f.accessLabel, f.reset === undefined ? null : String(f.reset), f.enumValues.map((e) => [e.name, e.value])]),
        ]
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

/**
 * Type names of the distinct layouts (see PeripheralView.typeName). A candidate is taken only if
 * no other layout claims it and it is no instance name of another layout, so names never collide.
 */
function layoutTypeNames(groups: readonly (readonly Peripheral[])[]): string[] {
  const instanceOwner = new Map<string, number>();
  groups.forEach((g, i) => g.forEach((p) => instanceOwner.set(p.name, i)));
  const groupNameUsers = new Map<string, Set<number>>();
  groups.forEach((g, i) => g.forEach((p) => p.groupName && groupNameUsers.set(p.groupName, (groupNameUsers.get(p.groupName) ?? new Set()).add(i))));
  const candidates = groups.map((g) => {
    const shared = g[0]?.groupName;
    const byGroup = shared !== undefined && g.every((p) => p.groupName === shared) && groupNameUsers.get(shared)?.size === 1 ? shared : undefined;
    const stems = new Set(g.map((p) => p.name.replace(/_?\d+$/, '')));
    const [stem] = stems;
    const byStem = g.length > 1 && stems.size === 1 && stem ? stem : undefined;
    return [...new Set([byGroup, byStem])].filter((c): c is string => c !== undefined && isSafeIdentifier(c));
  });
  const claims = new Map<string, number>();
  candidates.forEach((list) => list.forEach((c) => claims.set(c, (claims.get(c) ?? 0) + 1)));
  return groups.map((g, i) => {
    const free = candidates[i]!.find((c) => claims.get(c) === 1 && (instanceOwner.get(c) ?? i) === i);
    return free ?? g.map((p) => p.name).reduce((first, name) => (naturalOrder(name, first) < 0 ? name : first));
  });
}

/**
 * `SPI2` before `SPI10`: the first instance by name, which an added peripheral elsewhere cannot change.
 * One collator for the run: `localeCompare` with options builds a new one at every call (a tenth of
 * H743's generate time went there).
 */
const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

function analyseUncached(device: Device, diagnostics: Diagnostic[]): DeviceAnalysis {
  const sorted = sortDevice(device);
  const analysed: { p: Peripheral; nodes: NodeView[]; key: string }[] = [];
  const expanded = expandPeripherals(sorted.peripherals);
  for (const [index, p] of expanded.entries()) {
    peripheralAnalysed(p.name, index + 1, expanded.length);
    if (!isSafeIdentifier(p.name)) {
      diagnostics.push(unsafeNameDiagnostic('peripheral', p.name, p.path, p.span));
      continue;
    }
    const nodes = analyseNodes(p.registers, [], [], 0, diagnostics);
    // Register macros are shared by peripherals of one layout, so the aliases they use are part of it.
    analysed.push({ p, nodes, key: `${layoutKey(nodes)}|${JSON.stringify(p.atomicAliases ?? null)}` });
  }
  const groups = new Map<string, Peripheral[]>();
  for (const a of analysed) groups.set(a.key, [...(groups.get(a.key) ?? []), a.p]);
  const keys = [...groups.keys()];
  const names = new Map(layoutTypeNames([...groups.values()]).map((name, i) => [keys[i]!, name]));
  const peripherals: PeripheralView[] = [];
  const types: PeripheralView[] = [];
  for (const { p, nodes, key } of analysed) {
    const owner = groups.get(key)![0]!.name;
    const view: PeripheralView = {
      name: p.name,
      path: p.path,
      span: p.span,
      ...(p.description !== undefined ? { description: p.description } : {}),
      baseAddress: p.baseAddress,
      ...(p.driverKind !== undefined ? { driverKind: p.driverKind } : {}),
      interrupts: p.interrupts.filter((i) => isSafeIdentifier(i.name)).map((i) => ({ name: i.name, value: i.value })),
      typeName: names.get(key)!,
      typeOwner: owner,
      ownsType: owner === p.name,
      nodes,
      registers: flatRegisters(nodes),
      ...(p.atomicAliases ? { atomicAliases: p.atomicAliases } : {}),
    };
    peripherals.push(view);
    if (view.ownsType) types.push(view);
  }
  return { device: sorted, peripherals, types };
}
