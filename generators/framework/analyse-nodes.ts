import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { byLsb, byOffset, inOrder } from '../../src/ir/canonical.ts';
import type { Cluster, Dim, Register, RegisterNode } from '../../src/ir/types.ts';
import { analyseField, expandFieldArrays, placeField, readableAccess, writableAccess } from './analyse-fields.ts';
import type { ArrayLevel, ClusterView, FieldView, NodeView, RegisterView } from './analysis-types.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';

// Children are visited in canonical order (src/ir/canonical.ts), so diagnostics and every choice that
// depends on order come out the same whatever order the spec lists them in. Sorting each list where
// it is walked costs an array per list (only for a list not already in order: `inOrder`); sorting a
// copy of the whole device cost a copy of every node.
const viewsByOffset = (a: NodeView, b: NodeView): number => a.offset - b.offset || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
// Never 0: two fields of one name at one bit keep whatever order the sort gives them, as before.
const viewsByLsb = (a: FieldView, b: FieldView): number => a.lsb - b.lsb || (a.name < b.name ? -1 : 1);

function arrayLevel(dim: Dim | undefined): ArrayLevel | undefined {
  if (!dim) return undefined;
  return { count: dim.count, stride: dim.stride };
}

/**
 * Arrays with explicit per-element offsets (chiptool) have no stride: they become one node per element
 * so every target can still address them.
 */
function expandOffsetArrays(nodes: readonly RegisterNode[]): readonly RegisterNode[] {
  if (!nodes.some((node) => node.dim?.offsets)) return nodes;
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

export function analyseNodes(
  nodes: readonly RegisterNode[],
  nameParts: readonly string[],
  levels: readonly ArrayLevel[],
  base: number,
  diagnostics: Diagnostic[],
): NodeView[] {
  const out: NodeView[] = [];
  const ordered = expandOffsetArrays(inOrder(nodes, byOffset));
  for (let i = 0; i < ordered.length; i++) {
    const node = ordered[i] as RegisterNode;
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
  return inOrder(out, viewsByOffset) as NodeView[];
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
  const analysed: FieldView[] = [];
  const expanded = expandFieldArrays(inOrder(register.fields, byLsb));
  for (let i = 0; i < expanded.length; i++) {
    const { field: f, array } = expanded[i] as (typeof expanded)[number];
    if (!isSafeIdentifier(f.name)) {
      diagnostics.push(unsafeNameDiagnostic('field', f.name, f.path, f.span));
      continue;
    }
    analysed.push(analyseField(f, diagnostics, array && isSafeIdentifier(array.name) ? array : undefined));
  }
  const fields = inOrder(analysed, viewsByLsb);
  let neutralMask = 0;
  let neutralValue = 0;
  let writeBase = 0;
  let readable = false;
  let writable = false;
  let readSideEffect = false;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as FieldView;
    readable ||= f.readable;
    writable ||= f.writable;
    readSideEffect ||= f.onRead !== undefined;
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
    description: register.description,
    offset: register.offset,
    absOffset: base + register.offset,
    nameParts: parts,
    arrayLevels: levels,
    dim,
    size: register.size,
    byteSize: Math.ceil(register.size / 8),
    resetValue: register.resetValue,
    resetMask: register.resetMask,
    // A register without fields has only its own access (ATSAMD21 DSU.ENTRY1 is read-only); none stated is read-write.
    readable: hasFields ? readable : register.access === undefined || readableAccess.has(register.access),
    writable: hasFields ? writable : register.access === undefined || writableAccess.has(register.access),
    readSideEffect,
    neutralMask,
    neutralValue,
    writeBase,
    fields,
    alternateOf: register.alternateOf,
  };
}

export function flatRegisters(nodes: readonly NodeView[]): RegisterView[] {
  return nodes.flatMap((n) => (n.kind === 'register' ? [n] : flatRegisters(n.children)));
}
