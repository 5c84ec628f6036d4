import type { Entity } from './entities.ts';

/**
 * Pairs of unmatched nodes whose contents are identical and unique on both sides of a scope. A
 * field's content is its bits, access, reset and values, so only fields that carry values (an
 * enumeration) or an identical non-empty description qualify: two plain one-bit flags at the same
 * bit are not the same field by that alone.
 */
export function contentPairs(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const signature = (e: Entity): string | undefined => {
    if (e.kind === 'enum-value') return undefined;
    if (e.kind === 'field') {
      const described = e.description && e.description.trim().length > 0 ? e.description.trim() : undefined;
      if (e.children.length === 0 && described === undefined) return undefined;
      return `${e.position}:${e.content}${e.children.length > 0 ? '' : `\u0000${described}`}`;
    }
    return e.children.length > 0 ? `${e.shape}\u0000${e.content}` : undefined;
  };
  const bySignature = (list: readonly Entity[]): Map<string, Entity[]> => {
    const map = new Map<string, Entity[]>();
    for (const e of list) {
      const s = signature(e);
      if (s === undefined) continue;
      const bucket = map.get(s);
      if (bucket) bucket.push(e);
      else map.set(s, [e]);
    }
    return map;
  };
  const newGroups = bySignature(news);
  const pairs: [Entity, Entity][] = [];
  for (const [s, oldList] of bySignature(olds)) {
    const newList = newGroups.get(s);
    if (!newList) continue;
    for (const o of oldList) {
      const candidates = newList.filter((n) => parentsMatched(o, n));
      if (candidates.length !== 1) continue;
      const rivals = oldList.filter((x) => parentsMatched(x, candidates[0]!));
      if (rivals.length === 1) pairs.push([o, candidates[0]!]);
    }
  }
  return pairs;
}

/**
 * `twin` (unpaired, at `old`'s position) is `old` renamed, while `namesake` (which took the name)
 * is something else: same position, content and non-empty wording as the old node, and the
 * namesake says something different.
 */
export function sameThingRenamed(old: Entity, namesake: Entity, twin: Entity): boolean {
  const words = (e: Entity): string => (e.description ?? '').replace(/\s+/g, ' ').trim();
  return (
    twin.position === old.position &&
    twin.width === old.width &&
    twin.content === old.content &&
    words(old) !== '' &&
    words(twin) === words(old) &&
    words(namesake) !== words(old)
  );
}
