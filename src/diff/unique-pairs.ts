import type { Entity } from './entities.ts';
import { groupBy } from './group-by.ts';

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
  const newGroups = groupBy(news, keyOf);
  const pairs: [Entity, Entity][] = [];
  for (const [key, oldGroup] of groupBy(olds, keyOf)) {
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

/**
 * The candidates that are both their old and their new entity's strongest (`stronger` > 0: `a` beats
 * `b`), with no other candidate of either entity as strong: a tie pairs neither, so the pass never
 * guesses between two equally supported partners. In the order of the first candidate of each old
 * entity.
 */
export function mutuallyStrongest<C extends { readonly o: Entity; readonly n: Entity }>(candidates: readonly C[], stronger: (a: C, b: C) => number): C[] {
  const best = (side: (c: C) => Entity): Map<Entity, C | undefined> => {
    const top = new Map<Entity, { c: C; tied: boolean }>();
    for (const c of candidates) {
      const was = top.get(side(c));
      const order = was ? stronger(c, was.c) : 1;
      if (order > 0) top.set(side(c), { c, tied: false });
      else if (order === 0 && was) was.tied = true;
    }
    return new Map([...top].map(([e, { c, tied }]) => [e, tied ? undefined : c]));
  };
  const byNew = best((c) => c.n);
  return [...best((c) => c.o).values()].filter((c): c is C => c !== undefined && byNew.get(c.n) === c);
}
