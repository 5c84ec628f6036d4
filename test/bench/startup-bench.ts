/**
 * Start-up of the installed command (issue 17): `specdrive --help` and `validate` of a small spec,
 * each run as a whole process, against `node -e 0` on the same machine in the same run. The rounds
 * interleave the commands so a change in load hits all of them alike; the load average before and
 * after is recorded beside the medians. The old way (sources through tsx) is shown for reference.
 *
 * Run alone: `node --import tsx test/bench/startup-bench.ts` (BENCH_STARTUP_RUNS, default 21).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from '../../scripts/build.ts';
import { distIsStale } from '../setup/build-dist.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const SMALL_SPEC = join(ROOT, 'hardware-specs/demo-board/rev-a.yaml');
const BIN = join(ROOT, 'bin/specdrive.js');

interface Case {
  readonly name: string;
  readonly impl: string;
  readonly args: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'node -e 0', impl: 'baseline', args: ['-e', '0'] },
  { name: '--help', impl: 'specdrive (dist bundle)', args: [BIN, '--help'] },
  { name: 'validate rev-a.yaml', impl: 'specdrive (dist bundle)', args: [BIN, 'validate', SMALL_SPEC] },
  { name: '--help', impl: 'sources through tsx (before the build)', args: ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), '--help'] },
];

function timeOnce(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function runStartupBench(): Promise<Record<string, unknown>[]> {
  if (distIsStale()) await buildDist();
  const loadBefore = loadavg()[0] ?? NaN;
  const samples = CASES.map(() => [] as number[]);
  for (const c of CASES) timeOnce(c.args); // warm the file cache once
  for (let round = 0; round < RUNS; round++) CASES.forEach((c, i) => samples[i]!.push(timeOnce(c.args)));
  const loadAfter = loadavg()[0] ?? NaN;
  const baseline = median(samples[0]!);
  return CASES.map((c, i) => ({
    name: c.name,
    impl: c.impl,
    medianMs: Math.round(median(samples[i]!) * 10) / 10,
    ratio: Math.round((median(samples[i]!) / baseline) * 100) / 100,
    runs: RUNS,
    load1Before: Math.round(loadBefore * 100) / 100,
    load1After: Math.round(loadAfter * 100) / 100,
  }));
}

const isEntry = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isEntry) {
  for (const row of await runStartupBench()) process.stdout.write(JSON.stringify(row) + '\n');
}
