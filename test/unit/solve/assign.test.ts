/** Assignment kernel: brute force on small matrices, wasm vs TypeScript on large ones. */
import { describe, expect, it } from 'vitest';
import { assign } from '../../../src/solve/index.ts';
import { int, rng } from './gen.ts';

function brute(cost: number[][], noMatch: number): number {
  const m = cost[0]?.length ?? 0;
  const used = new Array<boolean>(m).fill(false);
  const rec = (i: number): number => {
    if (i === cost.length) return 0;
    let best = noMatch + rec(i + 1);
    for (let j = 0; j < m; j++)
      if (!used[j] && Number.isFinite(cost[i]![j]!)) {
        used[j] = true;
        best = Math.min(best, cost[i]![j]! + rec(i + 1));
        used[j] = false;
      }
    return best;
  };
  return rec(0);
}

describe('assign', () => {
  it('equals brute force on 600 random rectangular matrices with forbidden pairs', () => {
    const r = rng(7);
    for (let t = 0; t < 600; t++) {
      const n = int(r, 1, 6);
      const m = int(r, 1, 6);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => int(r, 0, 30)));
      const forbidden: [number, number][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (r() < 0.2) forbidden.push([i, j]);
      const noMatch = int(r, 5, 40);
      const masked = cost.map((row, i) => row.map((c, j) => (forbidden.some(([a, b]) => a === i && b === j) ? Infinity : c)));
      const want = brute(masked, noMatch);
      for (const engine of ['wasm', 'ts'] as const) {
        const a = assign(cost, { noMatchCost: noMatch, forbidden, engine });
        expect(a.ok).toBe(true);
        expect(a.total).toBe(want);
        for (const [i, j] of forbidden) expect(a.rowToCol[i]).not.toBe(j);
      }
    }
  });

  it('reports infeasibility when every row must match and cannot', () => {
    const a = assign([
      [1, Infinity],
      [2, Infinity],
    ]);
    expect(a.ok).toBe(false);
    expect(a.diagnostics[0]!.code).toBe('solve/infeasible');
    expect(assign([[1, 2]], { forbidden: [[3, 0]] }).diagnostics[0]!.code).toBe('solve/bad-problem');
  });

  it.each([50, 300])('wasm and TypeScript give the same matching at n = %i', (n) => {
    const r = rng(n);
    const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(r() * 1000) / 1000));
    const a = assign(cost, { noMatchCost: 0.9, engine: 'wasm' });
    const b = assign(cost, { noMatchCost: 0.9, engine: 'ts' });
    expect(a.rowToCol).toEqual(b.rowToCol);
    expect(a.total).toBe(b.total);
    // Optimality certificate-lite: no single swap of two matched rows improves the total.
    for (let i = 0; i < n; i += 7)
      for (let k = i + 1; k < n; k += 11) {
        const ci = a.rowToCol[i]!;
        const ck = a.rowToCol[k]!;
        if (ci < 0 || ck < 0) continue;
        expect(cost[i]![ci]! + cost[k]![ck]! <= cost[i]![ck]! + cost[k]![ci]! + 1e-9).toBe(true);
      }
  });
});
