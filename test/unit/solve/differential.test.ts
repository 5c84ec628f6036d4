/**
 * Differential tests against what earns trust: exhaustive enumeration. wasm-core (the solver at
 * run time) on thousands of seeded random problems per constraint kind, and the explicit
 * `--engine ts` fallback on the same problems — each judged by the oracle (status and objective
 * values), not by matching the other's search step for step (that compared the algorithm with
 * itself; docs/solver.md).
 */
import { describe, expect, it } from 'vitest';
import { solve, solveBatch } from '../../../src/solve/index.ts';
import { enumerate, KINDS, randomProblem, rng } from './gen.ts';

const PER_KIND = 2000;
const ORACLE_PER_KIND = 400;

describe.each(KINDS)('%s', (kind) => {
  const r = rng(0x5eed + KINDS.indexOf(kind) * 7919);
  const problems = Array.from({ length: PER_KIND }, () => randomProblem(r, kind));

  it(`wasm matches exhaustive enumeration on ${PER_KIND} random problems, in one batch`, () => {
    const got = solveBatch(problems, { engine: 'wasm' });
    const statuses = new Set<string>();
    problems.forEach((p, i) => {
      const want = enumerate(p);
      const a = got[i]!;
      expect(a.engine).toBe('wasm');
      if (want === null) expect(a.status, `problem ${i}`).toBe('infeasible');
      else expect([a.status, a.objectives], `problem ${i}`).toEqual(['optimal', want]);
      statuses.add(a.status);
    });
    // The generator must produce both outcomes, or the comparison proves little.
    expect(statuses).toContain('optimal');
    expect(statuses).toContain('infeasible');
  });

  it(`the explicit TypeScript engine matches enumeration on ${ORACLE_PER_KIND} problems`, () => {
    for (const p of problems.slice(0, ORACLE_PER_KIND)) {
      const want = enumerate(p);
      const got = solve(p, { engine: 'ts' });
      expect(got.engine).toBe('ts');
      if (want === null) expect(got.status).toBe('infeasible');
      else expect([got.status, got.objectives]).toEqual(['optimal', want]);
    }
  });
});

describe('budgets', () => {
  it('a node budget gives feasible/unknown deterministically, never a wrong verdict', () => {
    const r = rng(42);
    let limited = 0;
    for (let i = 0; i < 300; i++) {
      const p = { ...randomProblem(r, 'linear'), maxNodes: 3 };
      const a = solve(p, { engine: 'wasm' });
      expect(solve(p, { engine: 'wasm' })).toEqual(a);
      const want = enumerate(p);
      if (a.status === 'infeasible') expect(want).toBeNull();
      if (a.status === 'optimal') expect(a.objectives).toEqual(want);
      if (a.status === 'feasible' || a.status === 'unknown') {
        limited++;
        expect(a.diagnostics.map((d) => d.code)).toContain('solve/budget-exhausted');
      }
      expect(a.nodes).toBeLessThanOrEqual(3);
    }
    expect(limited).toBeGreaterThan(0);
  });
});
