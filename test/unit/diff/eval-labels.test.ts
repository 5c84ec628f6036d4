import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { combine, evaluatePair, loadLabels, RECORDED, type PairResult } from '../../eval/diff-eval.ts';
import { belowFloors, compareGroups, groupLabels, recordFloors, setFigures, type Recorded, type SetFigures } from '../../eval/label-groups.ts';

/**
 * The diff on hand-labelled real revision pairs (test/fixtures/diff-labels) must not fall below the
 * floors recorded by `npm run eval:diff -- --record` / `--record-group NAME`: for every group of
 * pairs (their `labelled:` header) and for all recorded groups together. A group with no floor (a
 * new held-out set) fails here until its first figures are recorded explicitly. Raising floors is
 * recording better figures; lowering them is a regression this test reports with the
 * disagreements. The targets (precision 0.97, recall 0.95) are not asserted here:
 * docs/diff.md says where each group stands against them.
 */
describe('diff on hand-labelled real revision pairs', () => {
  it('keeps precision and recall at or above the recorded floors of every group', { timeout: 600_000 }, async () => {
    const recorded = JSON.parse(readFileSync(RECORDED, 'utf8')) as Recorded;
    const labels = loadLabels();
    expect(labels.length).toBeGreaterThanOrEqual(10);
    for (const label of labels)
      for (const c of label.changes) expect(c.evidence.trim().length, `${label.name}: ${c.rule} ${c.before ?? c.after}`).toBeGreaterThan(10);
    const results = new Map<string, PairResult>();
    for (const label of labels) results.set(label.name, await evaluatePair(label));
    const figuresOf = (names: readonly string[]): SetFigures | undefined => {
      const set = names.flatMap((n) => results.get(n) ?? []);
      return set.length === names.length
        ? setFigures(
            set.map((r) => r.label),
            combine(set),
          )
        : undefined;
    };
    const groups = groupLabels(labels).map(([group, set]) => [group, figuresOf(set.map((l) => l.name))!] as const);
    expect(groups.some(([g]) => g === 'held-out')).toBe(true);
    const below = belowFloors(recorded, groups, figuresOf(recorded.all.pairs));
    expect(below, combine([...results.values()]).misses.join('\n')).toEqual([]);
  });
});

describe('groups and floors of the labelled set', () => {
  const figures = (precision: number): SetFigures['overall'] => ({ precision, recall: 1, support: 10 });
  const set = (pairs: string[], precision = 1): SetFigures => ({ pairs, pairings: figures(precision), overall: figures(precision), rules: {} });

  it('prints held-out groups first, the newest round first, then independent, then drafted', () => {
    const order = ['drafted', 'independent', 'held-out', 'held-out-2', 'other', 'held-out-10'].sort(compareGroups);
    expect(order).toEqual(['held-out-10', 'held-out-2', 'held-out', 'independent', 'drafted', 'other']);
    const labels = [
      { name: 'a', before: '', after: '', family: 'x', changes: [] },
      { name: 'b', before: '', after: '', family: 'x', labelled: 'held-out-2', changes: [] },
      { name: 'c', before: '', after: '', family: 'x', labelled: 'held-out', changes: [] },
    ];
    expect(groupLabels(labels).map(([g, l]) => [g, l.map((x) => x.name)])).toEqual([
      ['held-out-2', ['b']],
      ['held-out', ['c']],
      ['drafted', ['a']],
    ]);
  });

  it('fails on a group with no floor, and on a group whose pairs changed', () => {
    const recorded: Recorded = { all: set(['a', 'c']), groups: { 'held-out': set(['c']), drafted: set(['a']) } };
    const now = [
      ['held-out-2', set(['b'])],
      ['held-out', set(['c'])],
      ['drafted', set(['a'])],
    ] as const;
    const below = belowFloors(recorded, now, set(['a', 'c']));
    expect(below).toHaveLength(1);
    expect(below[0]).toMatch(/^held-out-2: 1 pairs with no recorded floor.*--record-group held-out-2/);
    expect(
      belowFloors(
        recorded,
        [
          ['held-out', set(['c', 'd'])],
          ['drafted', set(['a'])],
        ],
        set(['a', 'c']),
      )[0],
    ).toMatch(/^held-out: recorded on c; now c, d/);
    expect(
      belowFloors(
        recorded,
        [
          ['held-out', set(['c'], 0.5)],
          ['drafted', set(['a'])],
        ],
        set(['a', 'c']),
      ),
    ).toEqual(['held-out: renames and moves: precision 0.5 < recorded 1', 'held-out: all changes: precision 0.5 < recorded 1']);
  });

  it('records a new group only when named, and keeps a held-out floor as first measured', () => {
    const was: Recorded = { all: set(['a', 'c'], 0.5), groups: { 'held-out': set(['c'], 0.5), drafted: set(['a'], 0.5) } };
    const now = [
      ['held-out-2', set(['b'], 0.9)],
      ['held-out', set(['c'], 0.9)],
      ['drafted', set(['a'], 0.9)],
    ] as const;
    const all = (names: readonly string[]): SetFigures => set([...names], 0.9);
    const plain = recordFloors(was, now, all, new Set(), true);
    expect(plain.unrecorded).toEqual(['held-out-2']);
    expect(Object.keys(plain.recorded.groups)).toEqual(['held-out', 'drafted']);
    expect(plain.recorded.groups['held-out']!.overall.precision).toBe(0.5);
    expect(plain.recorded.groups.drafted!.overall.precision).toBe(0.9);
    expect(plain.recorded.all.pairs).toEqual(['c', 'a']);
    const named = recordFloors(was, now, all, new Set(['held-out-2']), false);
    expect(named.unrecorded).toEqual([]);
    expect(named.recorded.groups['held-out-2']!.pairs).toEqual(['b']);
    expect(named.recorded.groups.drafted!.overall.precision).toBe(0.5);
    expect(named.recorded.all.pairs).toEqual(['b', 'c', 'a']);
  });
});
