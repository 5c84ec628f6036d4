/** Minimal conflicts: minimality by deletion, and completeness of 'all' against brute force. */
import { describe, expect, it } from 'vitest';
import { solve, type Engine } from '../../../src/solve/index.ts';
import type { ProblemDef } from '../../../src/solve/model.ts';
import { enumerate, int, randomProblem, rng, type KindName } from './gen.ts';

/** Adds k random requirements (each guarding one random constraint) to a random problem. */
function withRequirements(seed: number, k: number): ProblemDef {
  const r = rng(seed);
  const kinds: KindName[] = ['linear', 'table', 'inset', 'modulo', 'alldiff', 'linear'];
  const base = randomProblem(r, 'linear');
  const vars = [...base.vars];
  const constraints = [...base.constraints];
  const requirements = [];
  for (let i = 0; i < k; i++) {
    const donor = randomProblem(rng(seed * 31 + i), kinds[int(r, 0, kinds.length - 1)]!);
    const c = donor.constraints[0]!;
    // Only keep donors whose variable indices exist in the base problem.
    const ok = JSON.stringify(c.kind).match(/\d+/g) !== null && c.guard === null;
    vars.push({ name: `req${i}`, lo: 0, hi: 1, hint: null, preferMax: false, values: null });
    const g = vars.length - 1;
    const kind = ok && maxVar(c.kind) < base.vars.length ? c.kind : ({ type: 'linear', op: 0, rhs: int(r, -4, 4), terms: [[int(r, -2, 2), 0]] } as const);
    constraints.push({ guard: g, kind });
    requirements.push({ name: `R${i}`, guard: g });
  }
  return { ...base, vars, constraints, requirements, objectives: [], explain: 'all' };
}
function maxVar(k: ProblemDef['constraints'][number]['kind']): number {
  const all = JSON.stringify(k);
  const m = k.type === 'linear' ? k.terms.map((t) => t[1]) : 'vars' in k ? [...k.vars] : 'x' in k ? [k.x] : [99];
  return all ? Math.max(...m) : 99;
}
const pinned = (p: ProblemDef, on: readonly number[]): Map<number, number> => new Map(p.requirements.map((q, i) => [q.guard, on.includes(i) ? 1 : 0]));
const infeasible = (p: ProblemDef, on: readonly number[]): boolean => enumerate(p, pinned(p, on)) === null;

describe.each(['wasm', 'ts'] as Engine[])('explanations (%s)', (engine) => {
  it('every reported conflict is infeasible and minimal; "all" finds exactly the brute-force set', () => {
    let withConflicts = 0;
    let multi = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const p = withRequirements(seed, 5);
      const res = solve(p, { engine });
      const allIdx = p.requirements.map((_, i) => i);
      if (!infeasible(p, allIdx)) {
        expect(res.status).toBe('optimal');
        continue;
      }
      expect(res.status).toBe('infeasible');
      expect(res.conflictsExact).toBe(true);
      withConflicts++;
      if (res.conflicts.length > 1) multi++;
      for (const c of res.conflicts) {
        expect(infeasible(p, c.indices)).toBe(true);
        for (const drop of c.indices)
          expect(
            infeasible(
              p,
              c.indices.filter((i) => i !== drop),
            ),
          ).toBe(false);
      }
      // Brute force: all minimal infeasible subsets of the 5 requirements.
      const want: string[] = [];
      for (let mask = 0; mask < 32; mask++) {
        const on = allIdx.filter((i) => mask & (1 << i));
        if (
          infeasible(p, on) &&
          on.every(
            (d) =>
              !infeasible(
                p,
                on.filter((i) => i !== d),
              ),
          )
        )
          want.push(on.join(','));
      }
      expect(res.conflicts.map((c) => c.indices.join(',')).sort()).toEqual(want.sort());
    }
    expect(withConflicts).toBeGreaterThan(20);
    expect(multi).toBeGreaterThan(3);
  });

  it("explain 'one' returns one minimal conflict with names; 'none' returns none", () => {
    const p = withRequirementsFixed();
    const one = solve(p, { engine, explain: 'one' });
    expect(one.conflicts).toHaveLength(1);
    // Deletion drops requirements front to back while the rest stays infeasible.
    expect(one.conflicts[0]!.requirements).toEqual(['x = 7', 'x != 7']);
    expect(one.diagnostics[0]!.code).toBe('solve/infeasible');
    expect(one.diagnostics[0]!.message).toContain('{x = 7, x != 7}');
    expect(solve(p, { engine, explain: 'none' }).conflicts).toHaveLength(0);
    const lim = solve(p, { engine, explain: 'all', conflictLimit: 1 });
    expect(lim.conflicts).toHaveLength(1);
    expect(lim.conflictsExact).toBe(false);
    const all = solve(p, { engine, explain: 'all' }).conflicts.map((c) => c.requirements.join(' & '));
    expect(all.sort()).toEqual(['x <= 3 & x = 7', 'x = 7 & x != 7', 'x >= 5 & x <= 3']);
  });
});

function withRequirementsFixed(): ProblemDef {
  const reqs: [string, 0 | 1 | 2, number, number][] = [
    ['x >= 5', 0, -1, -5],
    ['x <= 3', 0, 1, 3],
    ['x = 7', 1, 1, 7],
    ['x != 7', 2, 1, 7],
  ];
  return {
    vars: [
      { name: 'x', lo: 0, hi: 9, hint: null, preferMax: false, values: null },
      ...reqs.map(([n]) => ({ name: `?${n}`, lo: 0, hi: 1, hint: null, preferMax: false, values: null })),
    ],
    constraints: reqs.map(([, op, a, rhs], i) => ({ guard: i + 1, kind: { type: 'linear', op, rhs, terms: [[a, 0]] } as const })),
    objectives: [],
    requirements: reqs.map(([n], i) => ({ name: n, guard: i + 1 })),
    maxNodes: 0,
    maxFails: 0,
    explain: 'one',
    conflictLimit: 0,
  };
}
