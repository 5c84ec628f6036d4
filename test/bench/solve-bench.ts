/**
 * Solver benchmark: per family, median and p95 for wasm-core, the TypeScript reference and
 * z3-solver on the same instances, agreement with the families' independent oracles, and
 * geometric-mean ratios. Run alone: node --import tsx test/bench/solve-bench.ts [--full]
 */
import { spawnSync } from 'node:child_process';
import { assign, solve, solveBatch, type Engine } from '../../src/solve/index.ts';
import type { ProblemDef } from '../../src/solve/model.ts';
import { compat, layoutFamily, matching, packingFamily, pllFamily, timerFamily, usartFamily, type Instance } from '../unit/solve/families.ts';

export interface BenchRow {
  family: string;
  impl: 'wasm' | 'ts' | 'z3 (js)' | 'z3 (native)';
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

// ---- z3: every instance of a family, median over instances, optimum checked against the oracle ----
// Two builds: z3-solver from npm (z3 compiled to wasm, in this process) and native z3 from PyPI
// (`pip install z3-solver`, in one Python process per family). Both sides are timed per instance
// inside their own process, like wasm-core here, so no row pays a process start.
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

/** sat with the oracle's objective vector, or unsat where the oracle says infeasible. */
function agreesWithOracle(status: string, objectives: readonly number[], oracle: readonly number[] | null): boolean {
  return oracle === null ? status === 'unsat' : status === 'sat' && JSON.stringify(objectives) === JSON.stringify(oracle);
}

/** Translates the linear / ratio / table / binpack parts used by the PLL, timer, USART and packing families. */
async function z3Solve(Z: Z3Ctx, p: ProblemDef): Promise<{ status: string; objectives: number[] }> {
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
      for (let b = 0; b < bins; b++) parts.push(k.bins.reduce((s: any, x, i) => s.add(Z.If(v[x].eq(b), k.weights[i], 0)), Z.Int.val(0)).le(k.cap));
      if (k.count !== null) for (const x of k.bins) parts.push(v[x].lt(v[k.count]));
      f = Z.And(...parts);
    } else throw new Error(`z3 bench: ${k.type} not translated`);
    opt.add(c.guard === null ? f : Z.Implies(v[c.guard].eq(1), f));
  }
  const goals = p.objectives.map((o) => sum(o.terms));
  p.objectives.forEach((o, i) => (o.maximize ? opt.maximize(goals[i]) : opt.minimize(goals[i])));
  const status = String(await opt.check());
  const model = status === 'sat' ? opt.model() : undefined;
  return { status, objectives: model ? goals.map((g: any) => Number(model.eval(g, true).toString())) : [] };
}

/** The same translation for native z3 (Python); reads the family's problems as JSON on stdin. */
const NATIVE_Z3 = String.raw`
import json, sys, time
import z3
out = []
for p in json.load(sys.stdin):
    t0 = time.perf_counter()
    opt = z3.Optimize()
    v = [z3.Int(d["name"]) for d in p["vars"]]
    for i, d in enumerate(p["vars"]):
        opt.add(v[i] >= d["lo"], v[i] <= d["hi"])
        if d.get("values"): opt.add(z3.Or([v[i] == x for x in d["values"]]))
    for r in p["requirements"]: opt.add(v[r["guard"]] == 1)
    def total(terms): return z3.Sum([v[x] * a for a, x in terms]) if terms else z3.IntVal(0)
    for c in p["constraints"]:
        k = c["kind"]; t = k["type"]
        if t == "linear":
            s = total(k["terms"]); f = s <= k["rhs"] if k["op"] == 0 else (s == k["rhs"] if k["op"] == 1 else s != k["rhs"])
        elif t == "ratio":
            a = z3.IntVal(1)
            for x in [k["inp"]] + k["muls"]: a = a * v[x]
            d = z3.IntVal(1)
            for x in [k["out"]] + k["divs"]: d = d * v[x]
            f = z3.And(a * 1000000 <= d * (1000000 + k["ppm"]), d * (1000000 - k["ppm"]) <= a * 1000000)
        elif t == "table":
            n = len(k["vars"]); tu = k["tuples"]
            f = z3.Or([z3.And([v[x] == tu[r + i] for i, x in enumerate(k["vars"])]) for r in range(0, len(tu), n)])
        elif t == "binpack":
            bins = max(p["vars"][b]["hi"] for b in k["bins"]) + 1
            parts = [z3.Sum([z3.If(v[x] == b, k["weights"][i], 0) for i, x in enumerate(k["bins"])]) <= k["cap"] for b in range(bins)]
            if k.get("count") is not None: parts += [v[x] < v[k["count"]] for x in k["bins"]]
            f = z3.And(parts)
        else: raise SystemExit("not translated: " + t)
        opt.add(f if c["guard"] is None else z3.Implies(v[c["guard"]] == 1, f))
    goals = [total(o["terms"]) for o in p["objectives"]]
    for o, g in zip(p["objectives"], goals): (opt.maximize if o["maximize"] else opt.minimize)(g)
    st = str(opt.check())
    objs = [opt.model().eval(g, model_completion=True).as_long() for g in goals] if st == "sat" else []
    out.append({"ms": (time.perf_counter() - t0) * 1000, "status": st, "objectives": objs})
json.dump(out, sys.stdout)
`;

function nativeZ3(problems: readonly ProblemDef[]): { ms: number; status: string; objectives: number[] }[] | null {
  const run = spawnSync('python3', ['-c', NATIVE_Z3], { input: JSON.stringify(problems), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) return null; // z3 not installed for Python: the row is reported missing
  return JSON.parse(run.stdout) as { ms: number; status: string; objectives: number[] }[];
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
    for (const engine of ['wasm', 'ts'] as const)
      rows.push(
        row(
          name,
          engine,
          timeEach(probs, (p) => solve(p, { engine })),
          agreement(insts, engine),
        ),
      );
    // Batched: one boundary crossing for the whole family (per-instance time = total / n).
    const tb = timeEach([probs], (ps) => solveBatch(ps, { engine: 'wasm' }))[0]! / probs.length;
    rows.push({ family: `${name} (batch)`, impl: 'wasm', medianMs: tb, p95Ms: tb, instances: probs.length });
    if (name !== 'layout') {
      if (Z) {
        const times: number[] = [];
        let agree = 0;
        for (const i of insts) {
          const t = performance.now();
          let result = { status: 'error', objectives: [] as number[] };
          try {
            result = await z3Solve(Z, i.problem);
          } catch {
            result = { status: 'error', objectives: [] };
          }
          times.push(performance.now() - t);
          if (agreesWithOracle(result.status, result.objectives, i.oracle)) agree++;
        }
        rows.push(row(name, 'z3 (js)', times, agree / insts.length));
      }
      const native = nativeZ3(probs);
      if (native) {
        const agree = native.filter((r, k) => agreesWithOracle(r.status, r.objectives, insts[k]!.oracle)).length;
        rows.push(
          row(
            name,
            'z3 (native)',
            native.map((r) => r.ms),
            agree / insts.length,
          ),
        );
      }
    }
  }
  const c = compat();
  for (const engine of ['wasm', 'ts'] as const)
    rows.push(
      row(
        'compat (all conflicts)',
        engine,
        timeEach([c.problem], (p) => solve(p, { engine })),
      ),
    );
  for (const n of FULL ? [50, 200, 500, 1000, 2000] : [50, 200, 1000]) {
    const { cost, noMatch } = matching(n);
    const reps = n >= 1000 ? 1 : 3;
    const a = assign(cost, { noMatchCost: noMatch, engine: 'wasm' });
    const b = assign(cost, { noMatchCost: noMatch, engine: 'ts' });
    const agree = a.total === b.total ? 1 : 0;
    for (const engine of ['wasm', 'ts'] as const)
      rows.push(
        row(
          `matching n=${n}`,
          engine,
          timeEach([cost], (m) => assign(m, { noMatchCost: noMatch, engine }), reps),
          agree,
        ),
      );
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
      `${r.family.padEnd(26)} ${r.impl.padEnd(11)} ${r.medianMs.toFixed(4).padStart(10)} ${r.p95Ms.toFixed(4).padStart(10)} ${String(r.instances).padStart(3)}  ${r.agreement === undefined ? '' : `${(r.agreement * 100).toFixed(0)} %`}`,
    );
  const fams = [...new Set(rows.map((r) => r.family))];
  const ratio = (impl: BenchRow['impl']): number[] =>
    fams.flatMap((f) => {
      const w = rows.find((r) => r.family === f && r.impl === 'wasm');
      const o = rows.find((r) => r.family === f && r.impl === impl);
      return w && o && w.medianMs > 0 ? [o.medianMs / w.medianMs] : [];
    });
  const ts = ratio('ts');
  lines.push('');
  lines.push(`geometric mean of median ratios: ts/wasm = ${geomean(ts).toFixed(2)}x over ${ts.length} families`);
  for (const impl of ['z3 (js)', 'z3 (native)'] as const) {
    const z3 = ratio(impl);
    if (z3.length) lines.push(`                                 ${impl}/wasm = ${geomean(z3).toFixed(0)}x over ${z3.length} families`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runSolveBench();
  console.log(formatSolveBench(rows));
  process.exit(0);
}
