import type { Entity } from './entities.ts';
import { shapesAgree } from './arrays.ts';
import { nameEvidence, sharedChildren, unrelatedRegisters } from './evidence.ts';

/**
 * Name or address identity beyond the parent: a field whose name occurs once among the unpaired
 * fields of both sides of a peripheral pair moved to another register under that name (USART
 * CR1.RWU → ISR.RWU); a register alone at its address on both sides, with a related name or the
 * same fields, was renamed in place (RADIO DATAWHITEIV → DATAWHITE at 0x540), and so was the one
 * unpaired field at a bit of a paired register whose name is related (DATAWHITEIV.DATAWHITEIV → IV).
 */
export function nameOrAddressPairs(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const pairs: [Entity, Entity][] = [];
  const unique = <K>(list: readonly Entity[], key: (e: Entity) => K): Map<K, Entity> => {
    const seen = new Map<K, Entity | null>();
    for (const e of list) seen.set(key(e), seen.has(key(e)) ? null : e);
    return new Map([...seen].filter((entry): entry is [K, Entity] => entry[1] !== null));
  };
  const fieldsOld = unique(
    olds.filter((e) => e.kind === 'field'),
    (e) => e.squashed,
  );
  const fieldsNew = unique(
    news.filter((e) => e.kind === 'field'),
    (e) => e.squashed,
  );
  for (const [name, o] of fieldsOld) {
    const n = fieldsNew.get(name);
    if (n && n.parent !== undefined && o.parent !== undefined) pairs.push([o, n]);
  }
  // In a paired register, the one unpaired field at an lsb on each side, with a related name (DATAWHITEIV → IV).
  const taken = new Set(pairs.flat());
  const atBit = (e: Entity): string => `${e.parent?.path}:${e.position}`;
  const bitOld = unique(
    olds.filter((e) => e.kind === 'field' && !taken.has(e)),
    atBit,
  );
  const bitNew = unique(
    news.filter((e) => e.kind === 'field' && !taken.has(e)),
    atBit,
  );
  const newByBit = new Map<number, Entity[]>();
  for (const n of bitNew.values()) newByBit.set(n.position, [...(newByBit.get(n.position) ?? []), n]);
  for (const o of bitOld.values()) {
    const n = (newByBit.get(o.position) ?? []).find((x) => parentsMatched(o, x));
    if (n && nameEvidence(o, n) && shapesAgree(o, n)) pairs.push([o, n]);
  }
  const registersOld = unique(
    olds.filter((e) => e.kind === 'register' && e.dims.length === 0),
    (e) => `${e.absolute}:${e.width}`,
  );
  const registersNew = unique(
    news.filter((e) => e.kind === 'register' && e.dims.length === 0),
    (e) => `${e.absolute}:${e.width}`,
  );
  for (const [address, o] of registersOld) {
    const n = registersNew.get(address);
    if (n && !unrelatedRegisters(o, n) && (nameEvidence(o, n) || sharedChildren(o, n))) pairs.push([o, n]);
  }
  pairs.push(...sameFieldsElsewhere(olds, news, new Set(pairs.flat()), parentsMatched));
  return pairs;
}

/**
 * A register renamed and moved whose fields largely kept their names, when it is the only such
 * register on both sides: I2C v1 SR1 at 0x14 → v2 ISR at 0x18 (10 of SR1's 14 flags continue).
 */
function sameFieldsElsewhere(
  olds: readonly Entity[],
  news: readonly Entity[],
  taken: ReadonlySet<Entity>,
  parentsMatched: (o: Entity, n: Entity) => boolean,
): [Entity, Entity][] {
  const registers = (list: readonly Entity[]): Entity[] => list.filter((e) => e.kind === 'register' && e.children.length > 0 && !taken.has(e));
  const oldRegisters = registers(olds);
  const newRegisters = registers(news);
  const pairs: [Entity, Entity][] = [];
  for (const o of oldRegisters) {
    const candidates = newRegisters.filter((n) => parentsMatched(o, n) && sharedChildren(o, n));
    if (candidates.length !== 1) continue;
    const n = candidates[0]!;
    if (oldRegisters.filter((x) => parentsMatched(x, n) && sharedChildren(x, n)).length === 1) pairs.push([o, n]);
  }
  return pairs;
}
