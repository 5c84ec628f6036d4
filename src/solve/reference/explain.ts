/**
 * Minimal conflicts over requirement guards, mirroring wasm-core/src/explain.rs:
 * deletion-based shrinking, and MARCO-style enumeration of all minimal conflicts with the
 * solver itself as the map solver (maximum-cardinality seeds).
 */
import { OP_LE, ST_FEASIBLE, ST_INFEASIBLE, ST_OPTIMAL, type ConstraintDef, type ProblemDef } from '../model.ts';
import { solveRef } from './solver.ts';

export interface Explanation {
  conflicts: number[][];
  exact: boolean;
  nodes: number;
}

function feasible(p: ProblemDef, on: readonly boolean[], acc: { nodes: number }): boolean | null {
  const fix = p.requirements.map((r, i) => [r.guard, on[i] ? 1 : 0] as const);
  const o = solveRef(p, fix, false);
  acc.nodes += o.nodes;
  if (o.status === ST_OPTIMAL || o.status === ST_FEASIBLE) return true;
  if (o.status === ST_INFEASIBLE) return false;
  return null;
}

function shrink(p: ProblemDef, seed: readonly boolean[], ex: Explanation): number[] {
  const on = seed.slice();
  for (let i = 0; i < on.length; i++) {
    if (!on[i]) continue;
    on[i] = false;
    const f = feasible(p, on, ex);
    if (f === true) on[i] = true;
    else if (f === null) {
      on[i] = true;
      ex.exact = false;
    }
  }
  return on.flatMap((b, i) => (b ? [i] : []));
}

export function explainRef(p: ProblemDef, all: boolean, limit: number): Explanation {
  const n = p.requirements.length;
  const ex: Explanation = { conflicts: [], exact: true, nodes: 0 };
  if (!all) {
    ex.conflicts.push(shrink(p, new Array<boolean>(n).fill(true), ex));
    return ex;
  }
  const mapCons: ConstraintDef[] = [];
  const map = (): ProblemDef => ({
    vars: Array.from({ length: n }, (_, i) => ({ name: `r${i}`, lo: 0, hi: 1, hint: null, preferMax: true, values: null })),
    constraints: mapCons,
    objectives: [{ maximize: true, terms: Array.from({ length: n }, (_, i) => [1, i] as const) }],
    requirements: [],
    maxNodes: p.maxNodes,
    maxFails: p.maxFails,
    explain: 'none',
    conflictLimit: 0,
  });
  for (;;) {
    if (limit > 0 && ex.conflicts.length >= limit) {
      ex.exact = false;
      break;
    }
    const o = solveRef(map(), [], true);
    ex.nodes += o.nodes;
    if (o.status === ST_INFEASIBLE) break;
    if (o.status !== ST_OPTIMAL) {
      ex.exact = false;
      break;
    }
    const seed = o.solution!.map((x) => x === 1);
    const f = feasible(p, seed, ex);
    if (f === true) {
      const terms = seed.flatMap((b, i) => (b ? [] : [[-1, i] as const]));
      mapCons.push({ guard: null, kind: { type: 'linear', op: OP_LE, rhs: -1, terms } });
    } else if (f === false) {
      const c = shrink(p, seed, ex);
      mapCons.push({ guard: null, kind: { type: 'linear', op: OP_LE, rhs: c.length - 1, terms: c.map((i) => [1, i] as const) } });
      ex.conflicts.push(c);
    } else {
      ex.exact = false;
      break;
    }
  }
  return ex;
}
