import type { Entity } from './entities.ts';
import type { EntityKind, Match } from './types.ts';
import { FEATURE_COUNT, nameOnlyScore, vetoed, writeFeatures } from './features.ts';
import { assign } from '../solve/index.ts';
import { scoreBatch, type MatcherWeights } from './matcher/model.ts';
import { arrayGroups, contentPairs, evidenceOf, identityPairs, sameThingRenamed, sharedValuePairs, type ArrayGroup } from './identity.ts';
import { reconcileParallelFields } from './parallel.ts';

/**
 * Matching two entity trees, level by level (peripherals, registers, fields, enum values):
 *  1. exact: same relative key under matched parents (RefactoringMiner's lesson: names first,
 *     structure only for what is left);
 *  2. every remaining old × new pair in the same scope that no veto forbids becomes a candidate;
 *     all candidates of a level are scored in one batched model call;
 *  3. a global assignment per connected group of candidates (Hungarian, with a no-match cost)
 *     turns scores into pairings; a pairing whose runner-up is close is marked uncertain.
 */
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

interface Scope {
  readonly olds: readonly Entity[];
  readonly news: readonly Entity[];
}

/** Lowest score at which an unpaired node at the same address still counts as a rival (see flagAddressConflicts). */
const ADDRESS_CONFLICT_FLOOR = 0.1;

/** Above this many pairs in one scope, only pairs sharing a token, a position or a first letter are scored. */
const DENSE_SCOPE_LIMIT = 40_000;

/** Sees every scored candidate with its features (training collects labelled examples through it). */
export type CandidateObserver = (olds: readonly Entity[], news: readonly Entity[], features: Float32Array) => void;

/**
 * `identity: false` skips the identity pairings (arrays, identical content, shared values, unique
 * names and addresses) so every non-exact pair reaches the scorer: training observes candidates
 * that way, so the model also learns the pairs identity would have settled.
 */
export function matchEntities(
  oldRoots: readonly Entity[],
  newRoots: readonly Entity[],
  scorer: PairScorer,
  observe?: CandidateObserver,
  options: { identity?: boolean } = {},
): Matching {
  const identity = options.identity ?? true;
  const matching: Matching = { byOld: new Map(), byNew: new Map(), arrays: [], inArray: new Set(), positionOnly: new Map(), candidatePairs: 0 };
  const pair = (a: Entity, b: Entity, p: Omit<Pairing, 'to'>): void => {
    matching.byOld.set(a, { to: b, ...p });
    matching.byNew.set(b, a);
  };
  const matchedTo = (e: Entity | undefined): Entity | undefined => (e ? matching.byOld.get(e)?.to : undefined);

  // Level 1: peripherals, one scope over the whole device.
  runLevel(
    [{ olds: oldRoots, news: newRoots }],
    (o) => o.key,
    (n) => n.key,
    () => true,
  );

  // Level 2: registers under matched peripherals.
  const peripheralPairs = oldRoots.flatMap((o) => {
    const to = matchedTo(o);
    return to ? [[o, to] as const] : [];
  });
  runLevel(
    peripheralPairs.map(([o, n]) => ({ olds: o.children, news: n.children })),
    (o) => o.key,
    (n) => n.key,
    () => true,
  );

  // Level 3: fields, scoped by peripheral pair so a field that moved to another register is still found.
  runLevel(
    // Registers in an array group keep their fields: same layout by construction, nothing to pair.
    peripheralPairs.map(([o, n]) => ({
      olds: o.children.flatMap((r) => (matching.inArray.has(r) ? [] : r.children)),
      news: n.children.flatMap((r) => (matching.inArray.has(r) ? [] : r.children)),
    })),
    (o) => {
      const register = matchedTo(o.parent);
      return register ? `${register.path}\u0000${o.key}` : undefined;
    },
    (n) => `${n.parent!.path}\u0000${n.key}`,
    (o, n) => matchedTo(o.parent) === n.parent,
  );
  // Parallel registers (INTR_STATE / INTR_ENABLE / INTR_TEST) pair their fields the same way.
  reconcileParallelFields(peripheralPairs, matching);

  // Level 4: enum values under matched fields.
  const fieldPairs = [...matching.byOld].filter(([o]) => o.kind === 'field');
  runLevel(
    fieldPairs.map(([o, p]) => ({ olds: o.children, news: p.to.children })),
    (o) => o.key,
    (n) => n.key,
    () => true,
  );
  return matching;

  function runLevel(
    scopes: readonly Scope[],
    oldKey: (e: Entity) => string | undefined,
    newKey: (e: Entity) => string,
    parentsMatched: (o: Entity, n: Entity) => boolean,
  ): void {
    const rest: Scope[] = [];
    const movedByContent: { o: Entity; scope: readonly Entity[] }[] = [];
    for (const scope of scopes) {
      const byKey = new Map<string, Entity>();
      for (const n of scope.news) if (!byKey.has(newKey(n))) byKey.set(newKey(n), n);
      const olds: Entity[] = [];
      for (const o of scope.olds) {
        const key = oldKey(o);
        const n = key === undefined ? undefined : byKey.get(key);
        if (n && !matching.byNew.has(n)) pair(o, n, { how: 'exact', confidence: 1, uncertain: false, alternatives: [] });
        else olds.push(o);
      }
      let news = scope.news.filter((n) => !matching.byNew.has(n));
      if (news.length === 0) continue;
      if (!identity) {
        rest.push({ olds, news });
        continue;
      }
      // Identity before scores: scalars ↔ arrays at unchanged addresses, then identical contents.
      for (const group of arrayGroups(olds, news, parentsMatched)) {
        matching.arrays.push(group);
        matching.inArray.add(group.array);
        for (const s of group.scalars) matching.inArray.add(s.entity);
      }
      const left = olds.filter((o) => !matching.inArray.has(o));
      news = news.filter((n) => !matching.inArray.has(n));
      for (const [o, n] of contentPairs(left, news, parentsMatched)) {
        pair(o, n, { how: 'content', confidence: 1, uncertain: false, alternatives: [] });
        if (o.kind !== 'peripheral' && o.position !== n.position) movedByContent.push({ o, scope: news });
      }
      for (const [o, n] of sharedValuePairs(
        left.filter((o) => !matching.byOld.has(o)),
        news.filter((n) => !matching.byNew.has(n)),
        parentsMatched,
      )) {
        pair(o, n, { how: 'content', confidence: 1, uncertain: false, alternatives: [] });
      }
      for (const [o, n] of identityPairs(
        left.filter((o) => !matching.byOld.has(o)),
        news.filter((n) => !matching.byNew.has(n)),
        parentsMatched,
      )) {
        pair(o, n, { how: 'content', confidence: 1, uncertain: false, alternatives: [] });
      }
      // A name that moved to another node: the exact pair moved while the old position holds an
      // unpaired twin with the same content and wording (uart tx_empty → tx_done at bit 2; the
      // name tx_empty went to a new status bit 8). Content and description outweigh the name.
      let newsAt: Map<number, Entity[]> | undefined;
      for (const o of scope.olds) {
        const exact = matching.byOld.get(o);
        if (exact?.how !== 'exact' || o.kind === 'peripheral' || o.kind === 'enum-value' || exact.to.position === o.position) continue;
        newsAt ??= byPosition(news);
        const twin = (newsAt.get(o.position) ?? []).find((t) => !matching.byNew.has(t) && parentsMatched(o, t) && sameThingRenamed(o, exact.to, t));
        if (!twin) continue;
        matching.byNew.delete(exact.to);
        pair(o, twin, { how: 'content', confidence: 1, uncertain: false, alternatives: [] });
        news.push(exact.to);
      }
      const restOld = left.filter((o) => !matching.byOld.has(o));
      const restNew = news.filter((n) => !matching.byNew.has(n));
      if (restOld.length > 0 && restNew.length > 0) rest.push({ olds: restOld, news: restNew });
    }
    scoreAndAssign(rest, parentsMatched);
    // Content and address disagree too when an identical node moved while something of its width,
    // still unpaired, sits at its old position: confirm by hand (nRF54L15 SEEDRAMLOCK).
    const indexed = new Map<readonly Entity[], Map<number, Entity[]>>();
    for (const { o, scope } of movedByContent) {
      if (!indexed.has(scope)) indexed.set(scope, byPosition(scope));
      for (const n of indexed.get(scope)!.get(o.position) ?? []) if (!matching.byNew.has(n) && n.width === o.width) addAlternative(o, n.path);
    }
  }

  function scoreAndAssign(scopes: readonly Scope[], parentsMatched: (o: Entity, n: Entity) => boolean): void {
    // Candidate generation for every scope of the level first, so the model runs once.
    const candOld: number[] = [];
    const candNew: number[] = [];
    const candScope: number[] = [];
    let rows = 0;
    let buffer = new Float32Array(0);
    const names: number[] = [];
    scopes.forEach((scope, s) => {
      const dense = scope.olds.length * scope.news.length <= DENSE_SCOPE_LIMIT;
      scope.olds.forEach((o, i) => {
        scope.news.forEach((n, j) => {
          if (vetoed(o, n)) return;
          if (!dense && !plausible(o, n)) return;
          if ((rows + 1) * FEATURE_COUNT > buffer.length) {
            const grown = new Float32Array(Math.max(1024, buffer.length * 2));
            grown.set(buffer);
            buffer = grown;
          }
          writeFeatures(o, n, parentsMatched(o, n), buffer, rows * FEATURE_COUNT);
          if (scorer.kind === 'name-only') names.push(nameOnlyScore(o, n));
          candOld.push(i);
          candNew.push(j);
          candScope.push(s);
          rows++;
        });
      });
    });
    matching.candidatePairs += rows;
    if (rows === 0) return;
    if (observe) {
      observe(
        candOld.map((i, r) => scopes[candScope[r]!]!.olds[i]!),
        candNew.map((j, r) => scopes[candScope[r]!]!.news[j]!),
        buffer.subarray(0, rows * FEATURE_COUNT),
      );
    }
    const scores = scorer.kind === 'model' ? scoreBatch(scorer.weights, buffer, rows) : Float32Array.from(names);
    const threshold = scorer.kind === 'model' ? scorer.weights.threshold : scorer.threshold;
    const margin = scorer.kind === 'model' ? scorer.weights.uncertainMargin : scorer.uncertainMargin;

    // Group candidate rows by scope, keeping only pairs that could be matched at all.
    const byScope = new Map<number, number[]>();
    for (let r = 0; r < rows; r++) {
      if (scores[r]! < threshold) continue;
      const list = byScope.get(candScope[r]!) ?? [];
      list.push(r);
      byScope.set(candScope[r]!, list);
    }
    for (const [s, list] of byScope) {
      const scope = scopes[s]!;
      for (const component of components(list, candOld, candNew)) {
        assignComponent(scope, component, candOld, candNew, scores, threshold, margin);
      }
    }
    flagAddressConflicts(scopes, candOld, candNew, candScope, scores, rows);
  }

  /**
   * Name and address are two identities of a register or field. When the pairing followed the name
   * to another position while something of the same width sits, unpaired, at the old position (or
   * an unpaired old node sat at the new one), the two kinds of evidence disagree: the pairing is
   * reported as uncertain with that node as the alternative, whatever the scores said.
   */
  function flagAddressConflicts(
    scopes: readonly Scope[],
    candOld: readonly number[],
    candNew: readonly number[],
    candScope: readonly number[],
    scores: Float32Array,
    rows: number,
  ): void {
    for (let r = 0; r < rows; r++) {
      if (scores[r]! < ADDRESS_CONFLICT_FLOOR) continue;
      const scope = scopes[candScope[r]!]!;
      const o = scope.olds[candOld[r]!]!;
      const n = scope.news[candNew[r]!]!;
      if (o.kind === 'peripheral' || o.kind === 'enum-value' || o.width !== n.width || o.position !== n.position) continue;
      const oPairing = matching.byOld.get(o);
      const nPartner = matching.byNew.get(n);
      if (oPairing?.how === 'scored' && !nPartner && oPairing.to.position !== o.position) addAlternative(o, n.path);
      if (nPartner && !oPairing && matching.byOld.get(nPartner)?.how === 'scored' && nPartner.position !== n.position) addAlternative(nPartner, o.path);
    }
  }

  function addAlternative(o: Entity, path: string): void {
    const p = matching.byOld.get(o)!;
    if (p.alternatives.includes(path)) return;
    matching.byOld.set(o, { ...p, uncertain: true, alternatives: [...p.alternatives, path] });
  }

  function assignComponent(
    scope: Scope,
    rowsOfComponent: readonly number[],
    candOld: readonly number[],
    candNew: readonly number[],
    scores: Float32Array,
    threshold: number,
    margin: number,
  ): void {
    const oldIndex = [...new Set(rowsOfComponent.map((r) => candOld[r]!))].sort((a, b) => a - b);
    const newIndex = [...new Set(rowsOfComponent.map((r) => candNew[r]!))].sort((a, b) => a - b);
    const oi = new Map(oldIndex.map((x, k) => [x, k]));
    const ni = new Map(newIndex.map((x, k) => [x, k]));
    const cost = new Float64Array(oldIndex.length * newIndex.length).fill(NOT_A_CANDIDATE);
    const score = new Float64Array(oldIndex.length * newIndex.length).fill(-1);
    for (const r of rowsOfComponent) {
      const k = oi.get(candOld[r]!)! * newIndex.length + ni.get(candNew[r]!)!;
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
      for (let c = 0; c < newIndex.length; c++) {
        const other = score[row * newIndex.length + c]!;
        if (c !== col && other >= threshold && s - other < margin) alternatives.push({ path: scope.news[newIndex[c]!]!.path, score: other });
      }
      for (let r = 0; r < oldIndex.length; r++) {
        const other = score[r * newIndex.length + col]!;
        if (r !== row && other >= threshold && s - other < margin) alternatives.push({ path: scope.olds[oldIndex[r]!]!.path, score: other });
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
      pair(o, n, {
        how: 'scored',
        confidence: Math.round(s * 1000) / 1000,
        uncertain: alternatives.length > 0 || evidence === 'weak',
        alternatives: alternatives.map((a) => a.path),
        ...(evidence === 'weak' ? { weakEvidence: true } : {}),
      });
    });
  }
}

/** Nodes by position, for lookups that would otherwise scan a whole peripheral per node. */
function byPosition(list: readonly Entity[]): Map<number, Entity[]> {
  const map = new Map<number, Entity[]>();
  for (const e of list) {
    const at = map.get(e.position);
    if (at) at.push(e);
    else map.set(e.position, [e]);
  }
  return map;
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
  const matrix = Array.from({ length: rows }, (_, i) => Array.from(cost.subarray(i * cols, (i + 1) * cols), (c) => c - noMatch));
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
    for (const [o, n] of pairs) {
      out.push({ kind: o.kind, before: o.path, after: n.path, how: 'array', confidence: 1, uncertain: false });
      for (const f of o.children) {
        const g = n.children.find((c) => c.name === f.name);
        if (g) out.push({ kind: f.kind, before: f.path, after: g.path, how: 'array', confidence: 1, uncertain: false });
      }
    }
  }
  return out.sort((a, b) => order[a.kind] - order[b.kind] || (a.before < b.before ? -1 : a.before > b.before ? 1 : 0));
}
