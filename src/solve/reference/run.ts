/** TypeScript engine entry: the same steps as `run` in wasm-core/src/lib.rs. */
import { ST_INFEASIBLE, type ProblemDef, type RawResult } from '../model.ts';
import { explainRef } from './explain.ts';
import { solveRef } from './solver.ts';

export function runRef(p: ProblemDef): RawResult {
  const o = solveRef(
    p,
    p.requirements.map((r) => [r.guard, 1] as const),
    true,
  );
  let nodes = o.nodes;
  let conflicts: number[][] = [];
  let conflictsExact = true;
  if (o.status === ST_INFEASIBLE && p.explain !== 'none') {
    const e = explainRef(p, p.explain === 'all', p.conflictLimit);
    nodes += e.nodes;
    conflicts = e.conflicts;
    conflictsExact = e.exact;
  }
  return { status: o.status, errorCode: 0, errorAt: 0, nodes, fails: o.fails, solution: o.solution, objectives: o.objectives, conflicts, conflictsExact };
}
