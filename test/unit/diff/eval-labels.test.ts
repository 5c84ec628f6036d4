import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, loadLabels, RECORDED, type Figures } from '../../eval/diff-eval.ts';

/**
 * The diff on hand-labelled real revision pairs (test/fixtures/diff-labels) must not fall below the
 * figures recorded by `npm run eval:diff -- --record`. Raising them is recording better figures;
 * lowering them is a regression this test reports with the disagreements.
 */
describe('diff on hand-labelled real revision pairs', () => {
  it('keeps precision and recall at or above the recorded figures', { timeout: 600_000 }, async () => {
    const recorded = JSON.parse(readFileSync(RECORDED, 'utf8')) as { pairings: Figures; overall: Figures; rules: Record<string, Figures> };
    const labels = loadLabels();
    expect(labels.length).toBeGreaterThanOrEqual(10);
    for (const label of labels)
      for (const c of label.changes) expect(c.evidence.trim().length, `${label.name}: ${c.rule} ${c.before ?? c.after}`).toBeGreaterThan(10);
    const now = await evaluate(labels);
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
    expect(below, now.misses.join('\n')).toEqual([]);
    // The targets on real pairs.
    expect(now.pairings.precision).toBeGreaterThanOrEqual(0.97);
    expect(now.pairings.recall).toBeGreaterThanOrEqual(0.95);
  });
});
