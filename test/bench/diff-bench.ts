import { importFile } from '../../src/importers/index.ts';
import type { Device } from '../../src/ir/types.ts';
import { diffDevices, NAME_ONLY_SCORER, type DiffOptions } from '../../src/diff/index.ts';
import { mutateDevice, type MutationRates } from '../../src/diff/matcher/mutate.ts';

/**
 * Time to diff two revisions (import excluded): STM32H743 1.7 → 2.4 (target 0.5 s) and STM32N657
 * against a seeded mutated copy of itself (target 2 s), with the learned matcher
 * and, as the reference in the same run, the name-only scorer (no model call).
 *
 * Run alone: `node --import tsx test/bench/diff-bench.ts`.
 */
export interface BenchRow {
  name: string;
  impl: string;
  medianMs: number;
  ratio?: number;
}

const DATA = new URL('../../../shared/data/', import.meta.url).pathname;
const RUNS = 5;
/**
 * A vendor revision, not a rewrite: about 2 % of names changed and 1 % of nodes moved, resized,
 * removed or added (RP2040 1.5.1 → 2.0.0 touched ~300 of ~7 000 nodes). The training mutations are
 * heavier on purpose; timed on N657 they make 76 000 changes.
 */
const REVISION_RATES: MutationRates = { rename: 0.02, move: 0.01, resize: 0.01, remove: 0.005, add: 0.005, describe: 0.05, split: 0.002 };

function load(file: string): Device {
  const imported = importFile(DATA + file);
  if (!imported.value) throw new Error(`${file}: ${imported.diagnostics[0]?.message ?? 'does not import'}`);
  return imported.value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(before: Device, after: Device, options: DiffOptions): number {
  diffDevices(before, after, options); // warm-up: JIT
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    diffDevices(before, after, options);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export async function runDiffBench(): Promise<BenchRow[]> {
  const cases: { name: string; before: Device; after: Device }[] = [
    {
      name: 'diff STM32H743 1.7 → 2.4',
      before: load('svd-revisions/STM32H743/STM32H743@modm-v1.7.svd.gz'),
      after: load('svd-revisions/STM32H743/STM32H743@modm-v2.4.svd.gz'),
    },
  ];
  const n657 = load('svd/STM32N657.svd.gz');
  cases.push({ name: 'diff STM32N657 vs mutated copy', before: n657, after: mutateDevice(n657, 42, REVISION_RATES).device });
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const model = time(c.before, c.after, {});
    const reference = time(c.before, c.after, { scorer: NAME_ONLY_SCORER });
    rows.push({
      name: c.name,
      impl: 'learned matcher',
      medianMs: Math.round(model * 10) / 10,
      ratio: Math.round((model / reference) * 100) / 100,
    });
    rows.push({ name: c.name, impl: 'name-only scorer (reference)', medianMs: Math.round(reference * 10) / 10 });
  }
  return rows;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  for (const row of await runDiffBench())
    console.log(`${row.name.padEnd(34)} ${row.impl.padEnd(30)} ${row.medianMs.toFixed(1).padStart(8)} ms${row.ratio !== undefined ? `  ×${row.ratio}` : ''}`);
}
