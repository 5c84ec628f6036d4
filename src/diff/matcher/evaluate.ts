import type { Device } from '../../ir/types.ts';
import { deviceEntities, type Entity } from '../entities.ts';
import { matchEntities, type CandidateObserver, type PairScorer } from '../match.ts';
import type { EntityKind } from '../types.ts';
import { ENTITY_KINDS } from '../types.ts';

/** One revision pair with its ground truth (old path → new path; absent = removed). */
export interface LabelledPair {
  readonly family: string;
  readonly before: Device;
  readonly after: Device;
  readonly truth: ReadonlyMap<string, string>;
  readonly ignore: ReadonlySet<string>;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface KindScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/**
 * Scores a matcher on pairs whose path changed (renamed, moved to another parent) or that were
 * removed: unchanged paths are matched exactly by construction and would only inflate the figures.
 */
export function evaluatePairs(
  pairs: readonly LabelledPair[],
  scorer: PairScorer,
  observe?: (pair: LabelledPair) => CandidateObserver,
): Record<EntityKind, Counts> {
  const counts = Object.fromEntries(ENTITY_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }])) as Record<EntityKind, Counts>;
  for (const pair of pairs) {
    const olds = deviceEntities(pair.before);
    const news = deviceEntities(pair.after);
    // Collecting training examples: every non-exact pair goes to the scorer (see matchEntities).
    const matching = matchEntities(olds, news, scorer, observe?.(pair), { identity: observe === undefined });
    const visit = (e: Entity): void => {
      e.children.forEach(visit);
      if (pair.ignore.has(e.path)) return;
      const expected = pair.truth.get(e.path);
      const got = matching.byOld.get(e)?.to.path;
      const c = counts[e.kind];
      const hard = expected === undefined || expected !== e.path;
      if (!hard && got === expected) return;
      if (got !== undefined && got === expected) c.tp++;
      else {
        if (got !== undefined) c.fp++;
        if (expected !== undefined) c.fn++;
      }
    };
    olds.forEach(visit);
  }
  return counts;
}

export function scoresOf(c: Counts): KindScores {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: c.tp + c.fn };
}

/** Fixed-width table of model and baseline scores per kind. */
export function scoreTable(rows: readonly { name: string; counts: Record<EntityKind, Counts> }[]): string {
  const lines = ['kind        scorer      precision  recall  F1     support'];
  for (const kind of ENTITY_KINDS) {
    for (const row of rows) {
      const s = scoresOf(row.counts[kind]);
      lines.push(
        `${kind.padEnd(11)} ${row.name.padEnd(11)} ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3)}  ${String(s.support).padStart(7)}`,
      );
    }
  }
  return lines.join('\n');
}
