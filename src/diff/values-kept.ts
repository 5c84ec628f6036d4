import type { Entity } from './entities.ts';
import { fieldsInPeripheralWith } from './peripheral-counts.ts';
import { describedAlikeBy, nameEvidence } from './evidence.ts';

/**
 * A field renamed and moved to a register that is not its old register's counterpart (usually a
 * new one), recognised by its enumeration: every value kept (names and numbers, at least two), the
 * same software access, the value set distinctive (no other field of either whole peripheral has
 * it, paired or not) and the names related (an abbreviation, an affix, shared tokens). STM32 SPI
 * v3 → v4: `CR1.MSTR` {Slave=0, Master=1} → `CFG2.MASTER`, `CR1.BR` {Div2=0 … Div256=7} →
 * `CFG1.MBR`. A common set such as {Disabled, Enabled}, carried by many fields of a peripheral,
 * never qualifies; and because a small peripheral may carry it once on each side (`CR2.TXEIE` and
 * a new `CFG1.TXDMAEN`), values without a name relation pair only when every value also kept its
 * meaning in words — each value described, beyond its own name, in words that agree with its
 * counterpart's: `CR2.FRF` {Motorola 'SPI Motorola mode', TI 'SPI TI mode'} → `CFG2.SP`
 * {Motorola 'Motorola SPI protocol', TI 'TI SPI protocol'}. Those pairings are uncertain (the
 * caller checks `nameEvidence`).
 */
export function valuesKeptElsewhere(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const candidates = (list: readonly Entity[]): Map<string, Entity> => {
    const out = new Map<string, Entity>();
    for (const e of list) {
      if (e.kind !== 'field' || e.children.length < 2) continue;
      const key = valueSet(e);
      if (timesInPeripheral(e, key) === 1) out.set(key, e);
    }
    return out;
  };
  const newBySet = candidates(news);
  const pairs: [Entity, Entity][] = [];
  for (const [key, o] of candidates(olds)) {
    const n = newBySet.get(key);
    if (n !== undefined && !parentsMatched(o, n) && n.sw === o.sw && (nameEvidence(o, n) || valuesWordedAlike(o, n))) pairs.push([o, n]);
  }
  return pairs;
}

/** Every value of `o` described like its namesake in `n` (the value sets are equal). */
function valuesWordedAlike(o: Entity, n: Entity): boolean {
  const byName = new Map(n.children.map((v) => [v.squashed, v]));
  return o.children.every((v) => {
    const w = byName.get(v.squashed);
    return w !== undefined && describedAlikeBy(v, w);
  });
}

/** `name=number` of every enumerated value, sorted: the field's value set. */
function valueSet(field: Entity): string {
  return field.children
    .map((v) => `${v.squashed}=${v.position}`)
    .sort()
    .join(',');
}

/** How many fields of the field's whole peripheral (every register, paired or not) carry this value set. */
const timesInPeripheral = fieldsInPeripheralWith((f) => (f.children.length >= 2 ? valueSet(f) : undefined));
