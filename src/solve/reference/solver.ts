/**
 * Pure-TypeScript reference engine (`--engine ts`): the algorithm of wasm-core/src/solver/ (FIFO
 * propagation queue, dom/wdeg variable choice, binary branching, lexicographic optimisation), in
 * three passes: the domain store (./domains.ts), propagation (./propagate.ts) and the search here
 * (Rust: search.rs and optimise.rs).
 * Bounds are JS numbers (the builder restricts them to safe integers); ratio and product reasoning
 * uses BigInt where the Rust code uses i128. The differential tests judge it by enumeration.
 */
import { ST_FEASIBLE, ST_INFEASIBLE, ST_OPTIMAL, ST_UNKNOWN, type ProblemDef } from '../model.ts';
import { floorDiv } from './arith.ts';
import { Propagation } from './propagate.ts';

/** Wider bounds-only domains are bisected rather than enumerated. */
const SPLIT_SIZE = 64;

export interface Outcome {
  status: number;
  solution: number[] | null;
  objectives: number[];
  nodes: number;
  fails: number;
}

/** The search (pass 3 of 3): dom/wdeg variable choice, binary branching, depth-first with undo. */
class Search extends Propagation {
  choose(): number {
    let best = -1;
    let bestScore = 0;
    for (let v = 0; v < this.lo.length; v++) {
      if (this.lo[v] === this.hi[v]) continue;
      let w = 1;
      for (const c of this.watch[v]!) w += this.weight[c]!;
      const score = this.size(v) / w;
      if (best === -1 || score < bestScore) {
        best = v;
        bestScore = score;
      }
    }
    return best;
  }
  branch(v: number): [number, number] {
    const h = this.p.vars[v]!.hint;
    if (h !== null && this.contains(v, h)) return [0, h];
    const pm = this.p.vars[v]!.preferMax;
    if (this.woff[v] === -1 && this.hi[v]! - this.lo[v]! > SPLIT_SIZE) {
      const mid = this.lo[v]! + floorDiv(this.hi[v]! - this.lo[v]!, 2);
      return [pm ? 2 : 1, mid];
    }
    return [0, pm ? this.hi[v]! : this.lo[v]!];
  }
  apply(v: number, kind: number, val: number, left: boolean): boolean {
    if (kind === 0) return left ? this.fix(v, val) : this.remove(v, val);
    if ((kind === 1 && left) || (kind === 2 && !left)) return this.setHi(v, val);
    return this.setLo(v, val + 1);
  }
  budgetHit(): boolean {
    return (this.p.maxNodes > 0 && this.nodes >= this.p.maxNodes) || (this.p.maxFails > 0 && this.fails >= this.p.maxFails);
  }
  objValue(k: number, sol: readonly number[]): number {
    let s = 0;
    for (const [a, v] of this.objTerms[k]!) s += a * sol[v]!;
    return s;
  }
  dfs(obj: number, best: { sol: number[] | null }): [boolean, boolean] {
    // Decision stack as parallel arrays: var, kind, value, trail mark, left?
    const sv: number[] = [];
    const sk: number[] = [];
    const sx: number[] = [];
    const sm: number[] = [];
    const sl: boolean[] = [];
    let found = false;
    for (;;) {
      let failed = false;
      if (this.budgetHit()) return [found, false];
      const v = this.choose();
      if (v === -1) {
        found = true;
        best.sol = this.lo.slice();
        if (obj < 0) return [true, true];
        this.objRhs[obj] = this.objValue(obj, this.lo) - 1;
        failed = true;
      } else {
        const [kind, val] = this.branch(v);
        sv.push(v);
        sk.push(kind);
        sx.push(val);
        sm.push(this.trail.length);
        sl.push(true);
        this.nodes++;
        let ok = this.apply(v, kind, val, true);
        if (ok) {
          if (obj >= 0) this.enqueue(this.ncons + obj);
          ok = this.propagate();
        } else this.queueClear();
        if (!ok) {
          this.fails++;
          failed = true;
        }
      }
      while (failed) {
        if (sv.length === 0) return [found, true];
        const v2 = sv.pop()!;
        const kind = sk.pop()!;
        const val = sx.pop()!;
        const mark = sm.pop()!;
        const left = sl.pop()!;
        this.undo(mark);
        if (!left) continue;
        if (this.budgetHit()) return [found, false];
        sv.push(v2);
        sk.push(kind);
        sx.push(val);
        sm.push(mark);
        sl.push(false);
        this.nodes++;
        let ok = this.apply(v2, kind, val, false);
        if (ok) {
          if (obj >= 0) this.enqueue(this.ncons + obj);
          ok = this.propagate();
        } else this.queueClear();
        if (ok) failed = false;
        else this.fails++;
      }
    }
  }
}

export function solveRef(p: ProblemDef, fixings: readonly (readonly [number, number])[], optimise: boolean): Outcome {
  const st = new Search(p);
  const out: Outcome = { status: ST_INFEASIBLE, solution: null, objectives: [], nodes: 0, fails: 0 };
  let ok = true;
  for (const [v, x] of fixings)
    if (!st.fix(v, x)) {
      ok = false;
      break;
    }
  if (ok) {
    for (let c = 0; c < p.constraints.length; c++) st.enqueue(c);
    ok = st.propagate();
  } else st.queueClear();
  if (!ok) return out;
  const nobj = optimise ? p.objectives.length : 0;
  const best: { sol: number[] | null } = { sol: null };
  const root = st.trail.length;
  if (nobj === 0) {
    const [found, complete] = st.dfs(-1, best);
    out.status = found ? ST_OPTIMAL : complete ? ST_INFEASIBLE : ST_UNKNOWN;
  } else {
    out.status = ST_OPTIMAL;
    for (let k = 0; k < nobj; k++) {
      let found: boolean;
      let complete: boolean;
      if (best.sol !== null) {
        // Later phases start from the incumbent: only strictly better solutions count.
        st.objRhs[k] = st.objValue(k, best.sol) - 1;
        for (let j = 0; j <= k; j++) st.enqueue(p.constraints.length + j);
        if (st.propagate()) [found, complete] = st.dfs(k, best);
        else [found, complete] = [false, true];
      } else [found, complete] = st.dfs(k, best);
      if (!complete) {
        out.status = best.sol !== null ? ST_FEASIBLE : ST_UNKNOWN;
        break;
      }
      if (!found && k === 0) {
        out.status = ST_INFEASIBLE;
        break;
      }
      st.undo(root);
      st.objRhs[k] = st.objValue(k, best.sol!);
    }
  }
  out.nodes = st.nodes;
  out.fails = st.fails;
  if (best.sol !== null && out.status !== ST_INFEASIBLE && out.status !== ST_UNKNOWN) {
    const sol = best.sol;
    out.objectives = p.objectives.map((o) => o.terms.reduce((s, [a, v]) => s + a * sol[v]!, 0));
    out.solution = sol;
  }
  return out;
}
