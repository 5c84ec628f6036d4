/**
 * The labelled pairs in groups by their `labelled:` header, and the floors recorded for each group
 * (test/fixtures/diff-labels/recorded.json). A held-out group is measured once, before any fix is
 * made against it: that first measurement is its floor, and it is never written without an
 * explicit `--record-group NAME`. A group with no floor is printed and makes the eval-labels test
 * fail until it is recorded that way: a new held-out set is never recorded silently.
 */
import type { Evaluation, Figures, LabelFile } from './diff-eval.ts';

/** Pairs with no `labelled:` header: labels started from the diff's draft (not a held-out measurement). */
export const DRAFTED = 'drafted';

/** The group of a labelled pair: its `labelled:` value, `drafted` when absent. */
export function groupOf(label: Pick<LabelFile, 'labelled'>): string {
  return label.labelled ?? DRAFTED;
}

/** `held-out` is the first held-out set, `held-out-2` the second...; undefined for other groups. */
function heldOutRound(group: string): number | undefined {
  const m = /^held-out(?:-(\d+))?$/.exec(group);
  return m ? Number(m[1] ?? 1) : undefined;
}

export function isHeldOut(group: string): boolean {
  return heldOutRound(group) !== undefined;
}

/**
 * Print order: held-out groups first, the newest round first (held-out-2, then held-out), then
 * `independent`, then `drafted`, then any other group by name.
 */
export function compareGroups(a: string, b: string): number {
  const rank = (g: string): [number, number, string] => {
    const round = heldOutRound(g);
    if (round !== undefined) return [0, -round, g];
    if (g === 'independent') return [1, 0, g];
    if (g === DRAFTED) return [2, 0, g];
    return [3, 0, g];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
}

/** The labels by group, in print order. */
export function groupLabels(labels: readonly LabelFile[]): [string, LabelFile[]][] {
  const groups = new Map<string, LabelFile[]>();
  for (const label of labels) groups.set(groupOf(label), [...(groups.get(groupOf(label)) ?? []), label]);
  return [...groups].sort(([a], [b]) => compareGroups(a, b));
}

/** Figures of one set of pairs, and which pairs: a floor applies to exactly the pairs it was measured on. */
export interface SetFigures {
  readonly pairs: readonly string[];
  readonly pairings: Figures;
  readonly overall: Figures;
  readonly rules: Readonly<Record<string, Figures>>;
}

/** recorded.json: the floors the eval-labels test holds the diff to. */
export interface Recorded {
  /** Every pair of the recorded groups together. */
  readonly all: SetFigures;
  /** One floor per `labelled:` group. */
  readonly groups: Readonly<Record<string, SetFigures>>;
}

export function setFigures(labels: readonly LabelFile[], e: Evaluation): SetFigures {
  return { pairs: labels.map((l) => l.name), pairings: e.pairings, overall: e.overall, rules: e.rules };
}

/**
 * The floors after `--record` (`remeasure`): every group that already has a floor is re-measured,
 * except held-out groups (their floor is their first measurement). A group named in `explicit`
 * (`--record-group NAME`) is recorded whatever it is, a new group only that way. The `all` set
 * (every recorded group together) is always measured anew.
 */
export function recordFloors(
  was: Recorded | undefined,
  groups: readonly (readonly [string, SetFigures])[],
  all: (names: readonly string[]) => SetFigures,
  explicit: ReadonlySet<string>,
  remeasure: boolean,
): { recorded: Recorded; unrecorded: string[] } {
  const out: Record<string, SetFigures> = {};
  const unrecorded: string[] = [];
  for (const [group, now] of groups) {
    const previous = was?.groups[group];
    if (explicit.has(group) || (remeasure && previous !== undefined && !isHeldOut(group))) out[group] = now;
    else if (previous !== undefined) out[group] = previous;
    else unrecorded.push(group);
  }
  const names = Object.values(out).flatMap((s) => s.pairs);
  return { recorded: { all: all(names), groups: out }, unrecorded };
}

/**
 * Every way the figures now fall below the floors: a figure below its floor, a rule no longer
 * measured, a group whose pairs changed since it was recorded, a group with no floor at all.
 */
export function belowFloors(recorded: Recorded, groups: readonly (readonly [string, SetFigures])[], all: SetFigures | undefined): string[] {
  const below: string[] = [];
  const compare = (name: string, was: Figures, now: Figures | undefined): void => {
    // A rule that only ever had false findings (support 0) and has none now is at its best.
    const is = now ?? (was.support === 0 ? { precision: 1, recall: 1, support: 0 } : undefined);
    if (!is) below.push(`${name}: no longer measured`);
    else {
      if (is.precision < was.precision) below.push(`${name}: precision ${is.precision} < recorded ${was.precision}`);
      if (is.recall < was.recall) below.push(`${name}: recall ${is.recall} < recorded ${was.recall}`);
    }
  };
  const check = (set: string, was: SetFigures, is: SetFigures): void => {
    const same = was.pairs.length === is.pairs.length && was.pairs.every((p, i) => p === is.pairs[i]);
    if (!same) {
      below.push(`${set}: recorded on ${was.pairs.join(', ')}; now ${is.pairs.join(', ')} (re-record with --record-group)`);
      return;
    }
    compare(`${set}: renames and moves`, was.pairings, is.pairings);
    compare(`${set}: all changes`, was.overall, is.overall);
    for (const [rule, figures] of Object.entries(was.rules)) compare(`${set}: ${rule}`, figures, is.rules[rule]);
  };
  const now = new Map(groups);
  for (const [group, is] of groups)
    if (recorded.groups[group] === undefined)
      below.push(`${group}: ${is.pairs.length} pairs with no recorded floor: read its figures, then \`npm run eval:diff -- --record-group ${group}\``);
  for (const [group, was] of Object.entries(recorded.groups)) {
    const is = now.get(group);
    if (is) check(group, was, is);
    else below.push(`${group}: recorded, but no label file is in this group any more`);
  }
  if (all) check('all recorded groups', recorded.all, all);
  return below;
}
