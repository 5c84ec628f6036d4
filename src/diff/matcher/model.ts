import { readFileSync } from 'node:fs';
import { packagePath } from '../../package/root.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features.ts';

/**
 * The learned matcher: a two-layer perceptron (features → hidden ReLU → sigmoid) over every
 * candidate pair of a diff in one batched call. Training uses TensorFlow.js (`./tf.ts`); scoring is
 * this file's few lines of float32 arithmetic: loading tfjs and its wasm backend cost ~0.4 s of CPU
 * per `diff` process, against well under a millisecond for the arithmetic of a typical diff.
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

/** The layers as float32 arrays, as a tensor would hold them (row-major, [inputs][outputs]). */
interface PackedWeights {
  readonly hidden: Float32Array;
  readonly hiddenBias: Float32Array;
  readonly output: Float32Array;
  readonly outputBias: number;
  readonly units: number;
}

const packed = new WeakMap<MatcherWeights, PackedWeights>();

function pack(weights: MatcherWeights): PackedWeights {
  let p = packed.get(weights);
  if (!p) {
    p = {
      hidden: Float32Array.from(weights.hidden.weights.flat()),
      hiddenBias: Float32Array.from(weights.hidden.bias),
      output: Float32Array.from(weights.output.weights.flat()),
      outputBias: Math.fround(weights.output.bias[0] ?? 0),
      units: weights.hidden.bias.length,
    };
    packed.set(weights, p);
  }
  return p;
}

/**
 * Scores `count` feature rows; returns match probabilities. Every product and sum is rounded to
 * float32 (`Math.fround`), as the float32 tensors that training evaluates: on the 822 candidate
 * rows of the labelled real pairs the scores are within 6e-8 of the tfjs wasm backend's (which
 * sums in a different order), and no threshold, margin or rounded confidence differs.
 */
export function scoreBatch(weights: MatcherWeights, features: Float32Array, count: number): Float32Array {
  const { hidden, hiddenBias, output, outputBias, units } = pack(weights);
  const scores = new Float32Array(count);
  const activation = new Float32Array(units);
  for (let row = 0; row < count; row++) {
    const x = row * FEATURE_COUNT;
    for (let u = 0; u < units; u++) {
      let sum = 0;
      for (let k = 0; k < FEATURE_COUNT; k++) sum = Math.fround(sum + Math.fround(features[x + k]! * hidden[k * units + u]!));
      const z = Math.fround(sum + hiddenBias[u]!);
      activation[u] = z > 0 ? z : 0;
    }
    let sum = 0;
    for (let u = 0; u < units; u++) sum = Math.fround(sum + Math.fround(activation[u]! * output[u]!));
    scores[row] = 1 / (1 + Math.exp(-Math.fround(sum + outputBias)));
  }
  return scores;
}
