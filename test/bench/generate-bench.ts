import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
const SVD2RUST = process.env.SVD2RUST ?? join(process.env.HOME ?? '/root', '.cargo/bin/svd2rust');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function dirBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
}

/**
 * Time to generate every target from an already-imported SVD (rendering only; the importer has its
 * own bench), the size of the emitted C, and svd2rust on the same gunzipped file as a child process
 * in the same run. svd2rust's time includes its process start and its own XML parsing, so a second
 * row gives specdrive's import + generate for a like-for-like comparison.
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
      // A fresh model each run so the shared per-device analysis is not reused from a previous run.
      const fresh = buildGeneratorModel(imported.value);
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
      // The like-for-like row beside svd2rust: one language's driver layer from the same SVD.
      const cStart = performance.now();
      const forC = importText(text, `${chip}.svd`);
      renderTarget(generators.find((g) => g.name === 'c')!, buildGeneratorModel(forC.value!), {});
      cOnly.push(performance.now() - cStart);
    }
    const ours = median(times);
    rows.push({ name: `${chip} generate all targets (${generators.map((g) => g.name).join('+')})`, impl: 'specdrive', medianMs: ours, outputBytes: allBytes });
    rows.push({ name: `${chip} emitted C`, impl: 'specdrive', medianMs: ours, outputBytes: cBytes });
    const e2e = median(endToEnd);
    rows.push({ name: `${chip} import + generate all targets`, impl: 'specdrive', medianMs: e2e, outputBytes: allBytes });
    const cE2e = median(cOnly);
    rows.push({ name: `${chip} import + generate C only`, impl: 'specdrive', medianMs: cE2e, outputBytes: cBytes });
    if (existsSync(SVD2RUST)) {
      const work = mkdtempSync(join(tmpdir(), 'svd2rust-'));
      const svd = join(work, `${chip}.svd`);
      writeFileSync(svd, text);
      const rustTimes: number[] = [];
      let rustBytes = 0;
      for (let i = 0; i < RUNS; i++) {
        const out = join(work, `out${i}`);
        mkdirSync(out); // svd2rust panics when the output folder does not exist
        const start = performance.now();
        execFileSync(SVD2RUST, ['-i', svd, '-o', out, '--target', 'cortex-m'], { stdio: 'ignore' });
        rustTimes.push(performance.now() - start);
        rustBytes = dirBytes(out);
      }
      rmSync(work, { recursive: true, force: true });
      const theirs = median(rustTimes);
      rows.push({ name: `${chip} svd2rust (Rust PAC)`, impl: 'svd2rust', medianMs: theirs, outputBytes: rustBytes, ratio: theirs / e2e });
      rows.push({ name: `${chip} svd2rust vs specdrive C only`, impl: 'ratio', medianMs: theirs, ratio: theirs / cE2e });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await runGenerateBench()) console.log(JSON.stringify(row));
}
