import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Import time and peak memory of the largest real SVDs, next to reference parsers run in the same
 * command. Every measurement is a fresh child process, so peak RSS (`maxRSS` in Node,
 * `ru_maxrss` in Python) belongs to that one parse. Time is measured inside the child around the
 * work itself (read + gunzip + parse + build), not process start-up.
 *
 * Run alone: `node --import tsx test/bench/import-bench.ts`.
 */

export interface BenchRow {
  name: string;
  impl: string;
  medianMs: number;
  peakRssMb?: number;
  ratio?: number;
}

const DATA = new URL('../../../shared/data/svd/', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const FILES = ['STM32N657.svd.gz', 'STM32H743.svd.gz'];
const RUNS = 3;

interface Sample {
  ms: number;
  rssMb: number;
  registers: number;
}

const SPECDRIVE = `
import { importFile } from './src/importers/index.ts';
const t0 = performance.now();
const r = importFile(process.argv[1]);
const ms = performance.now() - t0;
let registers = 0;
const visit = (nodes) => { for (const n of nodes) n.kind === 'cluster' ? visit(n.children) : registers++; };
for (const p of r.value?.peripherals ?? []) visit(p.registers);
if (r.diagnostics.some((d) => d.severity === 'error')) throw new Error('import failed');
console.log(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, registers }));
`;

const PY_ETREE = `
import gzip, json, resource, sys, time, xml.etree.ElementTree as ET
t0 = time.perf_counter()
root = ET.fromstring(gzip.open(sys.argv[1]).read())
registers = sum(1 for _ in root.iter('register'))
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({'ms': ms, 'rssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'registers': registers}))
`;

/** cmsis-svd reads a plain file path, so it gets the gunzipped copy (decompression not timed). */
const PY_CMSIS_SVD = `
import json, resource, sys, time
from cmsis_svd.parser import SVDParser
t0 = time.perf_counter()
device = SVDParser.for_xml_file(sys.argv[1]).get_device()
registers = sum(len(p.registers or []) for p in device.peripherals)
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({'ms': ms, 'rssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'registers': registers}))
`;

function run(command: string, args: readonly string[]): Sample {
  const out = execFileSync(command, [...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Sample;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function hasCmsisSvd(): boolean {
  try {
    execFileSync('python3', ['-c', 'import cmsis_svd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function runImportBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-import-bench-'));
  const withCmsisSvd = hasCmsisSvd();
  try {
    for (const file of FILES) {
      const path = join(DATA, file);
      const plain = join(dir, file.replace(/\.gz$/, ''));
      writeFileSync(plain, gunzipSync(readFileSync(path)));
      const impls: [string, () => Sample, number][] = [
        ['specdrive (gunzip + XML + IR)', () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SPECDRIVE, path]), RUNS],
        ['python xml.etree (gunzip + parse + count)', () => run('python3', ['-c', PY_ETREE, path]), RUNS],
      ];
      // The cmsis-svd package is far slower; one run is enough to place it.
      if (withCmsisSvd) impls.push(['python cmsis-svd 0.6 (parse to model)', () => run('python3', ['-c', PY_CMSIS_SVD, plain]), 1]);
      let baseline: number | undefined;
      for (const [impl, measure, runs] of impls) {
        const samples = Array.from({ length: runs }, measure);
        const medianMs = median(samples.map((s) => s.ms));
        baseline ??= medianMs;
        rows.push({
          name: `import ${file.replace('.svd.gz', '')}`,
          impl,
          medianMs: Math.round(medianMs),
          peakRssMb: Math.round(median(samples.map((s) => s.rssMb))),
          ratio: Number((medianMs / baseline).toFixed(2)),
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function formatImportBench(rows: readonly BenchRow[]): string {
  const lines = ['| file | implementation | median ms | peak RSS MB | time vs specdrive |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.name} | ${r.impl} | ${r.medianMs} | ${r.peakRssMb ?? ''} | ${r.ratio ?? ''} |`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  console.log(formatImportBench(await runImportBench()));
}
