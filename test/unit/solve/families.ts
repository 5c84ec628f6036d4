/**
 * Real problem families, each with an oracle computed independently of the solver (plain
 * loops / brute force). Shared by families.test.ts and test/bench/solve-bench.ts.
 */
import { ProblemBuilder } from '../../../src/solve/builder.ts';
import type { ProblemDef } from '../../../src/solve/model.ts';
import { int, rng } from './gen.ts';

export interface Instance {
  readonly name: string;
  readonly problem: ProblemDef;
  /** Expected objective vector, or null when the oracle says infeasible. */
  readonly oracle: readonly number[] | null;
}

const MHZ = 1_000_000;

/** STM32F4 main PLL: lexicographically smallest (M, N) giving SYSCLK exactly and USB 48 MHz ±0.25 %. */
export function pll(hse: number, sysclk: number): Instance {
  const p = new ProblemBuilder();
  const src = p.constant(hse, 'HSE');
  const m = p.intVar('M', 2, 63);
  const n = p.intVar('N', 50, 432);
  const pcode = p.intVar('PLLP', 0, 3);
  const pdiv = p.setVar('P', [2, 4, 6, 8]);
  const q = p.intVar('Q', 2, 15);
  p.element(pcode, pdiv, [2, 4, 6, 8], { label: 'PLLP code = P/2 - 1' });
  p.linear([[MHZ, m]], '<=', hse, { label: 'VCO in >= 1 MHz' });
  p.linear([[2 * MHZ, m]], '>=', hse, { label: 'VCO in <= 2 MHz' });
  p.linear(
    [
      [100 * MHZ, m],
      [-hse, n],
    ],
    '<=',
    0,
    { label: 'VCO >= 100 MHz' },
  );
  p.linear(
    [
      [432 * MHZ, m],
      [-hse, n],
    ],
    '>=',
    0,
    { label: 'VCO <= 432 MHz' },
  );
  p.ratio({ input: src, muls: [n], divs: [m, pdiv], output: p.constant(sysclk, 'SYSCLK') }, { guard: p.requirement(`SYSCLK ${sysclk / MHZ} MHz`) });
  p.ratio({ input: src, muls: [n], divs: [m, q], output: p.constant(48 * MHZ, 'USB'), ppm: 2500 }, { guard: p.requirement('USB 48 MHz ±0.25 %') });
  p.minimize([m]).minimize([n]);
  let oracle: number[] | null = null;
  search: for (let M = 2; M <= 63; M++) {
    if (hse / M < MHZ || hse / M > 2 * MHZ) continue;
    for (let N = 50; N <= 432; N++) {
      const vco = (hse * N) / M;
      if (vco < 100 * MHZ || vco > 432 * MHZ) continue;
      const pOk = [2, 4, 6, 8].some((P) => hse * N === sysclk * M * P);
      const qOk = [...Array(14).keys()].some((k) => Math.abs(hse * N - 48 * MHZ * M * (k + 2)) * 1e6 <= 2500 * 48 * MHZ * M * (k + 2));
      if (pOk && qOk) {
        oracle = [M, N];
        break search;
      }
    }
  }
  return { name: `pll hse=${hse / MHZ} sys=${sysclk / MHZ}`, problem: p.build({ explain: 'one' }), oracle };
}

export function pllFamily(): Instance[] {
  const out: Instance[] = [];
  for (const hse of [4, 8, 12, 16, 25, 26]) for (const sys of [48, 72, 84, 100, 120, 168, 180]) out.push(pll(hse * MHZ, sys * MHZ));
  return out;
}

/**
 * USART v1 BRR with OVER8: D = 16*mant + frac (OVER8 = 0) or 8*mant + frac, frac < 8 (OVER8 = 1),
 * baud = fck / D within ±tol ppm; prefer OVER8 = 0, then the smallest |fck - baud*D|.
 */
export function usart(fck: number, baud: number, ppm: number): Instance {
  const p = new ProblemBuilder();
  const f = p.constant(fck, 'fck');
  const o8 = p.boolVar('OVER8');
  const o16 = p.boolVar('OVER16');
  const mant = p.intVar('MANT', 1, 4095);
  const frac = p.intVar('FRAC', 0, 15);
  const d = p.intVar('D', 8, 16 * 4095 + 15);
  const err = p.intVar('ERR', 0, fck);
  const brr = p.intVar('BRR', 0x10, 0xffff);
  p.linear([o8, o16], '=', 1);
  p.linear([d, [-16, mant], [-1, frac]], '=', 0, { guard: o16 });
  p.linear([d, [-8, mant], [-1, frac]], '=', 0, { guard: o8 });
  p.linear([frac], '<=', 7, { guard: o8, label: 'BRR[3] = 0 with OVER8' });
  p.linear([brr, [-16, mant], [-1, frac]], '=', 0);
  p.ratio({ input: f, divs: [d], output: p.constant(baud, 'baud'), ppm }, { guard: p.requirement(`baud ${baud} ±${ppm / 1e4} %`) });
  p.linear([err, [baud, d]], '>=', fck);
  p.linear([err, [-baud, d]], '>=', -fck);
  p.minimize([o8]).minimize([err]);
  let oracle: number[] | null = null;
  for (const over8 of [0, 1]) {
    let best: number | null = null;
    for (let mt = 1; mt <= 4095; mt++)
      for (let fr = 0; fr <= (over8 ? 7 : 15); fr++) {
        const D = (over8 ? 8 : 16) * mt + fr;
        const e = Math.abs(fck - baud * D);
        if (16 * mt + fr > 0xffff) continue;
        if (e * 1e6 <= ppm * baud * D && (best === null || e < best)) best = e;
      }
    if (best !== null) {
      oracle = [over8, best];
      break;
    }
  }
  return { name: `usart fck=${fck} baud=${baud}`, problem: p.build({ explain: 'one' }), oracle };
}

export function usartFamily(): Instance[] {
  const out: Instance[] = [];
  for (const fck of [8, 16, 42, 84].map((x) => x * MHZ)) for (const baud of [9600, 115200, 921600, 4_500_000, 10_500_000]) out.push(usart(fck, baud, 10_000));
  return out;
}

/** Timer: (PSC+1)(ARR+1) = f_tim / f_update within ±ppm; smallest prescaler, then smallest ARR. */
export function timer(ftim: number, fupd: number, ppm: number): Instance {
  const p = new ProblemBuilder();
  const psc = p.intVar('PSC+1', 1, 65536);
  const arr = p.intVar('ARR+1', 1, 65536);
  p.ratio({ input: p.constant(ftim, 'f_tim'), divs: [psc, arr], output: p.constant(fupd, 'f_update'), ppm }, { guard: p.requirement(`update ${fupd} Hz`) });
  p.minimize([psc]).minimize([arr]);
  let oracle: number[] | null = null;
  for (let a = 1; a <= 65536 && !oracle; a++) {
    // Smallest ARR+1 for this PSC+1 whose frequency is within tolerance.
    const lo = Math.max(1, Math.ceil((ftim * 1e6) / ((1e6 + ppm) * fupd * a) - 1e-9));
    for (let b = lo; b <= Math.min(65536, lo + 2); b++)
      if (Math.abs(ftim - fupd * a * b) * 1e6 <= ppm * fupd * a * b) {
        oracle = [a, b];
        break;
      }
  }
  return { name: `timer ${ftim}/${fupd}`, problem: p.build({ explain: 'one' }), oracle };
}

export function timerFamily(): Instance[] {
  const out: Instance[] = [];
  for (const f of [16, 72, 84, 168].map((x) => x * MHZ)) for (const u of [1, 50, 1000, 44_100, 1_000_000]) out.push(timer(f, u, 100));
  return out;
}

/** Bitfield packing: fields of given widths into 32-bit registers, minimise the register count. */
export function packing(widths: readonly number[]): Instance {
  const p = new ProblemBuilder();
  const n = widths.length;
  const count = p.intVar('registers', 1, n);
  // Symmetry breaking: field i uses one of the first i+1 registers (relabel by first field).
  const bins = widths.map((_, i) => p.intVar(`reg${i}`, 0, i));
  p.binPacking({ items: bins.map((b, i) => ({ bin: b, weight: widths[i]! })), capacity: 32, count });
  p.minimize([count]);
  return { name: `pack ${n}`, problem: p.build(), oracle: [exactBins(widths, 32)] };
}

/** Independent exact bin packing: DFS over decreasing items, first-fit bins, best-so-far bound. */
export function exactBins(ws: readonly number[], cap: number): number {
  const items = [...ws].sort((a, b) => b - a);
  const total = items.reduce((s, w) => s + w, 0);
  const lb = Math.ceil(total / cap);
  let best = items.length;
  const loads: number[] = [];
  const rec = (i: number): void => {
    if (loads.length >= best) return;
    if (i === items.length) {
      best = loads.length;
      return;
    }
    const w = items[i]!;
    const seen = new Set<number>();
    for (let b = 0; b < loads.length; b++)
      if (loads[b]! + w <= cap && !seen.has(loads[b]!)) {
        seen.add(loads[b]!);
        loads[b]! += w;
        rec(i + 1);
        loads[b]! -= w;
        if (best === lb) return;
      }
    loads.push(w);
    rec(i + 1);
    loads.pop();
  };
  rec(0);
  return best;
}

export function packingFamily(count = 12, seed = 3): Instance[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => packing(Array.from({ length: int(r, 10, 20) }, () => int(r, 1, 16))));
}

/** Register layout: place registers (size = alignment, 4 or 8 bytes) around reserved ranges, minimise the end. */
export function layout(sizes: readonly number[], reserved: readonly [number, number][], window: number): Instance {
  const p = new ProblemBuilder();
  const end = p.intVar('end', 0, window);
  const offs = sizes.map((s, i) => {
    const o = p.intVar(`off${i}`, 0, window - s);
    p.aligned(o, s);
    p.linear([end, [-1, o]], '>=', s);
    return o;
  });
  const res = reserved.map(([a, l], i) => ({ start: p.constant(a, `reserved${i}`), length: l }));
  p.noOverlap([...offs.map((o, i) => ({ start: o, length: sizes[i]! })), ...res]);
  p.minimize([end]);
  // Oracle: brute-force placement in 4-byte slots.
  const slots = window / 4;
  const used = new Array<boolean>(slots).fill(false);
  for (const [a, l] of reserved) for (let k = a / 4; k < (a + l) / 4; k++) used[k] = true;
  const order = sizes.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  let best = Infinity;
  const rec = (k: number, hi: number): void => {
    if (hi >= best) return;
    if (k === order.length) {
      best = hi;
      return;
    }
    const w = order[k]![0] / 4;
    for (let s = 0; s + w <= slots; s += w) {
      let free = true;
      for (let t = s; t < s + w; t++) free &&= !used[t];
      if (!free) continue;
      for (let t = s; t < s + w; t++) used[t] = true;
      rec(k + 1, Math.max(hi, (s + w) * 4));
      for (let t = s; t < s + w; t++) used[t] = false;
    }
  };
  rec(0, 0);
  return { name: `layout ${sizes.length}`, problem: p.build(), oracle: Number.isFinite(best) ? [best] : null };
}

export function layoutFamily(count = 10, seed = 5): Instance[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const sizes = Array.from({ length: int(r, 4, 8) }, () => (r() < 0.3 ? 8 : 4));
    const a = 4 * int(r, 0, 6);
    const b = 4 * int(r, 8, 14);
    return layout(
      sizes,
      [
        [a, 4 * int(r, 1, 2)],
        [b, 4 * int(r, 1, 3)],
      ],
      0x60,
    );
  });
}

/**
 * Driver vs revision: a driver's needs per role (width >= k, writable, enum value codes) as
 * requirements against a revision's fields; `conflicts` lists the known minimal conflicts.
 */
export function compat(): { problem: ProblemDef; conflicts: string[][] } {
  const p = new ProblemBuilder();
  // Revision fields: [width, writable, max enum code]
  const fields: [string, number, number, number][] = [
    ['CTRL.ENABLE', 1, 1, 1],
    ['CTRL.PARITY', 2, 1, 3],
    ['CTRL.MODE', 3, 0, 5],
    ['STATUS.TXE', 1, 0, 1],
    ['BAUD.DIV', 12, 1, 4095],
  ];
  const tuples = fields.map(([, w, a, e], i) => [i, w, a, e]);
  const role = (name: string, candidates: number[]) => {
    const f = p.setVar(`${name}.field`, candidates);
    const w = p.intVar(`${name}.width`, 0, 32);
    const a = p.intVar(`${name}.rw`, 0, 1);
    const e = p.intVar(`${name}.maxcode`, 0, 4095);
    p.table([f, w, a, e], tuples);
    return { f, w, a, e };
  };
  const parity = role('parity', [1, 2]);
  const enable = role('enable', [0, 3]);
  const div = role('div', [4]);
  p.allDifferent([parity.f, enable.f, div.f]);
  p.linear([parity.w], '>=', 3, { guard: p.requirement('parity: width >= 3 (mark/space)') });
  p.linear([parity.a], '=', 1, { guard: p.requirement('parity: writable') });
  p.linear([parity.e], '>=', 4, { guard: p.requirement('parity: code 4 (MARK)') });
  p.linear([enable.a], '=', 1, { guard: p.requirement('enable: writable') });
  p.linear([div.w], '>=', 16, { guard: p.requirement('div: width >= 16') });
  p.linear([enable.w], '>=', 1, { guard: p.requirement('enable: width >= 1') });
  return {
    problem: p.build({ explain: 'all' }),
    conflicts: [['parity: width >= 3 (mark/space)', 'parity: writable'], ['parity: writable', 'parity: code 4 (MARK)'], ['div: width >= 16']],
  };
}

export function matching(n: number, seed = n): { cost: number[][]; noMatch: number } {
  const r = rng(seed);
  // Similarity-like costs: a hidden permutation is cheap, the rest noisy; some rows renamed away.
  const perm = Array.from({ length: n }, (_, i) => i).sort(() => r() - 0.5);
  const cost = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (perm[i] === j && r() < 0.9 ? r() * 0.3 : 0.4 + r() * 0.6)));
  return { cost, noMatch: 0.5 };
}
