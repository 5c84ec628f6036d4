/**
 * Solver benchmark: per family, median and p95 for wasm-core, the TypeScript reference and
 * z3-solver on the same instances, agreement with the families' independent oracles, and
 * geometric-mean ratios. Run alone: node --import tsx test/bench/solve-bench.ts [--full]
 */
import { assign, solve, solveBatch, type Engine } from '../../src/solve/index.ts';
import type { ProblemDef } from '../../src/solve/model.ts';
import { compat, layoutFamily, matching, packingFamily, pllFamily, timerFamily, usartFamily, type Instance } from '../unit/solve/families.ts';

export interface BenchRow {
  family: string;
  impl: 'wasm' | 'ts' | 'z3';
  medianMs: number;
  p95Ms: number;
  instances: number;
  agreement?: number;
}

const FULL = process.argv.includes('--full');
const REPS = FULL ? 15 : 5;

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
/** Per-instance time = median of REPS runs; the family statistic is over instances. */
function timeEach<T>(items: readonly T[], run: (x: T) => unknown, reps = REPS): number[] {
  return items.map((x) => {
    const ts: number[] = [];
    for (let k = 0; k < reps; k++) {
      const t = performance.now();
      run(x);
      ts.push(performance.now() - t);
    }
    return quantile(ts, 0.5);
  });
}
const row = (family: string, impl: BenchRow['impl'], times: number[], agreement?: number): BenchRow => ({
  family,
  impl,
  medianMs: quantile(times, 0.5),
  p95Ms: quantile(times, 0.95),
  instances: times.length,
  ...(agreement !== undefined ? { agreement } : {}),
});

function agreement(insts: readonly Instance[], engine: Engine): number {
  let ok = 0;
  for (const i of insts) {
    const r = solve(i.problem, { engine });
    const good = i.oracle === null ? r.status === 'infeasible' : r.status === 'optimal' && JSON.stringify(r.objectives) === JSON.stringify(i.oracle);
    if (good) ok++;
  }
  return ok / insts.length;
}

// ---- z3 (loaded once; only a few instances per family, it is slow) ----
type Z3Ctx = any; // eslint-disable-line @typescript-eslint/no-explicit-any
async function z3Context(): Promise<Z3Ctx | null> {
  try {
    const { init } = await import('z3-solver');
    const { Context } = await init();
    return Context('main');
  } catch {
    return null;
  }
}
/** Translates the linear / ratio / table / set parts used by the PLL, timer and USART families. */
async function z3Solve(Z: Z3Ctx, p: ProblemDef): Promise<string> {
  const opt = new Z.Optimize();
  const v = p.vars.map((d) => Z.Int.const(d.name));
  p.vars.forEach((d, i) => {
    opt.add(v[i].ge(d.lo), v[i].le(d.hi));
    if (d.values) opt.add(Z.Or(...d.values.map((x) => v[i].eq(x))));
  });
  p.requirements.forEach((r) => opt.add(v[r.guard].eq(1)));
  const sum = (ts: readonly (readonly [number, number])[]) => ts.reduce((s: any, [a, x]) => s.add(v[x].mul(a)), Z.Int.val(0));
  for (const c of p.constraints) {
    const k = c.kind;
    let f: any;
    if (k.type === 'linear') f = k.op === 0 ? sum(k.terms).le(k.rhs) : k.op === 1 ? sum(k.terms).eq(k.rhs) : sum(k.terms).neq(k.rhs);
    else if (k.type === 'ratio') {
      const a = [k.inp, ...k.muls].reduce((s: any, x) => s.mul(v[x]), Z.Int.val(1));
      const d = [k.out, ...k.divs].reduce((s: any, x) => s.mul(v[x]), Z.Int.val(1));
      f = Z.And(a.mul(1_000_000).le(d.mul(1_000_000 + k.ppm)), d.mul(1_000_000 - k.ppm).le(a.mul(1_000_000)));
    } else if (k.type === 'table') {
      const n = k.vars.length;
      const rows = [];
      for (let t = 0; t < k.tuples.length; t += n) rows.push(Z.And(...k.vars.map((x, i) => v[x].eq(k.tuples[t + i]))));
      f = Z.Or(...rows);
    } else if (k.type === 'binpack') {
      const bins = Math.max(...k.bins.map((b) => p.vars[b]!.hi)) + 1;
      const parts = [];
      for (let b = 0; b < bins; b++)
        parts.push(k.bins.reduce((s: any, x, i) => s.add(Z.If(v[x].eq(b), k.weights[i], 0)), Z.Int.val(0)).le(k.cap));
      if (k.count !== null) for (const x of k.bins) parts.push(v[x].lt(v[k.count]));
      f = Z.And(...parts);
    } else throw new Error(`z3 bench: ${k.type} not translated`);
    opt.add(c.guard === null ? f : Z.Implies(v[c.guard].eq(1), f));
  }
  for (const o of p.objectives) (o.maximize ? opt.maximize(sum(o.terms)) : opt.minimize(sum(o.terms)));
  return String(await opt.check());
}

export async function runSolveBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const families: [string, Instance[]][] = [
    ['pll', pllFamily()],
    ['usart-brr', usartFamily()],
    ['timer', timerFamily()],
    ['packing', packingFamily(FULL ? 30 : 12)],
    ['layout', layoutFamily(FULL ? 30 : 10)],
  ];
  const Z = await z3Context();
  for (const [name, insts] of families) {
    const probs = insts.map((i) => i.problem);
    for (const engine of ['wasm', 'ts'] as const) rows.push(row(name, engine, timeEach(probs, (p) => solve(p, { engine })), agreement(insts, engine)));
    // Batched: one boundary crossing for the whole family (per-instance time = total / n).
    const tb = timeEach([probs], (ps) => solveBatch(ps, { engine: 'wasm' }))[0]! / probs.length;
    rows.push({ family: `${name} (batch)`, impl: 'wasm', medianMs: tb, p95Ms: tb, instances: probs.length });
    if (Z && name !== 'layout') {
      const few = insts.slice(0, FULL ? 6 : 3);
      const times: number[] = [];
      let agree = 0;
      for (const i of few) {
        const t = performance.now();
        let st = 'error';
        try {
          st = await z3Solve(Z, i.problem);
        } catch {
          st = 'error';
        }
        times.push(performance.now() - t);
        if ((st === 'sat') === (i.oracle !== null)) agree++;
      }
      rows.push(row(name, 'z3', times, agree / few.length));
    }
  }
  const c = compat();
  for (const engine of ['wasm', 'ts'] as const) rows.push(row('compat (all conflicts)', engine, timeEach([c.problem], (p) => solve(p, { engine }))));
  for (const n of FULL ? [50, 200, 500, 1000, 2000] : [50, 200, 1000]) {
    const { cost, noMatch } = matching(n);
    const reps = n >= 1000 ? 1 : 3;
    const a = assign(cost, { noMatchCost: noMatch, engine: 'wasm' });
    const b = assign(cost, { noMatchCost: noMatch, engine: 'ts' });
    const agree = a.total === b.total ? 1 : 0;
    for (const engine of ['wasm', 'ts'] as const)
      rows.push(row(`matching n=${n}`, engine, timeEach([cost], (m) => assign(m, { noMatchCost: noMatch, engine }), reps), agree));
  }
  return rows;
}

function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

export function formatSolveBench(rows: readonly BenchRow[]): string {
  const lines = ['family                     impl   median ms     p95 ms   n  agreement'];
  for (const r of rows)
    lines.push(
      `${r.family.padEnd(26)} ${r.impl.padEnd(5)} ${r.medianMs.toFixed(4).padStart(10)} ${r.p95Ms.toFixed(4).padStart(10)} ${String(r.instances).padStart(3)}  ${r.agreement === undefined ? '' : `${(r.agreement * 100).toFixed(0)} %`}`,
    );
  const fams = [...new Set(rows.map((r) => r.family))];
  const ratio = (impl: BenchRow['impl']): number[] =>
    fams.flatMap((f) => {
      const w = rows.find((r) => r.family === f && r.impl === 'wasm');
      const o = rows.find((r) => r.family === f && r.impl === impl);
      return w && o && w.medianMs > 0 ? [o.medianMs / w.medianMs] : [];
    });
  const ts = ratio('ts');
  const z3 = ratio('z3');
  lines.push('');
  lines.push(`geometric mean of median ratios: ts/wasm = ${geomean(ts).toFixed(2)}x over ${ts.length} families`);
  if (z3.length) lines.push(`                                 z3/wasm = ${geomean(z3).toFixed(0)}x over ${z3.length} families`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runSolveBench();
  console.log(formatSolveBench(rows));
  process.exit(0);
}
