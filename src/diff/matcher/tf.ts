import { createRequire } from 'node:module';
import { FEATURE_COUNT } from '../features.ts';
import type { MatcherWeights } from './model.ts';

/**
 * TensorFlow.js, for training the matcher (`npm run train:matcher`) and for checking that the
 * diff's own scoring (`scoreBatch` in model.ts) computes what the trained graph computes. The diff
 * itself never loads it.
 *
 * tfjs is loaded through `require` on first use: its import costs ~0.4 s, and `require` guarantees
 * that tfjs and the wasm backend share one tfjs-core instance (mixing the ESM and CJS builds would
 * register the backend in a different copy).
 */
type Tf = typeof import('@tensorflow/tfjs');
const require = createRequire(import.meta.url);
let tfModule: Tf | undefined;

export function loadTf(): Tf {
  if (!tfModule) {
    tfModule = require('@tensorflow/tfjs') as Tf;
    // Keep tfjs quiet: the "install tfjs-node" hint does not apply (tfjs-node cannot be installed
    // here; see docs/decisions-diff.md).
    tfModule.env().set('IS_TEST', true);
  }
  return tfModule;
}

/** Switches TensorFlow.js to the wasm backend (about 4× faster than pure JS here); returns the backend in use. */
export async function useWasmBackend(): Promise<string> {
  const t = loadTf();
  if (t.getBackend() === 'wasm') return 'wasm';
  try {
    require('@tensorflow/tfjs-backend-wasm');
    if (await t.setBackend('wasm')) {
      await t.ready();
      return 'wasm';
    }
  } catch {
    // A missing or unloadable wasm binary leaves the CPU backend.
  }
  await t.setBackend('cpu');
  return t.getBackend();
}

/** The trained graph run by tfjs on `count` feature rows: the reference `scoreBatch` is checked against. */
export function tfScoreBatch(weights: MatcherWeights, features: Float32Array, count: number): Float32Array {
  if (count === 0) return new Float32Array(0);
  const t = loadTf();
  // tidy() returns the tensor, not the data: tidy walks whatever it returns looking for tensors.
  const out = t.tidy(() => {
    const x = t.tensor2d(features.subarray(0, count * FEATURE_COUNT), [count, FEATURE_COUNT]);
    const w1 = t.tensor2d(weights.hidden.weights as number[][]);
    const b1 = t.tensor1d(weights.hidden.bias as number[]);
    const w2 = t.tensor2d(weights.output.weights as number[][]);
    const b2 = t.tensor1d(weights.output.bias as number[]);
    const hidden = t.relu(t.add(t.matMul(x, w1), b1));
    return t.sigmoid(t.add(t.matMul(hidden, w2), b2));
  });
  try {
    return Float32Array.from(out.dataSync());
  } finally {
    out.dispose();
  }
}
