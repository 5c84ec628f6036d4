import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, independentLabels, loadLabels, RECORDED, type Figures, type Recorded } from '../../eval/diff-eval.ts';

/**
 * The diff on hand-labelled real revision pairs (test/fixtures/diff-labels) must not fall below the
 * figures recorded by `npm run eval:diff -- --record`, on every pair and on the independently
 * labelled ones alone. Raising them is recording better figures; lowering them is a regression this
 * test reports with the disagreements. The targets (precision 0.97, recall 0.95 on renames
 * and moves) are not asserted here: docs/diff.md says where each set stands against them.
 */
describe('diff on hand-labelled real revision pairs', () => {
  it('keeps precision and recall at or above the recorded figures', { timeout: 600_000 }, async () => {
    const recorded = JSON.parse(readFileSync(RECORDED, 'utf8')) as Recorded;
    const labels = loadLabels();
    expect(labels.length).toBeGreaterThanOrEqual(10);
    for (const label of labels)
      for (const c of label.changes) expect(c.evidence.trim().length, `${label.name}: ${c.rule} ${c.before ?? c.after}`).toBeGreaterThan(10);
    const now = await evaluate(labels);
    const independent = independentLabels(labels);
    expect(independent.length).toBeGreaterThanOrEqual(2);
    const nowIndependent = await evaluate(independent);
    const below: string[] = [];
    const check = (name: string, was: Figures | undefined, is: Figures | undefined): void => {
      if (!was) return;
      if (!is) below.push(`${name}: no longer measured`);
      else {
        if (is.precision < was.precision) below.push(`${name}: precision ${is.precision} < recorded ${was.precision}`);
        if (is.recall < was.recall) below.push(`${name}: recall ${is.recall} < recorded ${was.recall}`);
      }
    };
    check('renames and moves', recorded.pairings, now.pairings);
    check('all changes', recorded.overall, now.overall);
    for (const [rule, figures] of Object.entries(recorded.rules)) check(rule, figures, now.rules[rule]);
    expect(recorded.independent?.pairs).toBe(independent.length);
    check('independent: renames and moves', recorded.independent?.pairings, nowIndependent.pairings);
    check('independent: all changes', recorded.independent?.overall, nowIndependent.overall);
    for (const [rule, figures] of Object.entries(recorded.independent?.rules ?? {})) check(`independent: ${rule}`, figures, nowIndependent.rules[rule]);
    expect(below, now.misses.join('\n')).toEqual([]);
  });
});
