import type { Entity } from './entities.ts';
import { FEATURE_COUNT, nameOnlyScore, vetoed, writeFeatures } from './features.ts';
import { assign } from '../solve/index.ts';
import { scoreBatch } from './matcher/model.ts';
import { evidenceOf } from './evidence.ts';
import { addAlternative, pair, type MatchRun, type Matching, type PairScorer, type ParentsMatched, type Scope } from './matching.ts';

/**
 * The scored part of matching, for what exact paths and identity left: every old × new pair of a
 * scope that no veto forbids is a candidate; all candidates of a level are scored in one batch;
 * a global assignment per connected group of candidates (Hungarian, with a no-match cost) turns
 * scores into pairings; a pairing whose runner-up is close, or whose evidence is weak, is uncertain.
 */

/** Lowest score at which an unpaired node at the same address still counts as a rival (see flagAddressConflicts). */
const ADDRESS_CONFLICT_FLOOR = 0.1;

/** Above this many pairs in one scope, only pairs sharing a token, a position or a first letter are scored. */
const DENSE_SCOPE_LIMIT = 40_000;

/** The candidate pairs of one level: row r pairs `scopes[scope[r]].olds[old[r]]` with `.news[new[r]]`. */
interface Candidates {
  readonly scopes: readonly Scope[];
  readonly old: number[];
  readonly new: number[];
  readonly scope: number[];
  rows: number;
  features: Float32Array;
  /** Name-only scores, filled only for the name-only scorer. */
  readonly names: number[];
}

interface Scores {
  readonly scores: Float32Array;
  readonly threshold: number;
  readonly margin: number;
}

export function scoreAndAssign(run: MatchRun, scopes: readonly Scope[], parentsMatched: ParentsMatched): void {
  // Candidate generation for every scope of the level first, so the model runs once.
  const candidates = collectCandidates(scopes, parentsMatched, run.scorer);
  run.matching.candidatePairs += candidates.rows;
  if (candidates.rows === 0) return;
  if (run.observe) {
    const { old, scope, rows, features } = candidates;
    run.observe(
      old.map((i, r) => scopes[scope[r]!]!.olds[i]!),
      candidates.new.map((j, r) => scopes[scope[r]!]!.news[j]!),
      features.subarray(0, rows * FEATURE_COUNT),
    );
  }
  const scored = scoreCandidates(run.scorer, candidates);
  for (const [s, rows] of matchableRowsByScope(candidates, scored)) {
    for (const component of components(rows, candidates.old, candidates.new)) assignComponent(run.matching, scopes[s]!, component, candidates, scored);
  }
  flagAddressConflicts(run.matching, candidates, scored.scores);
}

function collectCandidates(scopes: readonly Scope[], parentsMatched: ParentsMatched, scorer: PairScorer): Candidates {
  const c: Candidates = { scopes, old: [], new: [], scope: [], rows: 0, features: new Float32Array(0), names: [] };
  scopes.forEach((scope, s) => {
    const dense = scope.olds.length * scope.news.length <= DENSE_SCOPE_LIMIT;
    scope.olds.forEach((o, i) => {
      scope.news.forEach((n, j) => {
        if (vetoed(o, n)) return;
        if (!dense && !plausible(o, n)) return;
        if ((c.rows + 1) * FEATURE_COUNT > c.features.length) {
          const grown = new Float32Array(Math.max(1024, c.features.length * 2));
          grown.set(c.features);
          c.features = grown;
        }
        writeFeatures(o, n, parentsMatched(o, n), c.features, c.rows * FEATURE_COUNT);
        if (scorer.kind === 'name-only') c.names.push(nameOnlyScore(o, n));
        c.old.push(i);
        c.new.push(j);
        c.scope.push(s);
        c.rows++;
      });
    });
  });
  return c;
}

function scoreCandidates(scorer: PairScorer, c: Candidates): Scores {
  return scorer.kind === 'model'
    ? { scores: scoreBatch(scorer.weights, c.features, c.rows), threshold: scorer.weights.threshold, margin: scorer.weights.uncertainMargin }
    : { scores: Float32Array.from(c.names), threshold: scorer.threshold, margin: scorer.uncertainMargin };
}

/** Candidate rows grouped by scope, keeping only pairs that could be matched at all. */
function matchableRowsByScope(c: Candidates, { scores, threshold }: Scores): Map<number, number[]> {
  const byScope = new Map<number, number[]>();
  for (let r = 0; r < c.rows; r++) {
    if (scores[r]! < threshold) continue;
    const list = byScope.get(c.scope[r]!) ?? [];
    list.push(r);
    byScope.set(c.scope[r]!, list);
  }
  return byScope;
}

/**
 * Name and address are two identities of a register or field. When the pairing followed the name
 * to another position while something of the same width sits, unpaired, at the old position (or
 * an unpaired old node sat at the new one), the two kinds of evidence disagree: the pairing is
 * reported as uncertain with that node as the alternative, whatever the scores said.
 */
function flagAddressConflicts(matching: Matching, c: Candidates, scores: Float32Array): void {
  for (let r = 0; r < c.rows; r++) {
    if (scores[r]! < ADDRESS_CONFLICT_FLOOR) continue;
    const scope = c.scopes[c.scope[r]!]!;
    const o = scope.olds[c.old[r]!]!;
    const n = scope.news[c.new[r]!]!;
    if (o.kind === 'peripheral' || o.kind === 'enum-value' || o.width !== n.width || o.position !== n.position) continue;
    const oPairing = matching.byOld.get(o);
    const nPartner = matching.byNew.get(n);
    if (oPairing?.how === 'scored' && !nPartner && oPairing.to.position !== o.position) addAlternative(matching, o, n.path);
    if (nPartner && !oPairing && matching.byOld.get(nPartner)?.how === 'scored' && nPartner.position !== n.position) addAlternative(matching, nPartner, o.path);
  }
}

function assignComponent(matching: Matching, scope: Scope, rowsOfComponent: readonly number[], c: Candidates, { scores, threshold, margin }: Scores): void {
  const oldIndex = [...new Set(rowsOfComponent.map((r) => c.old[r]!))].sort((a, b) => a - b);
  const newIndex = [...new Set(rowsOfComponent.map((r) => c.new[r]!))].sort((a, b) => a - b);
  const oi = new Map(oldIndex.map((x, k) => [x, k]));
  const ni = new Map(newIndex.map((x, k) => [x, k]));
  const cost = new Float64Array(oldIndex.length * newIndex.length).fill(NOT_A_CANDIDATE);
  const score = new Float64Array(oldIndex.length * newIndex.length).fill(-1);
  for (const r of rowsOfComponent) {
    const k = oi.get(c.old[r]!)! * newIndex.length + ni.get(c.new[r]!)!;
    cost[k] = 1 - scores[r]!;
    score[k] = scores[r]!;
  }
  // Each side left unmatched costs half of (1 − threshold): a pair is worth making exactly when its score passes the threshold.
  const assignment = solveAssignment(cost, oldIndex.length, newIndex.length, (1 - threshold) / 2);
  assignment.forEach((col, row) => {
    if (col < 0) return;
    const s = score[row * newIndex.length + col]!;
    // Runner-up: the best other candidate of either side, when it is itself matchable.
    const alternatives: { path: string; score: number }[] = [];
    for (let k = 0; k < newIndex.length; k++) {
      const other = score[row * newIndex.length + k]!;
      if (k !== col && other >= threshold && s - other < margin) alternatives.push({ path: scope.news[newIndex[k]!]!.path, score: other });
    }
    for (let k = 0; k < oldIndex.length; k++) {
      const other = score[k * newIndex.length + col]!;
      if (k !== row && other >= threshold && s - other < margin) alternatives.push({ path: scope.olds[oldIndex[k]!]!.path, score: other });
    }
    alternatives.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1));
    const o = scope.olds[oldIndex[row]!]!;
    const n = scope.news[newIndex[col]!]!;
    const evidence = evidenceOf(o, n);
    // Position alone is no pairing: the old node is reported removed, with this candidate named.
    if (evidence === 'none') {
      matching.positionOnly.set(o, n);
      return;
    }
    pair(matching, o, n, {
      how: 'scored',
      confidence: Math.round(s * 1000) / 1000,
      uncertain: alternatives.length > 0 || evidence === 'weak',
      alternatives: alternatives.map((a) => a.path),
      ...(evidence === 'weak' ? { weakEvidence: true } : {}),
    });
  });
}

/** Cost of a pair that is not a candidate: the assignment never picks it. */
export const NOT_A_CANDIDATE = Number.POSITIVE_INFINITY;

/**
 * The global assignment (src/solve: wasm-core, with its TypeScript reference as fallback). The diff
 * minimises Σ pair cost + noMatch per unmatched side, old or new; `assign` charges only unmatched
 * rows, so pair costs are passed relative to leaving both of their sides unmatched.
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number, noMatch: number): readonly number[] {
  if (rows === 1 && cols === 1) return [cost[0]! < 2 * noMatch ? 0 : -1];
  const matrix = Array.from({ length: rows }, (_, i) => Array.from(cost.subarray(i * cols, (i + 1) * cols), (x) => x - noMatch));
  const solved = assign(matrix, { noMatchCost: noMatch });
  // With a finite no-match cost every instance is feasible; a failure is a bug worth surfacing.
  if (!solved.ok) throw new Error(`assignment failed: ${solved.diagnostics.map((d) => d.message).join('; ')}`);
  return solved.rowToCol;
}

/** Cheap filter for very large scopes: a shared token, the same position, or the same first letter. */
function plausible(o: Entity, n: Entity): boolean {
  if (o.position === n.position || o.squashed[0] === n.squashed[0]) return true;
  for (const t of o.tokens) if (n.tokens.has(t)) return true;
  return false;
}

/** Connected groups of candidate rows (old and new indices linked by a candidate), via union-find. */
function components(rows: readonly number[], candOld: readonly number[], candNew: readonly number[]): number[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const add = (x: string): void => {
    if (!parent.has(x)) parent.set(x, x);
  };
  for (const r of rows) {
    const a = `o${candOld[r]}`;
    const b = `n${candNew[r]}`;
    add(a);
    add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  }
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const root = find(`o${candOld[r]}`);
    const list = groups.get(root) ?? [];
    list.push(r);
    groups.set(root, list);
  }
  return [...groups.values()];
}
