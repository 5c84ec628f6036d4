import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importText } from '../../src/importers/index.ts';
import { buildGeneratorModel, generators, renderTarget } from '../../generators/index.ts';

export interface BenchRow {
  name: string;
  impl: string;
  medianMs: number;
  outputBytes?: number;
  ratio?: number;
}

const DATA = join(import.meta.dirname, '../../../shared/data/svd');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * In-process rendering times (no process start, no validation, no writes) and output sizes, to follow
 * the generators' own cost from run to run. The comparison with svd2rust is in command-bench.ts,
 * where both sides are whole processes that read the SVD and write their output.
 */
export async function runGenerateBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const chip of ['STM32H743', 'STM32N657']) {
    const text = gunzipSync(readFileSync(join(DATA, `${chip}.svd.gz`))).toString('utf8');
    const imported = importText(text, `${chip}.svd`);
    if (!imported.value) throw new Error(`cannot import ${chip}`);
    const times: number[] = [];
    const endToEnd: number[] = [];
    const cOnly: number[] = [];
    let cBytes = 0;
    let allBytes = 0;
    for (let i = 0; i < RUNS; i++) {
      // A fresh model of a fresh copy each run: the shared per-device analysis is cached by the
      // Device object, so reusing the imported one would time a cache hit from the second run on.
      const fresh = buildGeneratorModel(structuredClone(imported.value));
      const start = performance.now();
      allBytes = 0;
      for (const generator of generators) {
        const result = renderTarget(generator, fresh, {});
        const bytes = (result.value ?? []).reduce((n, f) => n + Buffer.byteLength(f.contents), 0);
        allBytes += bytes;
        if (generator.name === 'c') cBytes = bytes;
      }
      times.push(performance.now() - start);
      const e2eStart = performance.now();
      const again = importText(text, `${chip}.svd`);
      const m = buildGeneratorModel(again.value!);
      for (const generator of generators) renderTarget(generator, m, {});
      endToEnd.push(performance.now() - e2eStart);
      // One language's driver layer from the same SVD (the command bench compares it with svd2rust).
      const cStart = performance.now();
      const forC = importText(text, `${chip}.svd`);
      renderTarget(generators.find((g) => g.name === 'c')!, buildGeneratorModel(forC.value!), {});
      cOnly.push(performance.now() - cStart);
    }
    const ours = median(times);
    rows.push({
      name: `${chip} generate all targets (${generators.map((g) => g.name).join('+')}), in-process, no writes`,
      impl: 'specdrive',
      medianMs: ours,
      outputBytes: allBytes,
    });
    const e2e = median(endToEnd);
    rows.push({ name: `${chip} import + generate all targets, in-process, no writes`, impl: 'specdrive', medianMs: e2e, outputBytes: allBytes });
    const cE2e = median(cOnly);
    rows.push({
      name: `${chip} import + generate C only, in-process, no writes (C bytes in outputBytes)`,
      impl: 'specdrive',
      medianMs: cE2e,
      outputBytes: cBytes,
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await runGenerateBench()) console.log(JSON.stringify(row));
}
