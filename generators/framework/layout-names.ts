import type { Peripheral } from '../../src/ir/types.ts';
import type { EnumValueView, FieldView, NodeView } from './analysis-types.ts';
import { isSafeIdentifier } from './identifiers.ts';

/**
 * Structural identity of a peripheral's registers (names, offsets, fields, access), ignoring prose:
 * two layouts are the same when every register has the same name, offset, size, array, reset and
 * mask, `alternateOf` and fields (name, mask, access label, reset, enum value names and values), and
 * every cluster the same name, offset, array, extent and children, in the same order.
 *
 * Compared node by node, stopping at the first difference: a layout's text key (the whole layout
 * in JSON, then compared as a string) cost H743's analysis a fifth of its time and allocation.
 */
export function sameLayout(a: readonly NodeView[], b: readonly NodeView[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameNode(a[i] as NodeView, b[i] as NodeView)) return false;
  return true;
}

/** A cheap summary of a layout: layouts that differ here are never the same (sameLayout compares the rest). */
export function layoutSignature(nodes: readonly NodeView[]): string {
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  return first && last ? `${nodes.length} ${first.name} ${first.offset} ${last.name} ${last.offset}` : '0';
}

function sameNode(a: NodeView, b: NodeView): boolean {
  if (a.kind !== b.kind || a.name !== b.name || a.offset !== b.offset || a.dim?.count !== b.dim?.count || a.dim?.stride !== b.dim?.stride) return false;
  if (a.kind === 'cluster') return b.kind === 'cluster' && a.extent === b.extent && sameLayout(a.children, b.children);
  if (b.kind !== 'register') return false;
  if (a.size !== b.size || a.resetValue !== b.resetValue || a.resetMask !== b.resetMask || a.alternateOf !== b.alternateOf) return false;
  if (a.fields.length !== b.fields.length) return false;
  for (let i = 0; i < a.fields.length; i++) {
    const f = a.fields[i] as FieldView;
    const g = b.fields[i] as FieldView;
    if (f.name !== g.name || f.mask !== g.mask || f.accessLabel !== g.accessLabel || f.reset !== g.reset) return false;
    if (f.enumValues.length !== g.enumValues.length) return false;
    for (let j = 0; j < f.enumValues.length; j++) {
      const e = f.enumValues[j] as EnumValueView;
      const d = g.enumValues[j] as EnumValueView;
      if (e.name !== d.name || e.value !== d.value) return false;
    }
  }
  return true;
}

/**
 * Type names of the distinct layouts (see PeripheralView.typeName). A candidate is taken only if
 * no other layout claims it and it is no instance name of another layout, so names never collide.
 */
export function layoutTypeNames(groups: readonly (readonly Peripheral[])[]): string[] {
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
