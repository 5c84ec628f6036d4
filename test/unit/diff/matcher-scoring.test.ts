import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { deviceEntities } from '../../../src/diff/entities.ts';
import { FEATURE_COUNT } from '../../../src/diff/features.ts';
import { matchEntities } from '../../../src/diff/match.ts';
import { committedWeights, scoreBatch, type MatcherWeights } from '../../../src/diff/matcher/model.ts';
import { tfScoreBatch, useWasmBackend } from '../../../src/diff/matcher/tf.ts';
import { seededRandom } from '../../../src/diff/matcher/mutate.ts';
import { LABELS, loadLabels } from '../../eval/diff-eval.ts';

/**
 * The diff scores candidates with its own float32 arithmetic (model.ts) instead of loading
 * TensorFlow.js: it must compute what the trained tfjs graph computes, on the feature rows real
 * diffs produce (every non-exact candidate of labelled real pairs) and on random rows.
 */
const weights: MatcherWeights = committedWeights().weights!;

/** Every candidate row the scorer sees, identity passes off, on the labelled real pairs. */
let cachedRows: Float32Array | undefined;
function realRows(): Float32Array {
  if (cachedRows) return cachedRows;
  const rows: number[] = [];
  for (const label of loadLabels()) {
    const load = (file: string) => deviceEntities(importFile(resolve(LABELS, file)).value!);
    matchEntities(
      load(label.before),
      load(label.after),
      { kind: 'model', weights },
      (_o, _n, features) => {
        // A loop, not a spread: one batch of a big pair (rcc) has more values than the call stack takes arguments.
        for (const value of features) rows.push(value);
      },
      { identity: false },
    );
  }
  return (cachedRows = Float32Array.from(rows));
}

function randomRows(count: number): Float32Array {
  const random = seededRandom(15);
  return Float32Array.from({ length: count * FEATURE_COUNT }, () => (random() < 0.3 ? (random() < 0.5 ? 0 : 1) : random()));
}

describe('matcher scoring without TensorFlow.js', () => {
  it('is loaded with committed weights', () => {
    expect(committedWeights().problem).toBeUndefined();
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`agrees with the tfjs ${backend} backend on real candidate rows and random rows`, { timeout: 600_000 }, async () => {
      if (backend === 'wasm') expect(await useWasmBackend()).toBe('wasm');
      else {
        const { loadTf } = await import('../../../src/diff/matcher/tf.ts');
        await loadTf().setBackend('cpu');
      }
      for (const features of [realRows(), randomRows(2000)]) {
        const count = features.length / FEATURE_COUNT;
        expect(count).toBeGreaterThan(100);
        const ours = scoreBatch(weights, features, count);
        const reference = tfScoreBatch(weights, features, count);
        expect(ours.length).toBe(count);
        let worst = 0;
        for (let i = 0; i < count; i++) {
          worst = Math.max(worst, Math.abs(ours[i]! - reference[i]!));
          // The decisions the diff takes from a score: pass the threshold, and the confidence it reports.
          expect(ours[i]! >= weights.threshold).toBe(reference[i]! >= weights.threshold);
        }
        expect(worst).toBeLessThan(1e-6);
      }
    });
  }
});
