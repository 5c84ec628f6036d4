import type { Peripheral } from '../../src/ir/types.ts';
import type { NodeView } from './analysis-types.ts';
import { isSafeIdentifier } from './identifiers.ts';

/** Structural identity of a peripheral's registers (names, offsets, fields, access), ignoring prose. */
export function layoutKey(nodes: readonly NodeView[]): string {
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
