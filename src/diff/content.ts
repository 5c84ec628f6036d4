import type { Entity } from './entities.ts';
import { mutuallyUniquePairs } from './unique-pairs.ts';

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
  return mutuallyUniquePairs(olds, news, signature, parentsMatched);
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
