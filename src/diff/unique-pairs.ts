import type { Entity } from './entities.ts';

/**
 * Pairs an old and a new entity when each is the other's only `alike` partner, looking only within
 * groups of the same key (`keyOf` undefined: not a candidate). Grouping keeps whole-peripheral
 * scopes far from quadratic; mutual uniqueness keeps the pairing from guessing. Pairs come in the
 * order of the old side's groups, then of the old entities within a group.
 */
export function mutuallyUniquePairs<K>(
  olds: readonly Entity[],
  news: readonly Entity[],
  keyOf: (e: Entity) => K | undefined,
  alike: (o: Entity, n: Entity) => boolean,
): [Entity, Entity][] {
  const group = (list: readonly Entity[]): Map<K, Entity[]> => {
    const map = new Map<K, Entity[]>();
    for (const e of list) {
      const key = keyOf(e);
      if (key === undefined) continue;
      const members = map.get(key);
      if (members) members.push(e);
      else map.set(key, [e]);
    }
    return map;
  };
  const newGroups = group(news);
  const pairs: [Entity, Entity][] = [];
  for (const [key, oldGroup] of group(olds)) {
    const newGroup = newGroups.get(key) ?? [];
    for (const o of oldGroup) {
      const candidates = newGroup.filter((n) => alike(o, n));
      if (candidates.length !== 1) continue;
      const n = candidates[0]!;
      if (oldGroup.filter((x) => alike(x, n)).length === 1) pairs.push([o, n]);
    }
  }
  return pairs;
}
