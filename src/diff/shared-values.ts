import type { Entity } from './entities.ts';

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
  const byBit = (list: readonly Entity[]): Map<number, Entity[]> => {
    const map = new Map<number, Entity[]>();
    for (const e of list) if (e.kind === 'field' && e.children.length >= 2) map.set(e.position, [...(map.get(e.position) ?? []), e]);
    return map;
  };
  const oldAt = byBit(olds);
  const newAt = byBit(news);
  const pairs: [Entity, Entity][] = [];
  for (const [bit, oldFields] of oldAt) {
    const newFields = newAt.get(bit) ?? [];
    for (const o of oldFields) {
      const candidates = newFields.filter((n) => parentsMatched(o, n) && shared(o, n));
      if (candidates.length !== 1) continue;
      const n = candidates[0]!;
      if (oldFields.filter((x) => parentsMatched(x, n) && shared(x, n)).length === 1) pairs.push([o, n]);
    }
  }
  // Moved within the register pair: every value kept (names and numbers), unique on both sides
  // (I2C OAR1.ADDMODE bit 15 {Bit7=0, Bit10=1} → OA1MODE bit 10 with the same two values).
  const taken = new Set(pairs.flat());
  const byValueSet = (list: readonly Entity[]): Map<string, Entity[]> => {
    const map = new Map<string, Entity[]>();
    for (const e of list) {
      if (e.kind !== 'field' || e.children.length < 2 || taken.has(e)) continue;
      const key = [...values(e)].sort().join(',');
      const group = map.get(key);
      if (group) group.push(e);
      else map.set(key, [e]);
    }
    return map;
  };
  const newBySet = byValueSet(news);
  for (const [key, oldFields] of byValueSet(olds)) {
    const newFields = newBySet.get(key) ?? [];
    for (const o of oldFields) {
      const candidates = newFields.filter((n) => parentsMatched(o, n));
      if (candidates.length !== 1) continue;
      const n = candidates[0]!;
      if (oldFields.filter((x) => parentsMatched(x, n)).length === 1) pairs.push([o, n]);
    }
  }
  return pairs;
}
