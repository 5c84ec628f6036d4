import type { Entity } from './entities.ts';
import type { ArrayGroup } from './arrays.ts';
import type { MatcherWeights } from './matcher/model.ts';
import { groupBy } from './group-by.ts';

/** The state of a matching being built: what each step of match.ts and match-score.ts reads and adds to. */
export interface Pairing {
  readonly to: Entity;
  /** `content`: identical contents, unique on both sides (name and address may both have changed). */
  readonly how: 'exact' | 'scored' | 'content';
  readonly confidence: number;
  readonly uncertain: boolean;
  readonly alternatives: readonly string[];
  /** Only a shared name token or a loosely similar description supports the pairing. */
  readonly weakEvidence?: boolean;
}

export interface Matching {
  readonly byOld: Map<Entity, Pairing>;
  readonly byNew: Map<Entity, Entity>;
  /** Scalars collected into arrays and arrays expanded into scalars, at unchanged addresses. */
  readonly arrays: ArrayGroup[];
  /** Every node (old or new) taking part in an array group. */
  readonly inArray: Set<Entity>;
  /** Old nodes left unpaired although a candidate scored: it shared nothing but their position. */
  readonly positionOnly: Map<Entity, Entity>;
  candidatePairs: number;
}

/** How candidate pairs are scored: the learned model, or names only (the evaluation baseline). */
export type PairScorer =
  | { readonly kind: 'model'; readonly weights: MatcherWeights }
  | { readonly kind: 'name-only'; readonly threshold: number; readonly uncertainMargin: number };

/** Sees every scored candidate with its features (training collects labelled examples through it). */
export type CandidateObserver = (olds: readonly Entity[], news: readonly Entity[], features: Float32Array) => void;

/** Old and new nodes that may pair with each other (one parent pair, or the whole device). */
export interface Scope {
  readonly olds: readonly Entity[];
  readonly news: readonly Entity[];
}

/** Whether the parents of two nodes are paired with each other (always true above the field level). */
export type ParentsMatched = (o: Entity, n: Entity) => boolean;

/** One matching run: the matching and how it scores candidates. */
export interface MatchRun {
  readonly matching: Matching;
  readonly scorer: PairScorer;
  readonly observe: CandidateObserver | undefined;
  /** Off while collecting training examples: every non-exact pair then reaches the scorer. */
  readonly identity: boolean;
}

export function emptyMatching(): Matching {
  return { byOld: new Map(), byNew: new Map(), arrays: [], inArray: new Set(), positionOnly: new Map(), candidatePairs: 0 };
}

/**
 * Pairs `a` with `b`. A pass that re-pairs a node already paired (a better partner found later)
 * releases its former partner, so the two maps stay each other's inverse.
 */
export function pair(matching: Matching, a: Entity, b: Entity, p: Omit<Pairing, 'to'>): void {
  const formerNew = matching.byOld.get(a)?.to;
  if (formerNew !== undefined && formerNew !== b) matching.byNew.delete(formerNew);
  const formerOld = matching.byNew.get(b);
  if (formerOld !== undefined && formerOld !== a) matching.byOld.delete(formerOld);
  matching.byOld.set(a, { to: b, ...p });
  matching.byNew.set(b, a);
}

/** Leaves `a` and its partner unpaired (a pairing withdrawn: a later pass may decide it). */
export function unpair(matching: Matching, a: Entity): void {
  const to = matching.byOld.get(a)?.to;
  if (to === undefined) return;
  matching.byNew.delete(to);
  matching.byOld.delete(a);
}

/** A pairing that rests on identity (identical content, a name that moved...), not on a score. */
export const BY_CONTENT: Omit<Pairing, 'to'> = { how: 'content', confidence: 1, uncertain: false, alternatives: [] };
export const EXACT: Omit<Pairing, 'to'> = { how: 'exact', confidence: 1, uncertain: false, alternatives: [] };

/** Marks a pairing uncertain with one more rival path. */
export function addAlternative(matching: Matching, o: Entity, path: string): void {
  const p = matching.byOld.get(o)!;
  if (p.alternatives.includes(path)) return;
  matching.byOld.set(o, { ...p, uncertain: true, alternatives: [...p.alternatives, path] });
}

/** Nodes by position, for lookups that would otherwise scan a whole peripheral per node. */
export function byPosition(list: readonly Entity[]): Map<number, Entity[]> {
  return groupBy(list, (e) => e.position);
}
