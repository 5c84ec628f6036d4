import type { Entity } from './entities.ts';
import { fieldsInPeripheralWith } from './peripheral-counts.ts';
import { DESCRIPTION_EVIDENCE, describedAlike, describedAlikeBy, describedApart, nameEvidence } from './evidence.ts';
import { affixScore, isAbbreviation, squash } from './names.ts';
import { mutuallyUniquePairs } from './unique-pairs.ts';

/**
 * Fields renamed and moved to a register that is not their old register's counterpart, found by
 * what stayed when neither the name nor the values did — pairings the caller marks uncertain
 * unless their evidence is strong (evidence.ts `evidenceOf`):
 * - the same wording, in words no other field of either whole peripheral uses: I2C v1
 *   `CR2.ITERREN` 'Error interrupt enable' → v2 `CR1.ERRIE` 'Error interrupts enable';
 * - a name that one name of the other side abbreviates or extends, and no other name of either
 *   whole peripheral does, spelled out from the shorter one's description, unless their
 *   descriptions say different things: SPI `CR2.DS` 'Data size' → `CFG1.DSIZE` 'Number of bits in
 *   at single SPI data frame' (widened, its values dropped), but not I2C `CR1.ACK` 'Acknowledge
 *   enable' → `CR2.NACK` 'NACK generation'.
 * Both need the same software access; the wording needs the same width too.
 */

/** A wording names one field only with this many distinct words or more: 'Enable' or 'Data' name nothing. */
const MIN_WORDING_WORDS = 3;

/** A name shorter than this abbreviates too much to be told apart (`EN`, `S`). */
const MIN_NAME_LETTERS = 2;

export function sameWordingElsewhere(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  // Keyed among the unpaired first: the whole peripherals' wordings are counted only where two meet.
  const byWording = (list: readonly Entity[]): Map<string, Entity | null> => {
    const out = new Map<string, Entity | null>();
    for (const e of list) {
      const key = wordingKey(e);
      if (key !== undefined) out.set(key, out.has(key) ? null : e);
    }
    return out;
  };
  const newByWording = byWording(news);
  const pairs: [Entity, Entity][] = [];
  for (const [key, o] of byWording(olds)) {
    const n = newByWording.get(key);
    if (!o || !n || parentsMatched(o, n) || n.sw !== o.sw || n.width !== o.width) continue;
    if (timesInPeripheral(o, key) === 1 && timesInPeripheral(n, key) === 1) pairs.push([o, n]);
  }
  return pairs;
}

export function nameKeptElsewhere(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const pairs: [Entity, Entity][] = [];
  const fields = (list: readonly Entity[]): Entity[] =>
    list.filter((e) => e.kind === 'field' && e.parent?.parent !== undefined && e.squashed.length >= MIN_NAME_LETTERS);
  const candidates = fields(news);
  for (const o of fields(olds)) {
    const related = candidates.filter(
      (n) => !parentsMatched(o, n) && n.sw === o.sw && namesKept(o.squashed, n.squashed) && spelledOut(o, n) && !describedApart(o, n),
    );
    if (related.length !== 1) continue;
    const n = related[0]!;
    // Unique in both whole peripherals, paired fields included: a name that several fields extend says nothing.
    if (relatedInPeripheral(o, n.squashed) === 1 && relatedInPeripheral(n, o.squashed) === 1) pairs.push([o, n]);
  }
  return pairs;
}

/**
 * A field that took its peripheral's name as a prefix (or dropped it) and moved to another
 * register: the names agree once the prefix is gone — equal, or one kept in the other
 * (`ALARMOUTTYPE` → `<peripheral>_ALARM_TYPE`: ALARMTYPE abbreviates ALARMOUTTYPE) — with the same
 * width and access, the descriptions agreeing ('Alarm output type' → 'Alarm on pin output type'),
 * equal names not described apart; unique both ways among the unpaired fields. The caller marks
 * these uncertain.
 */
export function prefixDroppedElsewhere(
  olds: readonly Entity[],
  news: readonly Entity[],
  parentsMatched: (o: Entity, n: Entity) => boolean,
): [Entity, Entity][] {
  const prefixed = (list: readonly Entity[]): Entity[] => list.filter((e) => e.kind === 'field' && withoutPeripheral(e) !== e.squashed);
  const alike = (o: Entity, n: Entity): boolean => {
    if (parentsMatched(o, n) || o.sw !== n.sw || o.width !== n.width) return false;
    const a = withoutPeripheral(o);
    const b = withoutPeripheral(n);
    if (a === b) return !describedApart(o, n);
    return namesKept(a, b) && describedAlikeBy(o, n) && ownWording(o) && ownWording(n);
  };
  const fields = (list: readonly Entity[]): Entity[] => list.filter((e) => e.kind === 'field');
  const pairs: [Entity, Entity][] = [];
  const oldFields = fields(olds);
  const newFields = fields(news);
  const seen = new Set<Entity>();
  // Only pairs where one side carries the prefix: the rest is what the other passes decide.
  for (const [side, others, oldSide] of [
    [prefixed(oldFields), newFields, true],
    [prefixed(newFields), oldFields, false],
  ] as const) {
    for (const e of side) {
      const matches = others.filter((x) => (oldSide ? alike(e, x) : alike(x, e)));
      if (matches.length !== 1) continue;
      const [o, n] = oldSide ? [e, matches[0]!] : [matches[0]!, e];
      if (seen.has(o) || seen.has(n)) continue;
      const rivals = oldSide ? oldFields.filter((x) => alike(x, n)) : newFields.filter((x) => alike(o, x));
      if (rivals.length !== 1) continue;
      seen.add(o).add(n);
      pairs.push([o, n]);
    }
  }
  return pairs;
}

/**
 * The field's description is its own: no other field of its whole peripheral carries the same
 * words. A wording two fields share names neither (rtc L0 OR: RTC_ALARM_TYPE and RTC_OUT_RMP are
 * both 'RTC_ALARM on PC13 output type'), so it cannot back a name that only abbreviates another.
 */
function ownWording(field: Entity): boolean {
  const key = wordsOf(field);
  return key === undefined || fieldsWithWords(field, key) === 1;
}

function wordsOf(field: Entity): string | undefined {
  return field.descWords.size === 0 ? undefined : [...field.descWords].sort().join(' ');
}

const fieldsWithWords = fieldsInPeripheralWith(wordsOf);

/** The squashed name without its peripheral's name in front (`RTC_ALARM_TYPE` in RTC → `alarmtype`). */
function withoutPeripheral(field: Entity): string {
  const peripheral = field.parent?.parent?.squashed;
  if (!peripheral || field.squashed.length <= peripheral.length + 1 || !field.squashed.startsWith(peripheral)) return field.squashed;
  return field.squashed.slice(peripheral.length);
}

/** One name is the other with letters added at one end, or its abbreviation (DS → DSIZE, CTRL → CONTROL). */
function namesKept(a: string, b: string): boolean {
  return a !== b && (affixScore(a, b) > 0 || isAbbreviation(a, b) || isAbbreviation(b, a));
}

/**
 * The longer name spells the shorter one out along the shorter one's own description: its letters
 * come in order from that wording (DS 'Data size' → DSIZE). Letters added from nowhere make
 * another field: PLLM 'Division factor for the main PLL' → PLLMUL (a multiplier), FLASHEN 'FLITF
 * clock enable' vs FLASHLPEN (the low-power enable).
 */
function spelledOut(a: Entity, b: Entity): boolean {
  const [short, long] = a.squashed.length < b.squashed.length ? [a, b] : [b, a];
  const words = squash(short.description ?? '');
  return words.length > 0 && (long.squashed === words || isAbbreviation(long.squashed, words));
}

/** How many fields of `field`'s whole peripheral (itself included) relate to `name` by namesKept or carry it. */
function relatedInPeripheral(field: Entity, name: string): number {
  let n = 0;
  for (const register of field.parent!.parent!.children) for (const f of register.children) if (f.squashed === name || namesKept(f.squashed, name)) n++;
  return n;
}

/** The description's words, plurals folded and sorted; undefined when too few to name one field. */
export function wordingKey(e: Entity): string | undefined {
  if (e.kind !== 'field' || e.descWords.size < MIN_WORDING_WORDS) return undefined;
  const folded = new Set([...e.descWords].map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w)));
  // A description that names its own field was generated from a template: it names every field alike.
  if (folded.has(e.squashed)) return undefined;
  return [...folded].sort().join(' ');
}

/** How many fields of the field's whole peripheral carry this wording. */
const timesInPeripheral = fieldsInPeripheralWith(wordingKey);

/**
 * A field renamed and moved to another register, when its name is related, its description
 * agrees, its width and access are the same, and no other unpaired field of the peripheral pair
 * says the same on either side: I2C v1 FLTR.ANOFF 'Analog noise filter' → v2 CR1.ANFOFF 'Analog
 * noise filter OFF' (FLTR removed). Name and wording only: the caller marks these uncertain.
 * Within one register pair the scorer decides (it sees position and layout too).
 */
export function renamedElsewhere(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const alike = (a: Entity, b: Entity): boolean => !parentsMatched(a, b) && nameEvidence(a, b) && describedAlike(a, b, DESCRIPTION_EVIDENCE);
  // Grouped by width and access, which must agree: large re-laid-out peripherals stay far from quadratic.
  const shape = (e: Entity): string | undefined => (e.kind !== 'field' || e.parent === undefined || e.descWords.size === 0 ? undefined : `${e.width}:${e.sw}`);
  return mutuallyUniquePairs(olds, news, shape, alike);
}

/**
 * A field of a paired register whose name kept its parts in the other order: I2C v1 `CR1.ENGC`
 * (enable general call) → v2 `CR1.GCEN`, `ENPEC` → `PECEN`, each at another bit. Both parts two
 * letters or more, the same access, each the other's only such partner.
 */
export function partsSwapped(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const letters = (e: Entity): string | undefined => (e.kind === 'field' ? [...e.squashed].sort().join('') : undefined);
  return mutuallyUniquePairs(olds, news, letters, (o, n) => o.access === n.access && parentsMatched(o, n) && swapped(o.squashed, n.squashed));
}

/** `b` is `a`'s two parts (each two letters or more) in the other order. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  for (let cut = MIN_NAME_LETTERS; cut <= a.length - MIN_NAME_LETTERS; cut++) if (b === a.slice(cut) + a.slice(0, cut)) return true;
  return false;
}
