/**
 * Differential tests: wasm-core vs the TypeScript reference on thousands of seeded random
 * problems per constraint kind (same status, objectives and search counts, since both run
 * the same algorithm step for step), and both vs exhaustive enumeration.
 */
import { describe, expect, it } from 'vitest';
import { solve, solveBatch } from '../../../src/solve/index.ts';
import { enumerate, KINDS, randomProblem, rng } from './gen.ts';

const PER_KIND = 2000;
const ORACLE_PER_KIND = 400;

describe.each(KINDS)('%s', (kind) => {
  const r = rng(0x5eed + KINDS.indexOf(kind) * 7919);
  const problems = Array.from({ length: PER_KIND }, () => randomProblem(r, kind));

  it(`wasm and TypeScript agree on ${PER_KIND} random problems`, () => {
    const w = solveBatch(problems, { engine: 'wasm' });
    const statuses = new Set<string>();
    problems.forEach((p, i) => {
      const t = solve(p, { engine: 'ts' });
      const a = w[i]!;
      expect(a.engine).toBe('wasm');
      expect([a.status, a.objectives, a.nodes, a.fails, a.raw], `problem ${i}`).toEqual([t.status, t.objectives, t.nodes, t.fails, t.raw]);
      expect(a.status).not.toBe('error');
      statuses.add(a.status);
    });
    // The generator must produce both outcomes, or the comparison proves little.
    expect(statuses).toContain('optimal');
    expect(statuses).toContain('infeasible');
  });

  it(`matches exhaustive enumeration on ${ORACLE_PER_KIND} problems`, () => {
    for (const p of problems.slice(0, ORACLE_PER_KIND)) {
      const want = enumerate(p);
      const got = solve(p, { engine: 'wasm' });
      if (want === null) expect(got.status).toBe('infeasible');
      else {
        expect(got.status).toBe('optimal');
        expect(got.objectives).toEqual(want);
      }
    }
  });
});

describe('budgets', () => {
  it('a node budget gives feasible/unknown deterministically, identically in both engines', () => {
    const r = rng(42);
    let limited = 0;
    for (let i = 0; i < 300; i++) {
      const p = { ...randomProblem(r, 'linear'), maxNodes: 3 };
      const a = solve(p, { engine: 'wasm' });
      const b = solve(p, { engine: 'ts' });
      expect([a.status, a.objectives, a.nodes]).toEqual([b.status, b.objectives, b.nodes]);
      if (a.status === 'feasible' || a.status === 'unknown') {
        limited++;
        expect(a.diagnostics.map((d) => d.code)).toContain('solve/budget-exhausted');
      }
      expect(a.nodes).toBeLessThanOrEqual(3);
    }
    expect(limited).toBeGreaterThan(0);
  });
});
