import type { Entity } from './entities.ts';
import type { EntityKind, Match } from './types.ts';
import { arrayGroups, partialExpansion, representativePairs } from './arrays.ts';
import { contentPairs, sameThingRenamed } from './content.ts';
import { describedApart, evidenceOf, nameEvidence, otherInstance } from './evidence.ts';
import { flagAlternateViews, flagMovesOntoATwin, flagRenumberedNames, inheritRegisterDoubt } from './doubts.ts';
import { pairRegistersOfTheirFields } from './registers-of-fields.ts';
import { pairFieldsIntoAddedRegisters, pairRegisterSets } from './into-added.ts';
import { pairRenamedWithTheirFields, pairTheSameRenameElsewhereForEveryPair, withdrawScoredTies } from './renamed-with-fields.ts';
import { followRegistersWhoseNameWasTaken } from './name-taken.ts';
import { pairRegistersRenamedAlike } from './renamed-alike.ts';
import { nameOrAddressPairs } from './name-address.ts';
import { renumberedNamePairs, sharedValuePairs } from './shared-values.ts';
import { valuesKeptElsewhere } from './values-kept.ts';
import { nameKeptElsewhere, partsSwapped, prefixDroppedElsewhere, renamedElsewhere, sameWordingElsewhere } from './elsewhere.ts';
import { reconcileParallelFields } from './parallel.ts';
import { sameLayoutFields, sameLayoutRegisters, sameStem } from './same-layout.ts';
import { scoreAndAssign } from './match-score.ts';
import {
  addAlternative,
  BY_CONTENT,
  byPosition,
  emptyMatching,
  EXACT,
  pair,
  type CandidateObserver,
  type Matching,
  type MatchRun,
  type PairScorer,
  type Pairing,
  type ParentsMatched,
  type Scope,
} from './matching.ts';

export type { CandidateObserver, Matching, PairScorer, Pairing } from './matching.ts';
export { NOT_A_CANDIDATE, solveAssignment } from './match-score.ts';

/**
 * Matching two entity trees, level by level (peripherals, registers, fields, enum values):
 *  1. exact: same relative key under matched parents (RefactoringMiner's lesson: names first,
 *     structure only for what is left);
 *  2. identity: arrays at unchanged addresses, identical contents, shared values, unique names and
 *     addresses, names that moved (arrays.ts, content.ts, shared-values.ts, name-address.ts,
 *     elsewhere.ts, values-kept.ts, same-layout.ts);
 *  3. scores for the rest: candidates, one batched model call per level, a global assignment
 *     (match-score.ts).
 *
 * `identity: false` skips the identity pairings so every non-exact pair reaches the scorer:
 * training observes candidates that way, so the model also learns the pairs identity would have
 * settled.
 */
export function matchEntities(
  oldRoots: readonly Entity[],
  newRoots: readonly Entity[],
  scorer: PairScorer,
  observe?: CandidateObserver,
  options: { identity?: boolean } = {},
): Matching {
  const run: MatchRun = { matching: emptyMatching(), scorer, observe, identity: options.identity ?? true };
  runLevel(run, peripheralLevel(oldRoots, newRoots));
  const peripheralPairs = pairedPeripherals(run.matching, oldRoots);
  runLevel(run, registerLevel(peripheralPairs));
  if (run.identity) {
    followRegistersWhoseNameWasTaken(run.matching, peripheralPairs);
    withdrawScoredTies(run.matching, peripheralPairs);
    pairRegisterSets(run.matching, peripheralPairs);
  }
  runLevel(run, fieldLevel(run.matching, peripheralPairs));
  if (run.identity) {
    const parentsPaired: ParentsMatched = (o, n) => run.matching.byOld.get(o.parent!)?.to === n.parent;
    pairRenamedWithTheirFields(run.matching, peripheralPairs, (olds, news) => {
      pairByIdentity(run.matching, olds, [...news], parentsPaired, []);
    });
    pairRegistersOfTheirFields(run.matching, peripheralPairs);
    pairRegistersRenamedAlike(run.matching, peripheralPairs);
    pairFieldsIntoAddedRegisters(run.matching, peripheralPairs);
    pairTheSameRenameElsewhereForEveryPair(run.matching, peripheralPairs);
    inheritRegisterDoubt(run.matching);
  }
  // Parallel registers (INTR_STATE / INTR_ENABLE / INTR_TEST) pair their fields the same way.
  reconcileParallelFields(peripheralPairs, run.matching);
  runLevel(run, enumValueLevel(run.matching));
  if (run.identity) flagRenumberedNames(run.matching);
  return run.matching;
}

/**
 * One level of the trees: its scopes (old and new nodes that may pair), how an old node finds the
 * new node with its key, and whether two nodes' parents are paired with each other.
 */
interface Level {
  readonly scopes: readonly Scope[];
  /**
   * Where an old node finds its exact counterpart: among the children of its parent's counterpart
   * for fields (none when its register is unpaired), among the scope's new nodes otherwise.
   */
  readonly exactAmong?: (o: Entity) => readonly Entity[] | undefined;
  readonly parentsMatched: ParentsMatched;
  /** Registers and fields can have alternate views at one address (doubts.ts). */
  readonly views?: boolean;
}

const ALWAYS: ParentsMatched = () => true;

function peripheralLevel(oldRoots: readonly Entity[], newRoots: readonly Entity[]): Level {
  return { scopes: [{ olds: oldRoots, news: newRoots }], parentsMatched: ALWAYS };
}

function pairedPeripherals(matching: Matching, oldRoots: readonly Entity[]): (readonly [Entity, Entity])[] {
  return oldRoots.flatMap((o) => {
    const to = matching.byOld.get(o)?.to;
    return to ? [[o, to] as const] : [];
  });
}

function registerLevel(peripheralPairs: readonly (readonly [Entity, Entity])[]): Level {
  return { scopes: peripheralPairs.map(([o, n]) => ({ olds: o.children, news: n.children })), parentsMatched: ALWAYS, views: true };
}

/** Fields, scoped by peripheral pair so a field that moved to another register is still found. */
function fieldLevel(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): Level {
  const fieldsOf = (p: Entity): Entity[] => {
    const out: Entity[] = [];
    for (const r of p.children) if (!matching.inArray.has(r)) for (const f of r.children) out.push(f);
    return out;
  };
  const represented = representativePairs(matching.arrays);
  const counterpart = (e: Entity | undefined): Entity | undefined => (e ? (matching.byOld.get(e)?.to ?? represented.get(e)) : undefined);
  // Registers in an array group: only the representative pair's fields are compared (same layout by construction).
  const arrayScopes: Scope[] = [];
  for (const [o, n] of represented) if (o.kind === 'register') arrayScopes.push({ olds: o.children, news: n.children });
  return {
    scopes: [...peripheralPairs.map(([o, n]) => ({ olds: fieldsOf(o), news: fieldsOf(n) })), ...arrayScopes],
    // A paired register is never in an array group, so its children are all in the scope.
    exactAmong: (o) => counterpart(o.parent)?.children,
    parentsMatched: (o, n) => counterpart(o.parent) === n.parent,
    views: true,
  };
}

function enumValueLevel(matching: Matching): Level {
  const scopes: Scope[] = [];
  for (const [o, p] of matching.byOld) if (o.kind === 'field') scopes.push({ olds: o.children, news: p.to.children });
  for (const [o, n] of representativePairs(matching.arrays)) if (o.kind === 'field') scopes.push({ olds: o.children, news: n.children });
  return { scopes, parentsMatched: ALWAYS };
}

function runLevel(run: MatchRun, level: Level): void {
  const rest: Scope[] = [];
  const movedByContent: MovedByContent[] = [];
  for (const scope of level.scopes) {
    const olds = pairExact(run.matching, scope, level);
    const news = scope.news.filter((n) => !run.matching.byNew.has(n));
    if (news.length === 0) continue;
    if (!run.identity) {
      rest.push({ olds, news });
      continue;
    }
    const left = pairByIdentity(run.matching, olds, news, level.parentsMatched, movedByContent);
    followMovedNames(run.matching, scope.olds, news, level.parentsMatched);
    const restOld = left.filter((o) => !run.matching.byOld.has(o));
    const restNew = news.filter((n) => !run.matching.byNew.has(n));
    if (restOld.length > 0 && restNew.length > 0) rest.push({ olds: restOld, news: restNew });
  }
  scoreAndAssign(run, rest, level.parentsMatched);
  flagContentMoves(run.matching, movedByContent);
  if (run.identity && level.views) {
    flagAlternateViews(run.matching, level.scopes);
    flagMovesOntoATwin(run.matching, level.scopes);
  }
}

/** Pairs every old node with the unpaired new node of the same key; returns the old nodes left. */
function pairExact(matching: Matching, scope: Scope, level: Level): Entity[] {
  let byKey: Map<string, Entity> | undefined;
  // The first new node with the key (a register's few fields are scanned: cheaper than a map each).
  const find = (o: Entity): Entity | undefined => {
    if (level.exactAmong) return level.exactAmong(o)?.find((n) => n.key === o.key);
    if (!byKey) {
      byKey = new Map();
      for (const n of scope.news) if (!byKey.has(n.key)) byKey.set(n.key, n);
    }
    return byKey.get(o.key);
  };
  const left: Entity[] = [];
  for (const o of scope.olds) {
    const n = find(o);
    if (n && !matching.byNew.has(n)) pair(matching, o, n, EXACT);
    else left.push(o);
  }
  return left;
}

/** A node paired on identical content at another position: its old position may hold a rival. */
interface MovedByContent {
  readonly o: Entity;
  readonly news: readonly Entity[];
}

/**
 * Identity before scores: scalars ↔ arrays at unchanged addresses, identical contents, shared
 * values, unique names and addresses. `news` loses the nodes taken into array groups (in place);
 * returns the old nodes not in an array group.
 */
function pairByIdentity(matching: Matching, olds: readonly Entity[], news: Entity[], parentsMatched: ParentsMatched, moved: MovedByContent[]): Entity[] {
  for (const group of arrayGroups(olds, news, parentsMatched)) {
    matching.arrays.push(group);
    matching.inArray.add(group.array);
    for (const s of group.scalars) matching.inArray.add(s.entity);
  }
  const left = olds.filter((o) => !matching.inArray.has(o));
  removeWhere(news, (n) => matching.inArray.has(n));
  for (const [o, n] of sameThing(contentPairs(left, news, parentsMatched))) {
    pair(matching, o, n, thinContent(o, n) ? WEAK_CONTENT : BY_CONTENT);
    if (o.kind !== 'peripheral' && o.position !== n.position) moved.push({ o, news });
  }
  const unpairedOld = (): Entity[] => left.filter((o) => !matching.byOld.has(o));
  const unpairedNew = (): Entity[] => news.filter((n) => !matching.byNew.has(n));
  for (const [o, n] of sameThing(sharedValuePairs(unpairedOld(), unpairedNew(), parentsMatched)))
    pair(matching, o, n, thinContent(o, n) ? WEAK_CONTENT : BY_CONTENT);
  for (const [o, n] of renumberedNamePairs(unpairedOld(), unpairedNew())) pair(matching, o, n, BY_CONTENT);
  for (const [o, n] of sameThing(valuesKeptElsewhere(unpairedOld(), unpairedNew(), parentsMatched)))
    pair(matching, o, n, nameEvidence(o, n) ? BY_CONTENT : { ...BY_CONTENT, uncertain: true });
  // A name or an address with a resembling name: uncertain when that resemblance is all there is.
  for (const [o, n] of sameThing(nameOrAddressPairs(unpairedOld(), unpairedNew(), parentsMatched)))
    pair(matching, o, n, evidenceOf(o, n) === 'weak' ? { ...BY_CONTENT, uncertain: true, weakEvidence: true } : BY_CONTENT);
  for (const [o, n] of sameThing(partsSwapped(unpairedOld(), unpairedNew(), parentsMatched))) pair(matching, o, n, BY_CONTENT);
  // Renamed in place with every field renamed: the register by its layout, then its fields by their bits.
  for (const [o, n] of sameLayoutRegisters(unpairedOld(), unpairedNew())) pair(matching, o, n, BY_CONTENT);
  for (const [o, n] of sameThing(sameLayoutFields(unpairedOld(), unpairedNew(), (e) => matching.byOld.get(e)?.to))) {
    // A field is as sure as its register's pairing (I2C v1 DR → v2 TXDR or RXDR: either continues it).
    const stem = sameStem(o, n);
    if (stem && !matching.byOld.get(o.parent!)?.uncertain) pair(matching, o, n, BY_CONTENT);
    else pair(matching, o, n, { ...BY_CONTENT, uncertain: true, ...(stem ? {} : { weakEvidence: true }) });
  }
  for (const [o, n] of sameThing(renamedElsewhere(unpairedOld(), unpairedNew(), parentsMatched))) pair(matching, o, n, { ...BY_CONTENT, uncertain: true });
  // Moved to another register with only its wording or a shortened name left: for a person to confirm.
  for (const [o, n] of sameThing(sameWordingElsewhere(unpairedOld(), unpairedNew(), parentsMatched)))
    pair(matching, o, n, evidenceOf(o, n) === 'strong' ? BY_CONTENT : { ...BY_CONTENT, uncertain: true });
  for (const [o, n] of sameThing(nameKeptElsewhere(unpairedOld(), unpairedNew(), parentsMatched))) pair(matching, o, n, { ...BY_CONTENT, uncertain: true });
  for (const [o, n] of sameThing(prefixDroppedElsewhere(unpairedOld(), unpairedNew(), parentsMatched)))
    pair(matching, o, n, { ...BY_CONTENT, uncertain: true });
  return left;
}

/**
 * A field's content (width, access, values) says what it encodes, not which function it has: with
 * another name and other words, the same {Bits8=0, Bits16=1} at bit 11 may be another field (SPI v2
 * CR1.DFF 'Data frame format' → v3 CR1.CRCL 'CRC length', while the frame size went to CR2.DS).
 * A register's or peripheral's content (its fields or registers) is rich enough on its own.
 */
function thinContent(o: Entity, n: Entity): boolean {
  return o.kind === 'field' && !nameEvidence(o, n) && describedApart(o, n);
}

/**
 * Whatever an identity pass found, a field whose name says it serves another peripheral or instance
 * (`SRAM1_ECC` → `SRAM3_ECC` with identical wording and content) is not the old one (evidence.ts).
 */
function sameThing(pairs: readonly (readonly [Entity, Entity])[]): (readonly [Entity, Entity])[] {
  return pairs.filter(([o, n]) => !otherInstance(o, n));
}

const WEAK_CONTENT: Omit<Pairing, 'to'> = { ...BY_CONTENT, uncertain: true, weakEvidence: true };

function removeWhere<T>(list: T[], drop: (x: T) => boolean): void {
  let kept = 0;
  for (const x of list) if (!drop(x)) list[kept++] = x;
  list.length = kept;
}

/**
 * A name that moved to another node: the exact pair moved while the old position holds an
 * unpaired twin with the same content and wording (uart tx_empty → tx_done at bit 2; the name
 * tx_empty went to a new status bit 8). Content and description outweigh the name: the old node
 * pairs with the twin, and the namesake goes back to `news` as unpaired.
 */
function followMovedNames(matching: Matching, olds: readonly Entity[], news: Entity[], parentsMatched: ParentsMatched): void {
  let newsAt: Map<number, Entity[]> | undefined;
  for (const o of olds) {
    const exact = matching.byOld.get(o);
    if (exact?.how !== 'exact' || o.kind === 'peripheral' || o.kind === 'enum-value' || exact.to.position === o.position) continue;
    newsAt ??= byPosition(news);
    const twin = (newsAt.get(o.position) ?? []).find((t) => !matching.byNew.has(t) && parentsMatched(o, t) && sameThingRenamed(o, exact.to, t));
    if (!twin) continue;
    pair(matching, o, twin, BY_CONTENT);
    news.push(exact.to);
  }
}

/**
 * Content and address disagree too when an identical node moved while something of its width,
 * still unpaired, sits at its old position: confirm by hand (nRF54L15 SEEDRAMLOCK).
 */
function flagContentMoves(matching: Matching, moved: readonly MovedByContent[]): void {
  const indexed = new Map<readonly Entity[], Map<number, Entity[]>>();
  for (const { o, news } of moved) {
    if (!indexed.has(news)) indexed.set(news, byPosition(news));
    for (const n of indexed.get(news)!.get(o.position) ?? []) if (!matching.byNew.has(n) && n.width === o.width) addAlternative(matching, o, n.path);
  }
}

/** The public form of the pairings, sorted for deterministic output. */
export function matchesOf(matching: Matching): Match[] {
  const order: Record<EntityKind, number> = { peripheral: 0, register: 1, field: 2, 'enum-value': 3 };
  const out: Match[] = [...matching.byOld].map(
    ([o, p]): Match => ({
      kind: o.kind,
      before: o.path,
      after: p.to.path,
      how: p.how,
      confidence: p.confidence,
      uncertain: p.uncertain,
      ...(p.alternatives.length > 0 ? { alternatives: p.alternatives } : {}),
    }),
  );
  // Array groups: each old scalar goes to the array (collected); an expanded array goes to its first element.
  for (const group of matching.arrays) {
    const pairs =
      group.direction === 'collected' ? group.scalars.map((s) => [s.entity, group.array] as const) : [[group.array, group.scalars[0]!.entity] as const];
    const uncertain = partialExpansion(group);
    for (const [o, n] of pairs) {
      out.push({ kind: o.kind, before: o.path, after: n.path, how: 'array', confidence: 1, uncertain });
      for (const f of o.children) {
        // The representative's children are paired like any other (matching.byOld).
        if (matching.byOld.has(f)) continue;
        const g = n.children.find((c) => c.name === f.name);
        if (g) out.push({ kind: f.kind, before: f.path, after: g.path, how: 'array', confidence: 1, uncertain: false });
      }
    }
  }
  return out.sort((a, b) => order[a.kind] - order[b.kind] || (a.before < b.before ? -1 : a.before > b.before ? 1 : 0));
}
