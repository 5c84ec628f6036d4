/**
 * Cold CPU of each phase of `generate --target c` after validation, per checkout, one process per
 * sample (a single run is what users pay: code not yet optimised, caches empty):
 *
 *   node --import tsx test/bench/generate-phases.ts 10 /tmp/H743.svd /tmp/base-checkout .
 *
 * Each process imports and validates the spec, then times with `process.cpuUsage` (process CPU, so
 * V8's helper threads count) the first `specHash`, `analyseDevice`, and the C target rendered with
 * its pieces iterated but nothing written. Checkouts alternate; medians are printed with the load
 * average. A checkout only needs its sources (and node_modules): it is not built.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

type Sample = { hash: number; analysis: number; render: number; bytes: number; specHash: string };

async function child(root: string, spec: string): Promise<void> {
  const { loadAndValidate } = await import(`${root}/src/pipeline/load-spec.ts`);
  const { specHash } = await import(`${root}/src/ir/canonical.ts`);
  const { analyseDevice } = await import(`${root}/generators/framework/analysis.ts`);
  const { buildGeneratorModel, renderInto, cGenerator } = await import(`${root}/generators/index.ts`);
  const loaded = await loadAndValidate(spec);
  if (!loaded.device) throw new Error(`${spec} did not import`);
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t = cpu();
  const hash: string = specHash(loaded.device);
  const hashTime = cpu() - t;
  t = cpu();
  analyseDevice(loaded.device, []);
  const analysisTime = cpu() - t;
  const model = buildGeneratorModel(loaded.device);
  t = cpu();
  let bytes = 0;
  renderInto(cGenerator, model, {}, (file: { pieces: Iterable<string> }) => {
    for (const piece of file.pieces) bytes += piece.length;
  });
  const sample: Sample = { hash: hashTime, analysis: analysisTime, render: cpu() - t, bytes, specHash: hash };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  if (process.env.GENERATE_PHASES_CHILD) return child(process.env.GENERATE_PHASES_CHILD, process.argv[2] as string);
  const [runs, spec, ...checkouts] = process.argv.slice(2);
  if (!runs || !spec || checkouts.length === 0) throw new Error('usage: generate-phases.ts RUNS SPEC CHECKOUT...');
  const roots = checkouts.map((c) => resolve(c));
  const samples = new Map<string, Sample[]>(roots.map((r) => [r, []]));
  const before = loadavg()[0] as number;
  for (let i = 0; i < Number(runs); i++) {
    for (const root of i % 2 === 0 ? roots : [...roots].reverse()) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, spec], {
        cwd: root,
        env: { ...process.env, GENERATE_PHASES_CHILD: root },
        encoding: 'utf8',
      });
      samples.get(root)?.push(JSON.parse(out.trim().split('\n').at(-1) as string) as Sample);
    }
  }
  console.log(`load average ${before.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)}, ${runs} runs per checkout, medians (ms CPU)`);
  for (const [root, list] of samples) {
    const m = (k: 'hash' | 'analysis' | 'render'): string => median(list.map((s) => s[k])).toFixed(1);
    console.log(
      `${root}: spec hash ${m('hash')}, analysis ${m('analysis')}, C render ${m('render')} (${list[0]?.bytes} characters, spec ${list[0]?.specHash.slice(0, 12)})`,
    );
  }
}

await main();
