import type { Entity } from './entities.ts';
import { abbreviationScore, affixScore, editSimilarity, jaccard, squash } from './names.ts';

/**
 * Evidence for a pairing beyond position, and the two pairings made on identity rather than on a
 * score: identical contents (a peripheral renamed *and* re-based, a field renamed at the same
 * bits with the same access and values), and scalars collected into an array (or an array
 * expanded into scalars) at unchanged addresses.
 */

/** Description word overlap from which two descriptions count as saying the same thing. */
const DESCRIPTION_EVIDENCE = 0.6;
/** Child-name overlap from which two containers count as holding the same things. */
const CHILDREN_EVIDENCE = 0.5;
/** Description overlap that hints at the same node without settling it. */
const WEAK_DESCRIPTION_EVIDENCE = 0.3;

/**
 * The names say the same thing: half their tokens, an abbreviation of every token, an affix, or
 * most of their letters. One shared token is not enough: `tx_overflow` and `tx_empty` share `tx`
 * and are two different interrupts.
 */
export function nameEvidence(a: Entity, b: Entity): boolean {
  if (a.squashed === b.squashed) return true;
  if (jaccard(a.tokens, b.tokens) >= 0.5) return true;
  if (abbreviationScore(a.squashed, b.squashed, a.tokenList, b.tokenList) === 1) return true;
  if (affixScore(a.squashed, b.squashed) > 0) return true;
  return editSimilarity(a.squashed, b.squashed) >= 0.5;
}

/**
 * A description that names its own node ("Enable interrupt when INTR_STATE.tx_overflow is set")
 * was generated from a template: two of them agree whatever the nodes are, so they are no evidence.
 */
function templated(e: Entity): boolean {
  return e.description !== undefined && e.name.length > 2 && e.description.toLowerCase().includes(e.name.toLowerCase());
}

function describedAlike(a: Entity, b: Entity, threshold: number): boolean {
  if (a.descWords.size === 0 || b.descWords.size === 0 || templated(a) || templated(b)) return false;
  return jaccard(a.descWords, b.descWords) >= threshold;
}

/**
 * How much more than position supports a pairing:
 * - `strong`: the names say the same thing, the descriptions agree, the children are largely the
 *   same, or the contents are identical;
 * - `weak`: only a shared name token or a loosely similar description — the pairing is made but
 *   marked uncertain and graded as the removal it may hide;
 * - `none`: position alone (the same bit in a re-laid-out register is often an unrelated field) —
 *   no pairing is made.
 */
export function evidenceOf(a: Entity, b: Entity): 'strong' | 'weak' | 'none' {
  // Under a matched field a value is its name or its number: with both changed nothing identifies it
  // (nRF54L15 UICR PALL: Protected = 0x50FA50FA removed, Unprotected = 0xFFFFFFFF added).
  if (a.kind === 'enum-value') return a.position === b.position || a.squashed === b.squashed ? 'strong' : 'none';
  if (unrelatedRegisters(a, b)) return 'none';
  if (describedAlike(a, b, DESCRIPTION_EVIDENCE) || sharedChildren(a, b)) return 'strong';
  if (a.content === b.content && (a.children.length > 0 || a.kind === 'peripheral')) return 'strong';
  // A resemblance of two different names is only a hint when their descriptions say different
  // things (SR RXNE 'Receive buffer not empty' vs RXP 'Rx-Packet available', both at bit 0).
  if (nameEvidence(a, b)) return a.squashed !== b.squashed && describedApart(a, b) ? 'weak' : 'strong';
  if (sharesWord(a, b) || describedAlike(a, b, WEAK_DESCRIPTION_EVIDENCE)) return 'weak';
  return 'none';
}

/**
 * Both described in words of their own, the shorter description sharing (almost) none of its words
 * with the longer: a long and a short wording of one thing (DATAWHITEIV 'Data whitening initial
 * value. Bit 6 is hardwired…' vs IV 'Whitening initial value') are not apart.
 */
export function describedApart(a: Entity, b: Entity): boolean {
  // A description naming its own node among other words counts here (`NACK` 'NACK generation'); one
  // that only repeats the name (`NSEOP` 'NSEOP') says nothing, so nothing it disagrees with.
  if (a.descWords.size === 0 || b.descWords.size === 0 || onlyItsName(a) || onlyItsName(b)) return false;
  const [shorter, longer] = a.descWords.size <= b.descWords.size ? [a.descWords, b.descWords] : [b.descWords, a.descWords];
  let common = 0;
  for (const w of shorter) if (longer.has(w)) common++;
  return common / shorter.size < WEAK_DESCRIPTION_EVIDENCE;
}

/**
 * The children are largely the same: half of all of them, or at least two making up half of the
 * smaller side (a field that gained enumerated values keeps the old ones: SKIPADDR {Include, Skip,
 * Ieee802154} → OFFSET {Include, Skip, LENGTH, SO, S1}).
 */
function sharedChildren(a: Entity, b: Entity): boolean {
  if (a.children.length === 0 || b.children.length === 0) return false;
  if (jaccard(a.childNames, b.childNames) >= CHILDREN_EVIDENCE) return true;
  let common = 0;
  for (const name of a.childNames) if (b.childNames.has(name)) common++;
  return common >= 2 && common / Math.min(a.childNames.size, b.childNames.size) >= CHILDREN_EVIDENCE;
}

/**
 * Two registers that both have fields, none in common by name or by bits, and descriptions that
 * do not agree, are different registers whatever their names share: I2C v1 CCR (clock control:
 * CCR[11:0], DUTY, F_S) and v2 ICR (interrupt clear: ADDRCF...ALERTCF), both at 0x1C, differ in
 * one letter.
 */
function unrelatedRegisters(a: Entity, b: Entity): boolean {
  if (a.kind !== 'register' || b.kind !== 'register' || a.children.length === 0 || b.children.length === 0 || a.squashed === b.squashed) return false;
  for (const name of a.childNames) if (b.childNames.has(name)) return false;
  for (const bits of a.childLayout) if (b.childLayout.has(bits)) return false;
  return !describedAlike(a, b, WEAK_DESCRIPTION_EVIDENCE);
}

/** A shared name token of three letters or more: `tx`, `rx`, `ch`, `en` name a direction or a family, not a node. */
function sharesWord(a: Entity, b: Entity): boolean {
  for (const t of a.tokens) if (t.length >= 3 && b.tokens.has(t)) return true;
  return false;
}

/** A description whose every word is the node's name or one of its tokens: a placeholder. */
function onlyItsName(e: Entity): boolean {
  if (squash(e.description ?? '') === e.squashed) return true;
  for (const w of e.descWords) if (w !== e.squashed && !e.tokens.has(w)) return false;
  return true;
}

/**
 * Both described in words beyond their names, most words of the shorter description in the longer
 * one: 'SPI Motorola mode' and 'Motorola SPI protocol' (2 of 3).
 */
export function describedAlikeBy(a: Entity, b: Entity): boolean {
  if (a.descWords.size === 0 || b.descWords.size === 0 || onlyItsName(a) || onlyItsName(b)) return false;
  const [shorter, longer] = a.descWords.size <= b.descWords.size ? [a.descWords, b.descWords] : [b.descWords, a.descWords];
  let common = 0;
  for (const w of shorter) if (longer.has(w)) common++;
  return common / shorter.size >= DESCRIPTION_EVIDENCE;
}

/** True when anything beyond position supports the pairing. */
export function hasEvidence(a: Entity, b: Entity): boolean {
  return evidenceOf(a, b) !== 'none';
}

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

/**
 * Name or address identity beyond the parent: a field whose name occurs once among the unpaired
 * fields of both sides of a peripheral pair moved to another register under that name (USART
 * CR1.RWU → ISR.RWU); a register alone at its address on both sides, with a related name or the
 * same fields, was renamed in place (RADIO DATAWHITEIV → DATAWHITE at 0x540), and so was the one
 * unpaired field at a bit of a paired register whose name is related (DATAWHITEIV.DATAWHITEIV → IV).
 */
export function identityPairs(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
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
 * A field renamed and moved to another register, when its name is related, its description
 * agrees, its width and access are the same, and no other unpaired field of the peripheral pair
 * says the same on either side: I2C v1 FLTR.ANOFF 'Analog noise filter' → v2 CR1.ANFOFF 'Analog
 * noise filter OFF' (FLTR removed). Name and wording only: the caller marks these uncertain.
 * Within one register pair the scorer decides (it sees position and layout too).
 */
export function renamedElsewhere(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  // Grouped by width and access, which must agree: large re-laid-out peripherals stay far from quadratic.
  const byShape = (list: readonly Entity[]): Map<string, Entity[]> => {
    const map = new Map<string, Entity[]>();
    for (const e of list) {
      if (e.kind !== 'field' || e.parent === undefined || e.descWords.size === 0) continue;
      const key = `${e.width}:${e.sw}`;
      const group = map.get(key);
      if (group) group.push(e);
      else map.set(key, [e]);
    }
    return map;
  };
  const alike = (a: Entity, b: Entity): boolean => !parentsMatched(a, b) && nameEvidence(a, b) && describedAlike(a, b, DESCRIPTION_EVIDENCE);
  const newByShape = byShape(news);
  const pairs: [Entity, Entity][] = [];
  for (const [shape, oldFields] of byShape(olds)) {
    const newFields = newByShape.get(shape) ?? [];
    for (const o of oldFields) {
      const candidates = newFields.filter((n) => alike(o, n));
      if (candidates.length !== 1) continue;
      const n = candidates[0]!;
      if (oldFields.filter((x) => alike(x, n)).length === 1) pairs.push([o, n]);
    }
  }
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

/** Scalars gathered into one array at the addresses of its elements, or the reverse. */
export interface ArrayGroup {
  readonly direction: 'collected' | 'expanded';
  /** The array node: new when collected, old when expanded. */
  readonly array: Entity;
  /** The scalar nodes, in element order, with the element index each sits at. */
  readonly scalars: readonly { readonly entity: Entity; readonly index: number }[];
}

/**
 * One scalar alone at an element is that element only when it is named so, its name without index
 * digits is the array's (`CH0` and `CH[n]`), or a resembling name is backed by agreeing wording: a
 * position and a resemblance alone collect unrelated bits (`TAMP1INSEL` 'Tamper 1 mapping' is not
 * the first `TAMPXIE` 'Tamper interrupt enable').
 */
function sameThingAsElement(scalar: Entity, elementName: string, array: Entity): boolean {
  if (scalar.squashed === squash(elementName)) return true;
  if (scalar.squashed.replace(/[0-9]+/g, '') === array.squashed.replace(/[0-9]+/g, '')) return true;
  return nameEvidence(scalar, array) && describedAlikeBy(scalar, array);
}

/**
 * Both scalars, both arrays, a scalar re-shaped (wider than an element: `WRPROT[32]` of one bit each
 * → `WRP2[31:0]`), or a scalar that is the array's element at its position by `sameThingAsElement`.
 */
function shapesAgree(a: Entity, b: Entity): boolean {
  if ((a.dims.length === 0) === (b.dims.length === 0)) return true;
  const [scalar, array] = a.dims.length === 0 ? [a, b] : [b, a];
  if (scalar.width !== array.width) return true;
  const element = array.elements.find((e) => e.position === scalar.position);
  return element !== undefined && sameThingAsElement(scalar, element.name, array);
}

/**
 * Scalars ↔ array at unchanged addresses with unchanged contents: every scalar sits exactly at one
 * element's position (base + offset for registers), has the array's width and the same content
 * (fields, bits, access, reset). One scalar alone is accepted only when its name is the element's
 * name or shares a token with it; two or more are enough on addresses and layout.
 */
export function arrayGroups(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): ArrayGroup[] {
  const groups: ArrayGroup[] = [];
  const taken = new Set<Entity>();
  const find = (arrays: readonly Entity[], scalars: readonly Entity[], direction: ArrayGroup['direction']): void => {
    const scalarsAt = new Map<number, Entity[]>();
    for (const s of scalars) {
      if (s.dims.length > 0) continue;
      const list = scalarsAt.get(s.absolute);
      if (list) list.push(s);
      else scalarsAt.set(s.absolute, [s]);
    }
    if (scalarsAt.size === 0) return;
    for (const array of arrays) {
      if (array.kind === 'enum-value' || taken.has(array)) continue;
      const found: { entity: Entity; index: number }[] = [];
      array.elements.forEach((element, index) => {
        // Registers compare absolute addresses: a re-based peripheral with compensating offsets moved nothing.
        const address = array.kind === 'register' && array.parent ? array.parent.position + element.position : element.position;
        const here = (scalarsAt.get(address) ?? []).filter((s) => {
          if (taken.has(s) || s.width !== array.width || s.content !== array.content) return false;
          return direction === 'collected' ? parentsMatched(s, array) : parentsMatched(array, s);
        });
        // Several same-content scalars at one address (alternates): the one named like the element.
        const pick = here.find((s) => s.squashed === element.name.toLowerCase().replace(/[^a-z0-9]/g, '')) ?? (here.length === 1 ? here[0] : undefined);
        if (pick) found.push({ entity: pick, index });
      });
      if (found.length === 0) continue;
      if (found.length === 1) {
        const only = found[0]!;
        const element = array.elements[only.index]!;
        if (!sameThingAsElement(only.entity, element.name, array)) continue;
      }
      taken.add(array);
      found.forEach((f) => taken.add(f.entity));
      groups.push({ direction, array, scalars: found });
    }
  };
  find(news, olds, 'collected');
  find(olds, news, 'expanded');
  return groups;
}
