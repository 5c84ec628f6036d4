import type { Entity } from './entities.ts';
import { abbreviationScore, affixScore, editSimilarity, isAbbreviation, jaccard, squash } from './names.ts';

/**
 * Evidence for a pairing beyond position: what the identity passes (content.ts, arrays.ts,
 * name-address.ts, shared-values.ts, elsewhere.ts...) and the scored pairings (match-score.ts) ask
 * before they pair two nodes, and what makes a pairing uncertain.
 */

/** Description word overlap from which two descriptions count as saying the same thing. */
export const DESCRIPTION_EVIDENCE = 0.6;
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
  if (otherInstance(a, b)) return false;
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

/** Each description names its own node and not the other's. */
function namesAnother(a: Entity, b: Entity): boolean {
  const says = (e: Entity, name: string): boolean => e.description!.toLowerCase().includes(name.toLowerCase());
  return templated(a) && templated(b) && !says(a, b.name) && !says(b, a.name);
}

export function describedAlike(a: Entity, b: Entity, threshold: number): boolean {
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
  if (a.kind === 'enum-value') {
    if (otherMemberOfSeries(a, b)) return 'none';
    if (a.squashed === b.squashed) return 'strong';
    if (a.position !== b.position) return 'none';
    // At one number, two names that share nothing, each spelled in its own description, name two
    // things: `PLL2_Q` 'pll2_q selected as peripheral clock' → `PSIK` 'psik_ck selected as kernel
    // clock' is one source withdrawn and another given its number, not a rename.
    return !nameEvidence(a, b) && namesAnother(a, b) ? 'none' : 'strong';
  }
  if (unrelatedRegisters(a, b) || otherInstance(a, b)) return 'none';
  if (a.kind === 'field' && roleChanged(a.squashed, b.squashed)) return 'weak';
  if (describedAlike(a, b, DESCRIPTION_EVIDENCE) || sharedChildren(a, b)) return 'strong';
  if (a.content === b.content && (a.children.length > 0 || a.kind === 'peripheral')) return 'strong';
  // A resemblance of two different names is only a hint when their descriptions say different
  // things (SR RXNE 'Receive buffer not empty' vs RXP 'Rx-Packet available', both at bit 0).
  if (nameEvidence(a, b)) return a.squashed !== b.squashed && describedApart(a, b) ? 'weak' : 'strong';
  if (sharesWord(a, b) || describedAlike(a, b, WEAK_DESCRIPTION_EVIDENCE)) return 'weak';
  return 'none';
}

/**
 * Two enumerated values whose names differ only in their numbers, of a field that names a series
 * that way (`Cycles1_5`, `Cycles4_5`, `Cycles7_5`… sampling times; `Div2`, `Div4`…): the number says
 * which member of the series a value is, so `Cycles4_5` → `Cycles12_5` at one encoding is one
 * sampling time withdrawn and another given its encoding, not a rename. A value alone of its kind
 * keeps its pairing (`PCLK1` → `PCLK2`: the one bus clock of that selector, renumbered), and so
 * does a name that gains its number.
 */
export function otherMemberOfSeries(a: Entity, b: Entity): boolean {
  const stem = (e: Entity): string => e.squashed.replace(/[0-9]+/g, '');
  // The numbers as written: `Cycles1_5` (1.5) and `Cycles15` squash alike but are two sampling times.
  const numbers = (e: Entity): string => (e.name.match(/[0-9]+/g) ?? []).join(',');
  // Both numbered: a name that only gains a number (`LSI` → `LSI1`, `HSI` → `HSI16`) spells out the one it had.
  if (stem(a) !== stem(b) || stem(a).length === 0 || numbers(a) === numbers(b) || numbers(a) === '' || numbers(b) === '') return false;
  const series = (e: Entity): boolean => (e.parent?.children.filter((v) => stem(v) === stem(e)).length ?? 0) >= 2;
  return series(a) || series(b);
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
export function sharedChildren(a: Entity, b: Entity): boolean {
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
export function unrelatedRegisters(a: Entity, b: Entity): boolean {
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
 * Name parts that say which role a bit plays for a function rather than which function: an enable,
 * an interrupt enable, a flag, an interrupt flag, a clear (flag), a DMA enable. `TC`, `TCIE` and
 * `TCCF` are three bits of one event.
 */
const ROLE_SUFFIXES: ReadonlySet<string> = new Set(['en', 'ie', 'f', 'if', 'c', 'cf', 'de']);

/**
 * One name is the other with a role added or dropped (`ALERT` → `ALERTEN`, `TXE` → `TXEIE`, `PEC`
 * → `ENPEC`): the same function, perhaps another bit of it. However alike the wordings ('SMBus
 * alert' → 'SMBUS alert enable'), the pairing is for a person to confirm.
 */
export function roleChanged(a: string, b: string): boolean {
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (short.length < 2 || short.length === long.length) return false;
  if (long.startsWith(short)) return ROLE_SUFFIXES.has(long.slice(short.length));
  return long.endsWith(short) && long.slice(0, long.length - short.length) === 'en';
}

const digitsOf = (s: string): string[] => s.match(/[0-9]+/g) ?? [];

/**
 * Two names numbered differently: as many digit groups, one of them neither equal to nor a
 * prefix of the other's (`UART3` / `LPUART1`, `TIM9` / `TIM21`; not `ADC1` / `ADC12`, a pair of
 * instances including the first): other instances.
 */
export function numbersDiffer(x: string, y: string): boolean {
  const [dx, dy] = [digitsOf(x), digitsOf(y)];
  return dx.length > 0 && dx.length === dy.length && dx.some((d, i) => !d.startsWith(dy[i]!) && !dy[i]!.startsWith(d));
}

/**
 * Role names of per-peripheral bits (clock enable, reset, low-power and sleep enable, kernel clock
 * select, ready, on, interrupt enable): the name before them says whose bit it is. Not `DE` (DMA
 * enable): it ends every `MODE`.
 */
const INSTANCE_ROLES = ['lpen', 'smen', 'rst', 'sel', 'rdy', 'on', 'en', 'ie'];

/** The part of a field name before its role (`usart3` of `usart3en`), when it ends with one. */
function instanceStem(squashed: string): string | undefined {
  for (const role of INSTANCE_ROLES) if (squashed.length > role.length && squashed.endsWith(role)) return squashed.slice(0, -role.length);
  return undefined;
}

/**
 * Two per-peripheral bits (names ending in a role: `EN`, `RST`, `LPEN`, `SEL`…) that serve two
 * different things: another peripheral's enable at the bit (rcc `APB1ENR.USART3EN` → `LPUART1EN`,
 * `TIM9EN` → `TIM21EN`, `BKPEN` → `CRSEN`). Whatever their bits, contents and templated wordings
 * ('TIM9 timer clock enable' → 'TIM21 timer clock enable') share, a bit given to another
 * peripheral is a removal and an addition. Another thing: other instance numbers (`UART3` →
 * `LPUART1`; not `ADC1` → `ADC12`, a pair of instances including the first), or letters that are
 * neither the same, an abbreviation, an affix taken (`EOPIE` → `NSEOPIE`, a non-secure copy) nor,
 * without instance numbers, the same word at the end: `QUADSPIEN` → `OCTOSPI1EN`, `USART3SEL` →
 * `LPUART3SEL`, `HSION` → `HSEON`, `CSSON` → `CRSEN`.
 */
export function otherInstance(a: Entity, b: Entity): boolean {
  if (a.kind !== 'field' || b.kind !== 'field') return false;
  const [x, y] = [instanceStem(a.squashed), instanceStem(b.squashed)];
  if (x === undefined || y === undefined || x === y) return false;
  if (numbersDiffer(x, y)) return true;
  const [dx, dy] = [digitsOf(x), digitsOf(y)];
  const [lx, ly] = [x.replace(/[0-9]+/g, ''), y.replace(/[0-9]+/g, '')];
  if (lx.length === 0 || ly.length === 0) return false;
  const [short, long] = lx.length <= ly.length ? [lx, ly] : [ly, lx];
  if (lx === ly || isAbbreviation(short, long) || long.startsWith(short) || long.endsWith(short)) return false;
  // Names without instance numbers ending in one word of three letters or more name one kind of
  // thing renamed (`CCMDATARAMEN` → `DTCMRAMEN`, 'CCM data RAM' → 'DTCM data RAM' at one bit).
  let tail = 0;
  while (tail < short.length && short[short.length - 1 - tail] === long[long.length - 1 - tail]) tail++;
  return tail < 3 || dx.length + dy.length > 0;
}
