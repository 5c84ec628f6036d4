/**
 * `npm run bench`: runs every benchmark module that exists, prints one comparison table (specdrive
 * against the reference tools and baselines each module measures, all in this same run, on the same
 * inputs), writes out/bench/latest.json and, when a previous run exists, prints the change against
 * it. Flags: --quick (default: small instance counts) or --full (the modules read it from argv).
 *
 * A module that is missing or fails is reported as such; the others still run.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const OUT = join(ROOT, 'out', 'bench');
const MODE: 'quick' | 'full' = process.argv.includes('--full') ? 'full' : 'quick';

/** One row, normalised across the modules' slightly different shapes. */
export interface Row {
  readonly module: string;
  readonly case: string;
  readonly impl: string;
  readonly medianMs?: number;
  readonly p95Ms?: number;
  readonly opsPerSec?: number;
  readonly peakRssMb?: number;
  /** The module's own ratio (its meaning is the module's: see `ratioNote`). */
  readonly ratio?: number;
  /** Anything else the module reported (agreement, output size, instances). */
  readonly extra?: Readonly<Record<string, number | string>>;
}

interface ModuleSpec {
  readonly name: string;
  readonly file: string;
  readonly entry: string;
  /** What the ratio column means for this module. */
  readonly ratioNote: string;
}

const MODULES: readonly ModuleSpec[] = [
  {
    name: 'solve',
    file: 'solve-bench.ts',
    entry: 'runSolveBench',
    ratioNote: 'time ÷ wasm-core time, same family (z3 and the TypeScript reference against wasm)',
  },
  { name: 'patch', file: 'patch-bench.ts', entry: 'runPatchBench', ratioNote: 'time ÷ svdtools 0.5.0 `patch` time (its process includes parse and write)' },
  { name: 'import', file: 'import-bench.ts', entry: 'runImportBench', ratioNote: 'time ÷ the module baseline for the same SVD' },
  { name: 'diff', file: 'diff-bench.ts', entry: 'runDiffBench', ratioNote: 'learned matcher time ÷ reference' },
  {
    name: 'generate',
    file: 'generate-bench.ts',
    entry: 'runGenerateBench',
    ratioNote: 'in-process only, no ratio (whole-process rows against svd2rust: module command)',
  },
  {
    name: 'link',
    file: 'link-bench.ts',
    entry: 'runLinkBench',
    ratioNote:
      "round trip: sim ÷ raw pty echo; pipelined sim ÷ echo: the simulator process's READs/s ÷ the named raw Unix-socket echo process's messages/s, both driven by one Node process alike (19-byte requests, 128 in flight, median of 5 runs of 200 000; target ≥ 0.5)",
  },
  { name: 'pipeline', file: 'pipeline-bench.ts', entry: 'runPipelineBench', ratioNote: 'warm ÷ cold' },
  { name: 'real-chips', file: 'real-chips-bench.ts', entry: 'runRealChipsBench', ratioNote: 'warm ÷ cold' },
  {
    name: 'command',
    file: 'command-bench.ts',
    entry: 'runCommandBench',
    ratioNote: 'specdrive ÷ the named side, both whole processes, interleaved, median of BENCH_RUNS (>1: specdrive slower)',
  },
];

export interface ModuleResult {
  readonly name: string;
  readonly status: 'ok' | 'missing' | 'failed';
  readonly wallMs: number;
  readonly ratioNote: string;
  readonly error?: string;
  readonly rows: readonly Row[];
}

type RawRow = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const KNOWN = new Set(['name', 'family', 'impl', 'medianMs', 'p95Ms', 'opsPerSec', 'peakRssMb', 'ratio']);

/** Maps a module's row onto Row; the solver's rows get a ratio against wasm-core for the family. */
export function normalise(module: string, raw: readonly RawRow[]): Row[] {
  const rows = raw.map((r): Row => {
    const extra: Record<string, number | string> = {};
    for (const [k, v] of Object.entries(r)) if (!KNOWN.has(k) && (typeof v === 'number' || typeof v === 'string')) extra[k] = v;
    const row: Row = {
      module,
      case: String(r['name'] ?? r['family'] ?? ''),
      impl: String(r['impl'] ?? ''),
      ...(num(r['medianMs']) !== undefined ? { medianMs: num(r['medianMs']) } : {}),
      ...(num(r['p95Ms']) !== undefined ? { p95Ms: num(r['p95Ms']) } : {}),
      ...(num(r['opsPerSec']) !== undefined ? { opsPerSec: num(r['opsPerSec']) } : {}),
      ...(num(r['peakRssMb']) !== undefined ? { peakRssMb: num(r['peakRssMb']) } : {}),
      ...(num(r['ratio']) !== undefined ? { ratio: num(r['ratio']) } : {}),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
    };
    return row;
  });
  if (module !== 'solve') return rows;
  return rows.map((row) => {
    const wasm = rows.find((o) => o.case === row.case && o.impl === 'wasm')?.medianMs;
    return wasm && row.medianMs !== undefined ? { ...row, ratio: round(row.medianMs / wasm, 2) } : row;
  });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function runModule(spec: ModuleSpec): Promise<ModuleResult> {
  const path = join(ROOT, 'test', 'bench', spec.file);
  const base = { name: spec.name, ratioNote: spec.ratioNote };
  if (!existsSync(path)) return { ...base, status: 'missing', wallMs: 0, rows: [] };
  const start = performance.now();
  try {
    const mod = (await import(path)) as Record<string, unknown>;
    const entry = mod[spec.entry];
    if (typeof entry !== 'function') return { ...base, status: 'missing', wallMs: 0, error: `no export ${spec.entry}`, rows: [] };
    const raw = (await (entry as () => Promise<unknown>)()) as RawRow[];
    if (!Array.isArray(raw)) throw new Error(`${spec.entry} returned ${typeof raw}, not rows`);
    return { ...base, status: 'ok', wallMs: Math.round(performance.now() - start), rows: normalise(spec.name, raw) };
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      wallMs: Math.round(performance.now() - start),
      error: (error as Error).stack?.split('\n').slice(0, 3).join(' | ') ?? String(error),
      rows: [],
    };
  }
}

const fmt = (v: number | undefined, digits = 2): string => (v === undefined ? '' : v >= 100 ? String(Math.round(v)) : String(round(v, digits)));

export function formatTable(results: readonly ModuleResult[]): string {
  const header = ['module', 'case', 'impl', 'median ms', 'p95 ms', 'ops/s', 'peak MB', 'ratio'];
  const body: string[][] = [];
  for (const m of results) {
    if (m.status !== 'ok') {
      body.push([m.name, m.status === 'missing' ? '(module missing)' : `(failed: ${m.error ?? ''})`.slice(0, 100), '', '', '', '', '', '']);
      continue;
    }
    for (const r of m.rows)
      body.push([
        m.name,
        r.case,
        r.impl,
        r.extra?.['missing'] !== undefined ? `(missing: ${r.extra['missing']})` : fmt(r.medianMs),
        fmt(r.p95Ms),
        fmt(r.opsPerSec, 0),
        fmt(r.peakRssMb, 0),
        r.ratio === undefined ? '' : `×${fmt(r.ratio)}`,
      ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const notes = results.filter((m) => m.status === 'ok').map((m) => `  ratio, ${m.name}: ${m.ratioNote}`);
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line), '', ...notes].join('\n');
}

export interface Saved {
  readonly date: string;
  readonly mode: string;
  /** One-minute load average when the run started and ended, and the core count: runs on a shared
   * machine are only comparable at similar load. */
  readonly machine?: { readonly cores: number; readonly loadStart: number; readonly loadEnd: number };
  readonly results: readonly ModuleResult[];
}

/** Two runs are comparable when both recorded their load and neither's is over twice the other's. */
export function comparable(previous: Saved, latest: Saved): string | undefined {
  const a = previous.machine;
  const b = latest.machine;
  if (!a || !b) return 'the previous run recorded no load average';
  if (a.cores !== b.cores) return `core counts differ (${a.cores} vs ${b.cores})`;
  // +1: on an idle machine loads of 0.1 and 0.3 are both "quiet", not a 3× difference.
  const load = (m: NonNullable<Saved['machine']>): number => Math.max(m.loadStart, m.loadEnd) + 1;
  const ratio = load(a) > load(b) ? load(a) / load(b) : load(b) / load(a);
  return ratio > 2
    ? `load differs by ×${ratio.toFixed(1)} (previous ${a.loadStart.toFixed(1)}–${a.loadEnd.toFixed(1)}, now ${b.loadStart.toFixed(1)}–${b.loadEnd.toFixed(1)})`
    : undefined;
}

/** Median-time change per (module, case, impl) present in both runs. */
export function formatChange(previous: Saved, latest: Saved): string {
  const refused = comparable(previous, latest);
  if (refused !== undefined) return `not compared with the previous run of ${previous.date}: ${refused}`;
  const key = (r: Row): string => `${r.module} | ${r.case} | ${r.impl}`;
  const before = new Map(previous.results.flatMap((m) => m.rows).map((r) => [key(r), r]));
  const lines: string[] = [];
  for (const r of latest.results.flatMap((m) => m.rows)) {
    const old = before.get(key(r));
    if (!old || old.medianMs === undefined || r.medianMs === undefined || old.medianMs === 0) continue;
    const change = (r.medianMs / old.medianMs - 1) * 100;
    lines.push(`  ${key(r)}: ${fmt(old.medianMs)} → ${fmt(r.medianMs)} ms (${change >= 0 ? '+' : ''}${change.toFixed(1)} %)`);
  }
  const modeNote = previous.mode === latest.mode ? '' : ` (previous run was --${previous.mode}: not comparable)`;
  return lines.length === 0
    ? `no common rows with the previous run of ${previous.date}`
    : `change against the previous run of ${previous.date}${modeNote}:\n${lines.join('\n')}`;
}

async function main(): Promise<void> {
  const loadStart = loadavg()[0]!;
  console.log(
    `specdrive bench (--${MODE}) on ${cpus().length} CPU(s), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadStart.toFixed(2)}\n`,
  );
  const results: ModuleResult[] = [];
  for (const spec of MODULES) {
    process.stderr.write(`running ${spec.name}…\n`);
    const result = await runModule(spec);
    process.stderr.write(`  ${spec.name}: ${result.status}${result.status === 'ok' ? ` in ${result.wallMs} ms` : result.error ? ` (${result.error})` : ''}\n`);
    results.push(result);
  }
  console.log(formatTable(results));
  const machine = { cores: cpus().length, loadStart, loadEnd: loadavg()[0]! };
  console.log(`\nload average: ${machine.loadStart.toFixed(2)} at the start, ${machine.loadEnd.toFixed(2)} at the end (${machine.cores} cores)`);
  const latest: Saved = { date: new Date().toISOString(), mode: MODE, machine, results };
  mkdirSync(OUT, { recursive: true });
  const latestFile = join(OUT, 'latest.json');
  const previousFile = join(OUT, 'previous.json');
  if (existsSync(latestFile)) renameSync(latestFile, previousFile);
  writeFileSync(latestFile, JSON.stringify(latest, null, 1) + '\n');
  if (existsSync(previousFile)) {
    try {
      console.log(`\n${formatChange(JSON.parse(readFileSync(previousFile, 'utf8')) as Saved, latest)}`);
    } catch (error) {
      console.log(`\nprevious results unreadable (${(error as Error).message})`);
    }
  }
  console.log(`\nresults: ${latestFile}`);
  if (results.some((m) => m.status === 'failed')) process.exitCode = 1;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) await main();
