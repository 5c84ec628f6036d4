import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { byNumberThenName } from '../../src/ir/canonical.ts';
import type { Cluster, Dim, Field, Register, RegisterNode } from '../../src/ir/types.ts';
import { analyseField, expandFieldArrays, placeField, readableAccess, writableAccess } from './analyse-fields.ts';
import type { ArrayLevel, ClusterView, FieldView, NodeView, RegisterView } from './analysis-types.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';

// Children are visited in canonical order (src/ir/canonical.ts), so diagnostics and every choice that
// depends on order come out the same whatever order the spec lists them in. Sorting each list where
// it is walked costs an array per list; sorting a copy of the whole device cost a copy of every node.
const byOffset = byNumberThenName<RegisterNode>((n) => n.offset);
const byLsb = byNumberThenName<Field>((f) => f.lsb);

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

export function analyseNodes(
  nodes: readonly RegisterNode[],
  nameParts: readonly string[],
  levels: readonly ArrayLevel[],
  base: number,
  diagnostics: Diagnostic[],
): NodeView[] {
  const out: NodeView[] = [];
  for (const node of expandOffsetArrays([...nodes].sort(byOffset))) {
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
  for (const { field: f, array } of expandFieldArrays([...register.fields].sort(byLsb))) {
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
    readable: hasFields ? fields.some((f) => f.readable) : register.access === undefined || readableAccess.has(register.access),
    writable: hasFields ? fields.some((f) => f.writable) : register.access === undefined || writableAccess.has(register.access),
    readSideEffect: fields.some((f) => f.onRead !== undefined),
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
