/**
 * `npm run train:matcher`: builds a labelled training set from seeded mutations of real register
 * maps in ../shared/data, trains the matcher with TensorFlow.js, evaluates it on IP families (and
 * chips) kept out of training next to a name-only baseline, and writes src/diff/matcher/weights.json.
 * Deterministic: every random choice comes from seeded generators, and the weights are initialised
 * from one too.
 */
import { writeFileSync } from 'node:fs';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Device, Peripheral } from '../../ir/types.ts';
import { importFile } from '../../importers/index.ts';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features.ts';
import { NAME_ONLY_SCORER } from '../diff.ts';
import type { Entity } from '../entities.ts';
import { fileFamily, trainingPlan } from './split.ts';
import { evaluatePairs, scoresOf, scoreTable, type LabelledPair } from './evaluate.ts';
import { WEIGHTS_FILE, type MatcherWeights } from './model.ts';
import { loadTf, useWasmBackend } from './tf.ts';
import { mutateDevice, seededRandom, type Random } from './mutate.ts';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = process.env.SPECDRIVE_DATA ?? join(here, '../../../../shared/data');
const LABELS = join(here, '../../../test/fixtures/diff-labels');
const SEED = 20_240_805;
const MUTATIONS_PER_MAP = 2;
/** Evaluated chips also scored here on synthetic mutations (never trained on: see split.ts). */
const SYNTHETIC_EVALUATION_CHIPS = ['RP2040', 'nrf52840'];
const HIDDEN_UNITS = 16;
/** A pairing whose runner-up scores within this of it is reported as uncertain. */
const UNCERTAIN_MARGIN = 0.1;
const EPOCHS = 30;
const BATCH = 2048;

function log(message: string): void {
  process.stdout.write(message + '\n');
}

/** Peripheral instances as in a chip: some blocks appear twice (USART1, USART2) at different bases. */
/** A deep copy of an IR node with every `path` renamed (BigInt values — wide resets — kept as they are). */
function withPathsRenamed<T>(value: T, rename: (path: string) => string): T {
  if (Array.isArray(value)) return value.map((item: unknown) => withPathsRenamed(item, rename)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) copy[key] = key === 'path' && typeof v === 'string' ? rename(v) : withPathsRenamed(v, rename);
  return copy as T;
}

function instantiate(device: Device, random: Random): Device {
  const peripherals: Peripheral[] = [];
  let base = 0x4000_0000;
  for (const p of device.peripherals) {
    const copies = random() < 0.4 ? 2 : 1;
    for (let k = 1; k <= copies; k++) {
      const name = copies > 1 ? `${p.name}${k}` : p.name;
      const rename = (path: string): string => name + path.slice(p.name.length);
      peripherals.push({ ...withPathsRenamed(p, rename), name, path: name, baseAddress: base });
      base += 0x400;
    }
  }
  return { ...device, peripherals };
}

/** Imports through the production importers (the same IR a real diff sees). */
function load(file: string): Device | undefined {
  const imported = importFile(file);
  if (!imported.value) log(`note: ${file} did not import (${imported.diagnostics[0]?.message ?? 'unknown'}); skipped`);
  return imported.value;
}

function chiptoolMaps(files: readonly string[], random: Random): { family: string; device: Device }[] {
  return files.flatMap((file) => {
    const device = load(file);
    if (!device || device.peripherals.length === 0) return [];
    return [{ family: fileFamily(basename(file)), device: instantiate(device, random) }];
  });
}

function labelledPairs(maps: readonly { family: string; device: Device }[], seedBase: number): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  maps.forEach((m, index) => {
    for (let k = 0; k < MUTATIONS_PER_MAP; k++) {
      const mutated = mutateDevice(m.device, seedBase + index * 101 + k);
      pairs.push({ family: m.family, before: m.device, after: mutated.device, truth: mutated.truth, ignore: mutated.ignore });
    }
  });
  return pairs;
}

/** Share of easy negatives kept (no name, token, abbreviation or position in common). */
const EASY_NEGATIVE_RATE = 0.05;
const NAME_SIMILARITY = FEATURE_NAMES.indexOf('name-edit-similarity');
const TOKEN_OVERLAP = FEATURE_NAMES.indexOf('name-token-overlap');
const ABBREVIATION = FEATURE_NAMES.indexOf('name-abbreviation');
const POSITION_EQUAL = FEATURE_NAMES.indexOf('position-equal');

/**
 * Collects the candidate pairs the matcher scores, labelled from the truth. Easy negatives (nothing
 * in common) are the bulk and teach little, so only a seeded sample of them is kept; every positive
 * and every hard negative stays.
 */
function collectExamples(pairs: readonly LabelledPair[], random: Random): { x: Float32Array; y: Float32Array; count: number } {
  const xs: Float32Array[] = [];
  const ys: number[] = [];
  evaluatePairs(pairs, NAME_ONLY_SCORER, (pair) => (olds: readonly Entity[], news: readonly Entity[], features: Float32Array) => {
    const keep: number[] = [];
    olds.forEach((o, r) => {
      if (pair.ignore.has(o.path)) return;
      const label = pair.truth.get(o.path) === news[r]!.path ? 1 : 0;
      const f = r * FEATURE_COUNT;
      const hard =
        features[f + NAME_SIMILARITY]! >= 0.4 || features[f + TOKEN_OVERLAP]! > 0 || features[f + ABBREVIATION]! > 0 || features[f + POSITION_EQUAL]! > 0;
      if (label === 0 && !hard && random() >= EASY_NEGATIVE_RATE) return;
      keep.push(r);
      ys.push(label);
    });
    const x = new Float32Array(keep.length * FEATURE_COUNT);
    keep.forEach((r, k) => x.set(features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), k * FEATURE_COUNT));
    xs.push(x);
  });
  const x = new Float32Array(ys.length * FEATURE_COUNT);
  let at = 0;
  for (const part of xs) {
    x.set(part, at);
    at += part.length;
  }
  return { x, y: Float32Array.from(ys), count: ys.length };
}

function glorot(random: Random, rows: number, cols: number): number[][] {
  const limit = Math.sqrt(6 / (rows + cols));
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() * 2 - 1) * limit));
}

async function train(examples: { x: Float32Array; y: Float32Array; count: number }, random: Random): Promise<Pick<MatcherWeights, 'hidden' | 'output'>> {
  const tf = loadTf();
  const w1 = tf.variable(tf.tensor2d(glorot(random, FEATURE_COUNT, HIDDEN_UNITS)));
  const b1 = tf.variable(tf.zeros([HIDDEN_UNITS]));
  const w2 = tf.variable(tf.tensor2d(glorot(random, HIDDEN_UNITS, 1)));
  const b2 = tf.variable(tf.zeros([1]));
  const optimizer = tf.train.adam(0.01);
  const positives = examples.y.reduce((n, v) => n + v, 0);
  // Positives are rarer than negatives; weighting them keeps recall from collapsing.
  const positiveWeight = Math.max(1, (examples.count - positives) / Math.max(1, positives) / 2);
  const order = Array.from({ length: examples.count }, (_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let start = 0; start < order.length; start += BATCH) {
      const idx = order.slice(start, start + BATCH);
      const bx = new Float32Array(idx.length * FEATURE_COUNT);
      const by = new Float32Array(idx.length);
      idx.forEach((r, k) => {
        bx.set(examples.x.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT), k * FEATURE_COUNT);
        by[k] = examples.y[r]!;
      });
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const x = tf.tensor2d(bx, [idx.length, FEATURE_COUNT]);
            const y = tf.tensor2d(by, [idx.length, 1]);
            const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
            const weights = tf.add(tf.mul(y, positiveWeight - 1), 1);
            return tf.losses.sigmoidCrossEntropy(y, logits, weights);
          }),
        true,
      );
      total += (loss?.dataSync()[0] ?? 0) * idx.length;
      loss?.dispose();
    }
    if (epoch % 10 === 9 || epoch === EPOCHS - 1) log(`  epoch ${epoch + 1}/${EPOCHS}: loss ${(total / order.length).toFixed(4)}`);
  }
  const round = (v: number): number => Math.round(v * 1e6) / 1e6;
  const rows = (t: typeof w1): number[][] => (t.arraySync() as number[][]).map((r) => r.map(round));
  return {
    hidden: { weights: rows(w1), bias: (b1.arraySync() as number[]).map(round) },
    output: { weights: rows(w2), bias: (b2.arraySync() as number[]).map(round) },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`tfjs backend: ${await useWasmBackend()}`);
  const random = seededRandom(SEED);
  const plan = trainingPlan(DATA, LABELS);
  const trainSvd = plan.svd.flatMap((c) => {
    const device = load(c.file);
    if (!device) return [];
    const kept = device.peripherals.filter((p) => !c.dropPeripheral(p.name));
    log(`  ${c.chip}: ${kept.length} peripherals trained on, ${device.peripherals.length - kept.length} of evaluated families removed`);
    return [{ family: `chip:${c.chip}`, device: { ...device, peripherals: kept } }];
  });
  const testSvd = SYNTHETIC_EVALUATION_CHIPS.flatMap((chip) => {
    const device = load(join(DATA, 'svd', `${chip}.svd.gz`));
    return device ? [{ family: `chip:${chip}`, device }] : [];
  });
  const trainMaps = [...chiptoolMaps(plan.chiptoolFiles, random), ...trainSvd];
  const testMaps = [...chiptoolMaps(plan.heldOutChiptoolFiles, random), ...testSvd];
  log(
    `maps: ${trainMaps.length} for training, ${testMaps.length} held out (families ${[...plan.heldOutFamilies].sort().join(', ')}; chips ${SYNTHETIC_EVALUATION_CHIPS.join(', ')})`,
  );
  const trainPairs = labelledPairs(trainMaps, SEED);
  const testPairs = labelledPairs(testMaps, SEED + 7_777);
  let lap = performance.now();
  const examples = collectExamples(trainPairs, random);
  log(`collected examples in ${((performance.now() - lap) / 1000).toFixed(1)} s`);
  lap = performance.now();
  const positives = examples.y.reduce((n, v) => n + v, 0);
  log(`training examples: ${examples.count} candidate pairs (${positives} true matches)`);
  const layers = await train(examples, random);
  log(`trained in ${((performance.now() - lap) / 1000).toFixed(1)} s`);

  // Threshold and uncertainty margin chosen on training pairs only.
  let best: { threshold: number; f1: number } = { threshold: 0.5, f1: -1 };
  // A quarter of the training pairs is enough to place the threshold, and keeps the run short.
  const tuningPairs = trainPairs.filter((_, i) => i % 4 === 0);
  for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7]) {
    const weights: MatcherWeights = { format: 'specdrive-matcher@1', features: [...FEATURE_NAMES], ...layers, threshold, uncertainMargin: UNCERTAIN_MARGIN };
    const counts = evaluatePairs(tuningPairs, { kind: 'model', weights });
    const f1 = (scoresOf(counts.register).f1 + scoresOf(counts.field).f1) / 2;
    log(`  threshold ${threshold}: mean register/field F1 on training pairs ${f1.toFixed(4)}`);
    // Ties go to the higher threshold: on real revisions a wrong pairing costs more than a missed one.
    if (f1 >= best.f1) best = { threshold, f1 };
  }
  const draft: MatcherWeights = {
    format: 'specdrive-matcher@1',
    features: [...FEATURE_NAMES],
    ...layers,
    threshold: best.threshold,
    uncertainMargin: UNCERTAIN_MARGIN,
  };
  const model = evaluatePairs(testPairs, { kind: 'model', weights: draft });
  const baseline = evaluatePairs(testPairs, NAME_ONLY_SCORER);
  log('\nheld-out evaluation (pairs whose path changed, or that were removed):');
  log(
    scoreTable([
      { name: 'model', counts: model },
      { name: 'name-only', counts: baseline },
    ]),
  );
  const summary = (counts: typeof model): Record<string, { precision: number; recall: number; f1: number; support: number }> =>
    Object.fromEntries(
      Object.entries(counts).map(([k, c]) => {
        const s = scoresOf(c);
        return [k, { precision: +s.precision.toFixed(4), recall: +s.recall.toFixed(4), f1: +s.f1.toFixed(4), support: s.support }];
      }),
    );
  const weights: MatcherWeights = {
    ...draft,
    training: {
      seed: SEED,
      mutationsPerMap: MUTATIONS_PER_MAP,
      trainMaps: trainMaps.length,
      heldOutMaps: testMaps.length,
      trainChips: plan.svd.map((c) => c.chip),
      heldOutFamilies: [...plan.heldOutFamilies].sort(),
      heldOutChips: SYNTHETIC_EVALUATION_CHIPS,
      examples: examples.count,
      heldOut: { model: summary(model), nameOnly: summary(baseline) },
    },
  };
  writeFileSync(WEIGHTS_FILE, JSON.stringify(weights, null, 1) + '\n');
  log(`\nwrote ${WEIGHTS_FILE} (threshold ${best.threshold}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
