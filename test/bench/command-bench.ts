/**
 * Whole commands against the field's native peers, timed the way a user runs them: each side is a
 * fresh process started by the same helper (`/usr/bin/time` for the peak resident set), runs are
 * interleaved (ours, peer, ours, peer, …) so load drifts hit both sides, and each figure is the median
 * of BENCH_RUNS runs (default 5). Every row says it is a whole process; nothing here is timed inside
 * a warm process.
 *
 * Peers that are not installed are reported as missing rows, never silently skipped:
 * `npm run bench:setup` installs them (svdtools and svd2rust from crates.io, peakrdl from PyPI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildDist } from '../../scripts/build.ts';
import { distIsStale } from '../setup/build-dist.ts';

export interface CommandRow {
  name: string;
  impl: string;
  medianMs?: number;
  /** Median user + system CPU time of the process (and its children): what a loaded machine moves least. */
  cpuMs?: number;
  peakRssMb?: number;
  ratio?: number;
  /** specdrive's CPU time ÷ this side's. */
  cpuRatio?: number;
  timing: 'whole process';
  missing?: string;
}

const ROOT = new URL('../../', import.meta.url).pathname;
const DATA = join(ROOT, '..', 'shared', 'data');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CARGO_BIN = join(process.env.HOME ?? '/root', '.cargo', 'bin');

/** The command a user runs: the package's own `bin` entry, whatever it points at (tsx or a build). */
function specdriveCommand(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> | string };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin?.['specdrive'] ?? './bin/specdrive.js');
  return [process.execPath, join(ROOT, bin)];
}

function findTool(name: string): string | undefined {
  const cargo = join(CARGO_BIN, name);
  if (existsSync(cargo)) return cargo;
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMb: number;
}

/**
 * GNU time for the peak resident set, inside bash's `time` for CPU time in milliseconds (GNU time
 * prints user and system time in hundredths, too coarse for a 70 ms start-up).
 */
const TIMED = 'TIMEFORMAT="%3U %3S"; time /usr/bin/time -f %M "$@"';

/** One whole-process run; a non-zero exit is an error, never a timing. */
function runOnce(argv: readonly string[], cwd: string, okCodes: readonly number[] = [0]): Sample {
  const start = performance.now();
  const result = spawnSync('bash', ['-c', TIMED, 'bench', ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  // bash's exit status is the command's (GNU time passes it on).
  if (!okCodes.includes(result.status ?? -1)) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr.slice(-400)}`);
  const lines = result.stderr.trim().split('\n');
  const [user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number) as [number, number];
  const kb = Number(lines[lines.length - 2]);
  return { ms, cpuMs: (user + system) * 1000, rssMb: Number.isFinite(kb) ? kb / 1024 : NaN };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

interface Side {
  readonly impl: string;
  readonly argv: readonly string[] | undefined;
  readonly missing?: string;
  /** Runs before each timed run (e.g. emptying an output folder); not timed. */
  readonly before?: () => void;
  readonly okCodes?: readonly number[];
}

/** Interleaves the sides RUNS times (after one untimed warm-up each, for the page cache). */
function compare(name: string, cwd: string, ours: Side, peers: readonly Side[]): CommandRow[] {
  const sides = [ours, ...peers];
  const samples = new Map<Side, Sample[]>(sides.map((s) => [s, []]));
  for (let run = -1; run < RUNS; run++) {
    for (const side of sides) {
      if (!side.argv) continue;
      side.before?.();
      const sample = runOnce(side.argv, cwd, side.okCodes);
      if (run >= 0) samples.get(side)!.push(sample);
    }
  }
  const oursMs = median(samples.get(ours)!.map((s) => s.ms));
  const oursCpuMs = median(samples.get(ours)!.map((s) => s.cpuMs));
  return sides.map((side): CommandRow => {
    if (!side.argv) return { name, impl: side.impl, timing: 'whole process', missing: side.missing ?? 'not installed' };
    const list = samples.get(side)!;
    const ms = median(list.map((s) => s.ms));
    const cpuMs = median(list.map((s) => s.cpuMs));
    return {
      name,
      impl: side.impl,
      timing: 'whole process',
      medianMs: Math.round(ms * 10) / 10,
      cpuMs: Math.round(cpuMs),
      peakRssMb: Math.round(median(list.map((s) => s.rssMb))),
      // specdrive ÷ this side: above 1 means specdrive is slower.
      ratio: Math.round((oursMs / ms) * 100) / 100,
      cpuRatio: Math.round((oursCpuMs / cpuMs) * 100) / 100,
    };
  });
}

function gunzipTo(dir: string, relative: string, name: string): string {
  const out = join(dir, name);
  writeFileSync(out, gunzipSync(readFileSync(join(DATA, relative))));
  return out;
}

/** Issue 17's start-up rows: `--help` and `validate` of the 5 KB demo spec against `node -e 0`. */
function startupRows(work: string): CommandRow[] {
  const sd = specdriveCommand();
  const tiny = join(ROOT, 'hardware-specs', 'demo-board', 'rev-a.yaml');
  const node = { impl: 'node -e 0', argv: [process.execPath, '-e', '0'] };
  return [
    ...compare('start-up: --help', work, { impl: 'specdrive --help', argv: [...sd, '--help'] }, [node]),
    ...compare('start-up: validate demo rev-a', work, { impl: 'specdrive validate', argv: [...sd, 'validate', tiny] }, [node]),
  ];
}

export async function runCommandBench(): Promise<CommandRow[]> {
  // The bin runs the bundle in dist/: time the build of the sources as they are, not a stale one.
  if (distIsStale()) await buildDist();
  const work = mkdtempSync(join(tmpdir(), 'command-bench-'));
  const sd = specdriveCommand();
  const svdtools = findTool('svdtools');
  const svd2rust = findTool('svd2rust');
  const peakrdl = findTool('peakrdl');
  const python = findTool('python3');
  const rows: CommandRow[] = [];
  try {
    rows.push(...startupRows(work));

    const h743 = gunzipTo(work, 'svd/STM32H743.svd.gz', 'STM32H743.svd');
    const n657 = gunzipTo(work, 'svd/STM32N657.svd.gz', 'STM32N657.svd');
    const etree = python ? [python, '-c', 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])'] : undefined;
    for (const [chip, file] of [
      ['STM32H743', h743],
      ['STM32N657', n657],
    ] as const) {
      rows.push(
        ...compare(`validate ${chip}`, work, { impl: 'specdrive validate', argv: [...sd, 'validate', file], okCodes: [0, 1] }, [
          {
            impl: 'svdtools 0.5 convert --expand',
            argv: svdtools ? [svdtools, 'convert', '--expand', '--output-format', 'json', file, join(work, `${chip}.json`)] : undefined,
          },
          { impl: 'python3 xml.etree parse', argv: etree ? [...etree, file] : undefined },
        ]),
      );
      const ourOut = join(work, `${chip}-c`);
      const rustOut = join(work, `${chip}-rs`);
      const fresh = (dir: string) => () => {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
      };
      rows.push(
        ...compare(
          `generate C / Rust ${chip}`,
          work,
          { impl: 'specdrive generate --target c', argv: [...sd, 'generate', file, '--target', 'c', '-o', ourOut], before: fresh(ourOut) },
          [
            {
              impl: 'svd2rust 0.37.1 --target cortex-m',
              argv: svd2rust ? [svd2rust, '--target', 'cortex-m', '-i', file, '-o', rustOut] : undefined,
              before: fresh(rustOut),
            },
          ],
        ),
      );
    }

    // Every target of the biggest device: the peak resident set is the figure (issue 21: under 600 MB); no peer generates all five.
    const allOut = join(work, 'STM32N657-all');
    const freshAll = () => rmSync(allOut, { recursive: true, force: true });
    rows.push(
      ...compare(
        'generate --target all STM32N657 (peak RSS)',
        work,
        { impl: 'specdrive generate --target all', argv: [...sd, 'generate', n657, '--target', 'all', '-o', allOut, '--quiet'], before: freshAll },
        [],
      ),
    );

    const h743v17 = gunzipTo(work, 'svd-revisions/STM32H743/STM32H743@modm-v1.7.svd.gz', 'STM32H743-1.7.svd');
    const h743v24 = gunzipTo(work, 'svd-revisions/STM32H743/STM32H743@modm-v2.4.svd.gz', 'STM32H743-2.4.svd');
    rows.push(
      ...compare(
        'diff STM32H743 1.7 → 2.4',
        work,
        { impl: 'specdrive diff', argv: [...sd, 'diff', h743v17, h743v24, '-o', join(work, 'diff.txt')], okCodes: [0, 1] },
        [
          {
            impl: 'svdtools mmap ×2 + diff',
            argv: svdtools ? ['bash', '-c', `diff <(${svdtools} mmap "$0") <(${svdtools} mmap "$1") > /dev/null; test $? -le 1`, h743v17, h743v24] : undefined,
          },
        ],
      ),
    );

    const pci = join(DATA, 'systemrdl', 'accellera-examples', 'pci_example', 'pci.rdl');
    if (existsSync(pci)) {
      const ourHeader = join(work, 'pci-c');
      rows.push(
        ...compare(
          'SystemRDL pci.rdl → C header',
          work,
          { impl: 'specdrive generate --target c', argv: [...sd, 'generate', pci, '--target', 'c', '-o', ourHeader], okCodes: [0, 1] },
          [
            {
              impl: 'peakrdl c-header',
              argv: peakrdl ? [peakrdl, 'c-header', pci, '-o', join(work, 'pci.h')] : undefined,
              missing: 'pip install peakrdl-cheader',
            },
          ],
        ),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

// `node --import tsx test/bench/command-bench.ts --startup`: the start-up rows alone (BENCH_RUNS each).
const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry && process.argv.includes('--startup')) {
  if (distIsStale()) await buildDist();
  const work = mkdtempSync(join(tmpdir(), 'command-bench-'));
  try {
    console.table(startupRows(work));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
