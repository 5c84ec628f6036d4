import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../package/root.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features.ts';

/**
 * The learned matcher: a two-layer perceptron (features → hidden ReLU → sigmoid) evaluated with
 * TensorFlow.js over every candidate pair of a diff in one batched call.
 *
 * TensorFlow.js is loaded through `require` on first use, not imported at module load: its import
 * costs ~0.4 s, and modules that only need the diff's types (the binding stage) should not pay it.
 * `require` also guarantees that tfjs and the wasm backend share one tfjs-core instance (mixing the
 * ESM and CJS builds would register the backend in a different copy).
 */
export interface DenseLayer {
  /** Row-major [inputs][outputs]. */
  readonly weights: readonly (readonly number[])[];
  readonly bias: readonly number[];
}

export interface MatcherWeights {
  readonly format: 'specdrive-matcher@1';
  readonly features: readonly string[];
  readonly hidden: DenseLayer;
  readonly output: DenseLayer;
  /** Score above which a pair may be matched at all (the no-match cost is 1 − threshold). */
  readonly threshold: number;
  /** Best-minus-second-best score under which a match is reported as uncertain. */
  readonly uncertainMargin: number;
  readonly training?: Readonly<Record<string, unknown>>;
}

type Tf = typeof import('@tensorflow/tfjs');
const require = createRequire(import.meta.url);
let tfModule: Tf | undefined;

function tf(): Tf {
  if (!tfModule) {
    tfModule = require('@tensorflow/tfjs') as Tf;
    // Keep tfjs quiet: the CLI prints only through its context, and the "install tfjs-node" hint
    // does not apply (tfjs-node cannot be installed here; see docs/decisions-diff.md).
    tfModule.env().set('IS_TEST', true);
  }
  return tfModule;
}

/** The tfjs module as loaded by the matcher (training uses the same instance). */
export function loadTf(): Tf {
  return tf();
}

/**
 * Switches TensorFlow.js to the wasm backend (about 4× faster than pure JS on these machines). Optional:
 * without it the diff still runs, synchronously, on the CPU backend. Returns the backend in use.
 */
export async function prepareMatcher(): Promise<string> {
  const t = tf();
  if (t.getBackend() === 'wasm') return 'wasm';
  try {
    require('@tensorflow/tfjs-backend-wasm');
    if (await t.setBackend('wasm')) {
      await t.ready();
      return 'wasm';
    }
  } catch {
    // A missing or unloadable wasm binary leaves the CPU backend, which gives identical scores.
  }
  await t.setBackend('cpu');
  return t.getBackend();
}

export const WEIGHTS_FILE = packagePath('src', 'diff', 'matcher', 'weights.json');

/** Checks the shape of a weights object; returns a problem description or undefined. */
export function weightsProblem(value: unknown): string | undefined {
  const w = value as Partial<MatcherWeights> | null;
  if (!w || typeof w !== 'object') return 'not an object';
  if (w.format !== 'specdrive-matcher@1') return `unknown format ${JSON.stringify(w.format)}`;
  if (!Array.isArray(w.features) || w.features.join(',') !== FEATURE_NAMES.join(','))
    return 'its feature list differs from this version of the matcher; run npm run train:matcher';
  const hidden = w.hidden;
  const output = w.output;
  if (!hidden || !output || !Array.isArray(hidden.weights) || hidden.weights.length !== FEATURE_COUNT) return 'hidden layer has the wrong number of inputs';
  const units = hidden.bias?.length ?? 0;
  if (units === 0 || hidden.weights.some((row) => !Array.isArray(row) || row.length !== units)) return 'hidden layer rows are inconsistent';
  if (!Array.isArray(output.weights) || output.weights.length !== units || output.weights.some((row) => !Array.isArray(row) || row.length !== 1))
    return 'output layer has the wrong shape';
  if (typeof w.threshold !== 'number' || typeof w.uncertainMargin !== 'number') return 'threshold or uncertainMargin missing';
  return undefined;
}

let cachedWeights: { weights?: MatcherWeights; problem?: string } | undefined;

/** The committed weights, read once. */
export function committedWeights(): { weights?: MatcherWeights; problem?: string } {
  if (!cachedWeights) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8'));
      const problem = weightsProblem(parsed);
      cachedWeights = problem ? { problem } : { weights: parsed as MatcherWeights };
    } catch (error) {
      cachedWeights = { problem: `cannot read ${WEIGHTS_FILE}: ${(error as Error).message}` };
    }
  }
  return cachedWeights;
}

/** Scores `count` feature rows in one tensor call; returns match probabilities. */
export function scoreBatch(weights: MatcherWeights, features: Float32Array, count: number): Float32Array {
  if (count === 0) return new Float32Array(0);
  const t = tf();
  // tidy() returns the tensor, not the data: tidy walks whatever it returns looking for tensors,
  // which over a million-element array cost more than the model itself.
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
    // Copied out of the backend's memory before the tensor is released.
    return Float32Array.from(out.dataSync());
  } finally {
    out.dispose();
  }
}
