import type { Entity } from './entities.ts';
import { otherMemberOfSeries } from './evidence.ts';
import { mutuallyUniquePairs } from './unique-pairs.ts';

/**
 * Fields that kept their enumerated values: same register pair, same lsb, and at least two values
 * with the same name and number — and no other unpaired field of either side that could say the
 * same (CRCCNF.SKIPADDR [9:8] {Include=0, Skip=1, Ieee802154=2} → OFFSET [10:8] {Include=0,
 * Skip=1, LENGTH=2, SO=3, S1=4}).
 */
export function sharedValuePairs(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const values = (e: Entity): Set<string> => new Set(e.children.map((v) => `${v.squashed}=${v.position}`));
  const shared = (a: Entity, b: Entity): boolean => {
    const bv = values(b);
    let common = 0;
    for (const v of values(a)) if (bv.has(v)) common++;
    return common >= 2;
  };
  // Indexed by lsb: scopes are whole peripherals, and every pair of them would be quadratic.
  const pairs = mutuallyUniquePairs(
    olds,
    news,
    (e) => (e.kind === 'field' && e.children.length >= 2 ? e.position : undefined),
    (o, n) => parentsMatched(o, n) && shared(o, n),
  );
  // Moved within the register pair: every value kept (names and numbers), unique on both sides
  // (I2C OAR1.ADDMODE bit 15 {Bit7=0, Bit10=1} → OA1MODE bit 10 with the same two values).
  const taken = new Set(pairs.flat());
  const valueSet = (e: Entity): string | undefined =>
    e.kind !== 'field' || e.children.length < 2 || taken.has(e) ? undefined : [...values(e)].sort().join(',');
  return [...pairs, ...mutuallyUniquePairs(olds, news, valueSet, parentsMatched)];
}

/**
 * An enumerated value at the same number whose name changed only in its number, alone of its kind
 * in its field (`PCLK1` → `PCLK2`: the one bus clock of a kernel clock selector, the bus renumbered):
 * the same value renamed, whatever the score. Values of a numbered series are not (`Cycles4_5` →
 * `Cycles12_5`: `otherMemberOfSeries`).
 */
export function renumberedNamePairs(olds: readonly Entity[], news: readonly Entity[]): [Entity, Entity][] {
  const stem = (e: Entity): string => e.squashed.replace(/[0-9]+/g, '');
  return mutuallyUniquePairs(
    olds,
    news,
    (e) => (e.kind === 'enum-value' && /[0-9]/.test(e.squashed) ? `${e.position}:${stem(e)}` : undefined),
    (o, n) => o.squashed !== n.squashed && stem(o).length > 0 && !otherMemberOfSeries(o, n),
  );
}
