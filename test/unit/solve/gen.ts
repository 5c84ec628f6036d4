/** Seeded random problems per constraint kind, and an exhaustive-enumeration oracle. */
import { constraintHolds, type ConstraintDef, type Kind, type ProblemDef, type VarDef } from '../../../src/solve/model.ts';

import { seededRandom } from '../../../src/random/index.ts';

export type Rng = () => number;
/** The project's seeded PRNG, as a function. */
export const rng = (seed: number): Rng => seededRandom(seed);
export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, 0, xs.length - 1)]!;

export const KINDS = ['linear', 'product', 'ratio', 'table', 'inset', 'modulo', 'nooverlap', 'binpack', 'alldiff'] as const;
export type KindName = (typeof KINDS)[number];

function v(name: string, lo: number, hi: number, r: Rng): VarDef {
  if (r() < 0.2) {
    const vals = [...new Set(Array.from({ length: int(r, 1, 4) }, () => int(r, lo, hi)))].sort((a, b) => a - b);
    return { name, lo: vals[0]!, hi: vals[vals.length - 1]!, hint: null, preferMax: false, values: vals };
  }
  const h = r() < 0.2 ? int(r, lo, hi) : null;
  return { name, lo, hi, hint: h, preferMax: r() < 0.2, values: null };
}

/** One problem centred on `kind`, plus an optional extra linear constraint, guard and objectives. */
export function randomProblem(r: Rng, kind: KindName): ProblemDef {
  const n = int(r, 2, 4);
  const positive = kind === 'ratio';
  const nonneg = kind === 'binpack' || kind === 'nooverlap';
  const vars: VarDef[] = [];
  for (let i = 0; i < n; i++) {
    const lo = positive ? int(r, 1, 3) : nonneg ? int(r, 0, 2) : int(r, -4, 3);
    vars.push(v(`x${i}`, lo, lo + int(r, 0, positive ? 6 : 5), r));
  }
  const x = (): number => int(r, 0, n - 1);
  const cons: ConstraintDef[] = [];
  const add = (k: Kind, guard: number | null = null): void => void cons.push({ guard, kind: k });
  const main = (): Kind => {
    switch (kind) {
      case 'linear':
        return { type: 'linear', op: int(r, 0, 2) as 0 | 1 | 2, rhs: int(r, -6, 6), terms: vars.map((_, i) => [int(r, -3, 3), i] as const) };
      case 'product': {
        const z = x();
        return { type: 'product', x: x(), y: x(), z };
      }
      case 'ratio': {
        const idx = [...Array(n).keys()].sort(() => r() - 0.5);
        const inp = idx[0]!;
        const out = idx[1]!;
        const rest = idx.slice(2);
        return { type: 'ratio', ppm: pick(r, [0, 0, 50_000, 250_000]), inp, out, muls: rest.filter(() => r() < 0.5), divs: rest.filter(() => r() < 0.5) };
      }
      case 'table': {
        const k = int(r, 1, Math.min(3, n));
        const vs = [...Array(n).keys()].slice(0, k);
        return { type: 'table', vars: vs, tuples: Array.from({ length: k * int(r, 1, 6) }, () => int(r, -4, 8)) };
      }
      case 'inset':
        return { type: 'inset', x: x(), vals: [...new Set(Array.from({ length: int(r, 1, 4) }, () => int(r, -5, 9)))].sort((a, b) => a - b) };
      case 'modulo': {
        const m = int(r, 1, 4);
        return { type: 'modulo', x: x(), m, r: int(r, 0, m - 1) };
      }
      case 'nooverlap':
        return { type: 'nooverlap', starts: [...Array(n).keys()], lens: [...Array(n).keys()].map(() => int(r, 0, 3)) };
      case 'binpack': {
        const count = r() < 0.5 ? n - 1 : null;
        const items = [...Array(count === null ? n : n - 1).keys()];
        return { type: 'binpack', cap: int(r, 0, 6), count, bins: items, weights: items.map(() => int(r, 0, 4)) };
      }
      case 'alldiff':
        return { type: 'alldiff', vars: [...Array(n).keys()].filter(() => r() < 0.8) };
    }
  };
  let guard: number | null = null;
  if (r() < 0.3) {
    vars.push({ name: 'g', lo: 0, hi: 1, hint: null, preferMax: false, values: null });
    guard = vars.length - 1;
  }
  add(main(), guard);
  if (r() < 0.5) add(main());
  if (kind !== 'ratio' && r() < 0.4)
    add({
      type: 'linear',
      op: int(r, 0, 2) as 0 | 1 | 2,
      rhs: int(r, -3, 8),
      terms: [
        [int(r, -2, 2), x()],
        [int(r, -2, 2), x()],
      ],
    });
  const objectives = Array.from({ length: int(r, 0, 2) }, () => ({
    maximize: r() < 0.5,
    terms: vars.map((_, i) => [int(r, -2, 2), i] as const),
  }));
  return { vars, constraints: cons, objectives, requirements: [], maxNodes: 0, maxFails: 0, explain: 'none', conflictLimit: 0 };
}

export function domainValues(d: VarDef): number[] {
  if (d.values) return [...d.values];
  return Array.from({ length: d.hi - d.lo + 1 }, (_, i) => d.lo + i);
}

/**
 * Exhaustive oracle: lexicographically best objective vector (minimise; maximise negated) or
 * null when infeasible. `fixed` pins variables (e.g. requirement guards).
 */
export function enumerate(p: ProblemDef, fixed: ReadonlyMap<number, number> = new Map()): number[] | null {
  const doms = p.vars.map((d, i) => (fixed.has(i) ? [fixed.get(i)!] : domainValues(d)));
  const val = doms.map((d) => d[0]!);
  let best: number[] | null = null;
  const idx = doms.map(() => 0);
  for (;;) {
    if (p.constraints.every((c) => constraintHolds(c, val))) {
      const o = p.objectives.map((ob) => ob.terms.reduce((s, [a, x]) => s + a * val[x]!, 0) * (ob.maximize ? -1 : 1));
      if (best === null || lexLess(o, best)) best = o;
    }
    let i = 0;
    while (i < doms.length) {
      idx[i]!++;
      if (idx[i]! < doms[i]!.length) {
        val[i] = doms[i]![idx[i]!]!;
        break;
      }
      idx[i] = 0;
      val[i] = doms[i]![0]!;
      i++;
    }
    if (i === doms.length) break;
  }
  return best === null ? null : best.map((x, k) => (p.objectives[k]!.maximize ? -x : x));
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
