import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Time to apply stm32-rs's STM32F407 and STM32C031 device patches: specdrive (read patch + includes,
 * parse the SVD, patch the tree; and the same plus conversion to the IR) against the Rust
 * `svdtools patch` 0.5.0 (parse, patch, write the .patched SVD), on a temporary copy of
 * ../shared/data/svdtools with the SVDs gunzipped. svdtools is optional: `cargo install svdtools
 * --version 0.5.0`; without it only specdrive rows are printed.
 *
 * Run alone: `node --import tsx test/bench/patch-bench.ts`.
 */

export interface BenchRow {
  name: string;
  impl: string;
  medianMs: number;
  ratio?: number;
}

const DATA = new URL('../../../shared/data/svdtools/', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const DEVICES = ['stm32f407', 'stm32c031'];
const RUNS = 5;

// Each run is a fresh process and times the work itself (not start-up or module loading).
const SPECDRIVE = `
import { patchSvdFile, importPatchedSvd } from './src/patch/index.ts';
const [file, mode] = process.argv.slice(1);
const t0 = performance.now();
const r = mode === 'import' ? importPatchedSvd(file) : patchSvdFile(file);
const ms = performance.now() - t0;
if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error(JSON.stringify(r.diagnostics[0]));
console.log(JSON.stringify({ ms }));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function specdriveMs(patch: string, mode: 'patch' | 'import'): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SPECDRIVE, patch, mode], { cwd: ROOT, encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ms: number }).ms;
}

function svdtoolsMs(patch: string): number | undefined {
  try {
    const t0 = performance.now();
    execFileSync('svdtools', ['patch', patch], { stdio: 'ignore' });
    return performance.now() - t0;
  } catch {
    return undefined;
  }
}

export async function runPatchBench(): Promise<BenchRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'patch-bench-'));
  try {
    cpSync(join(DATA, 'devices'), join(work, 'devices'), { recursive: true });
    cpSync(join(DATA, 'svd'), join(work, 'svd'), { recursive: true });
    for (const d of DEVICES) writeFileSync(join(work, 'svd', `${d}.svd`), gunzipSync(readFileSync(join(DATA, 'svd', `${d}.svd.gz`))));
    const rows: BenchRow[] = [];
    for (const d of DEVICES) {
      const patch = join(work, 'devices', `${d}.yaml`);
      const reference = Array.from({ length: RUNS }, () => svdtoolsMs(patch));
      const ref = reference.every((x) => x !== undefined) ? median(reference as number[]) : undefined;
      const patchOnly = median(Array.from({ length: RUNS }, () => specdriveMs(patch, 'patch')));
      const withImport = median(Array.from({ length: RUNS }, () => specdriveMs(patch, 'import')));
      if (ref !== undefined) rows.push({ name: d, impl: 'svdtools 0.5.0 patch (process)', medianMs: ref, ratio: 1 });
      rows.push({ name: d, impl: 'specdrive patch (tree)', medianMs: patchOnly, ...(ref !== undefined ? { ratio: patchOnly / ref } : {}) });
      rows.push({ name: d, impl: 'specdrive patch + import to IR', medianMs: withImport, ...(ref !== undefined ? { ratio: withImport / ref } : {}) });
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runPatchBench())
    console.log(`${r.name.padEnd(10)} ${r.impl.padEnd(34)} ${r.medianMs.toFixed(0).padStart(6)} ms${r.ratio !== undefined ? `  ×${r.ratio.toFixed(2)}` : ''}`);
}
