import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { copyDemoProject, sharedData, specdriveBin } from '../e2e/helpers/project-copy.ts';

export interface BenchRow {
  name: string;
  impl: string;
  medianMs: number;
  ratio?: number;
  peakRssMb?: number;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** GNU time reports a child's peak RSS; without it the column stays empty. */
const GNU_TIME = '/usr/bin/time';

interface Sample {
  readonly ms: number;
  readonly peakRssMb?: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * One `specdrive ci` in a child process, timed from spawn to exit: what a user waits for, process
 * start and module loading included. Exit 0 and 1 are both results (1 = findings); 2 is a failure.
 */
function timeCi(cwd: string, args: readonly string[]): Promise<Sample> {
  const rssFile = join(cwd, '.bench-rss');
  const useTime = existsSync(GNU_TIME);
  const [command, argv] = useTime
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, process.execPath, specdriveBin, 'ci', ...args]]
    : [process.execPath, [specdriveBin, 'ci', ...args]];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, argv, { cwd, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0 && code !== 1) return reject(new Error(`specdrive ci ${args.join(' ')} in ${cwd} exited ${code}:\n${stderr.slice(-2000)}`));
      const kb = useTime && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
      rmSync(rssFile, { force: true });
      resolve({ ms, ...(Number.isFinite(kb) ? { peakRssMb: Math.round(kb / 1024) } : {}) });
    });
  });
}

/**
 * How many revisions the last warm run took from the cache, from its report: a revision whose cold
 * run met an environment error (a tool killed or timed out under load) is not cached by design, so
 * a "warm" run that redid it must say so rather than pass for a slow cache.
 */
function warmCached(project: string): string {
  try {
    const { summary } = JSON.parse(readFileSync(join(project, 'out', 'report', 'report.json'), 'utf8')) as { summary: { revisions: number; cached: number } };
    return summary.cached === summary.revisions ? 'cached' : `only ${summary.cached} of ${summary.revisions} cached`;
  } catch {
    return 'no report';
  }
}

/** Cold (`--fresh`, every revision recomputed) then warm (every revision from the cache) on one project. */
export async function coldAndWarm(label: string, project: string, runs = RUNS): Promise<BenchRow[]> {
  const cold: Sample[] = [];
  const warm: Sample[] = [];
  for (let i = 0; i < runs; i++) cold.push(await timeCi(project, ['--fresh']));
  for (let i = 0; i < runs; i++) warm.push(await timeCi(project, []));
  const row = (name: string, samples: Sample[]): BenchRow => {
    const rss = samples.map((s) => s.peakRssMb).filter((v): v is number => v !== undefined);
    return {
      name,
      impl: 'specdrive ci (child process)',
      medianMs: Math.round(median(samples.map((s) => s.ms))),
      ...(rss.length ? { peakRssMb: Math.max(...rss) } : {}),
    };
  };
  const coldRow = row(`${label} cold (--fresh)`, cold);
  const warmRow = row(`${label} warm (${warmCached(project)})`, warm);
  return [coldRow, { ...warmRow, ratio: Number((warmRow.medianMs / coldRow.medianMs).toFixed(3)) }];
}

/**
 * A board made from a big real SVD: the STM32H743 as shipped at two vendor releases (modm-devices
 * 1.7 and 2.4, ≈2 MB of XML each), read gzipped straight from the shared data folder.
 */
function svdProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-bench-svd-'));
  const svd = (label: string): string => join(sharedData, 'svd-revisions', 'STM32H743', `STM32H743@${label}.svd.gz`);
  for (const label of ['modm-v1.7', 'modm-v2.4']) if (!existsSync(svd(label))) throw new Error(`missing ${svd(label)}`);
  writeFileSync(
    join(dir, 'specdrive.yaml'),
    `spec: specdrive/project@1
name: stm32h743-bench
boards:
  stm32h743: [${svd('modm-v1.7')}, ${svd('modm-v2.4')}]
targets: [c, typescript, python, docs]
output: out
`,
  );
  return dir;
}

/** `specdrive ci` on the demo board and on a board built from a big real SVD, each cold and warm. */
export async function runPipelineBench(): Promise<BenchRow[]> {
  const demo = copyDemoProject({ prefix: 'specdrive-bench-demo-' });
  const svd = svdProject();
  try {
    return [...(await coldAndWarm('demo-board (3 revisions)', demo)), ...(await coldAndWarm('STM32H743 SVD (2 revisions)', svd))];
  } finally {
    rmSync(demo, { recursive: true, force: true });
    rmSync(svd, { recursive: true, force: true });
  }
}

export function formatRows(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'impl', 'median ms', 'warm/cold', 'peak RSS MB'];
  const body = rows.map((r) => [
    r.name,
    r.impl,
    String(r.medianMs),
    r.ratio === undefined ? '' : String(r.ratio),
    r.peakRssMb === undefined ? '' : String(r.peakRssMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const rows = await runPipelineBench();
  console.log(`specdrive ci, ${RUNS} run(s) each (BENCH_RUNS), median wall time per run`);
  console.log(formatRows(rows));
}
