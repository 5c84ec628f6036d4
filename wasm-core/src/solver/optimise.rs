//! The driver: root fixings and propagation, then one search for satisfaction or one
//! branch-and-bound phase per objective (lexicographic optimisation). TypeScript mirror:
//! `solveRef` in src/solve/reference/solver.ts.

use super::domains::State;
use super::*;
use crate::model::*;

/// Solves `p` with extra fixings (var, value) applied at the root; objectives are optimised
/// lexicographically unless `optimise` is false.
pub fn solve(p: &Problem, fixings: &[(usize, i64)], optimise: bool) -> Outcome {
    let mut st = State::new(p);
    let mut out = Outcome { status: ST_INFEASIBLE, solution: None, objectives: Vec::new(), nodes: 0, fails: 0 };
    let mut ok = true;
    for &(v, x) in fixings {
        if !st.fix(v, x as i128) {
            ok = false;
            break;
        }
    }
    if ok {
        for c in 0..p.cons.len() {
            st.enqueue(c);
        }
        ok = st.propagate();
    } else {
        st.queue_clear();
    }
    if !ok {
        return out;
    }
    let nobj = if optimise { p.objs.len() } else { 0 };
    let mut best: Option<Vec<i64>> = None;
    let root = st.trail.len();
    if nobj == 0 {
        let (found, complete) = st.dfs(None, &mut best);
        out.status = if found { ST_OPTIMAL } else if complete { ST_INFEASIBLE } else { ST_UNKNOWN };
    } else {
        out.status = ST_OPTIMAL;
        for k in 0..nobj {
            let seed: Option<i128> =
                best.as_ref().map(|sol| st.obj_terms[k].iter().map(|&(a, v)| a as i128 * sol[v] as i128).sum());
            let (found, complete) = match seed {
                // Later phases start from the incumbent: only strictly better solutions count.
                Some(val) => {
                    st.obj_rhs[k] = val - 1;
                    for j in 0..=k {
                        st.enqueue(p.cons.len() + j);
                    }
                    if st.propagate() {
                        st.dfs(Some(k), &mut best)
                    } else {
                        (false, true)
                    }
                }
                None => st.dfs(Some(k), &mut best),
            };
            if !complete {
                out.status = if best.is_some() { ST_FEASIBLE } else { ST_UNKNOWN };
                break;
            }
            if !found && k == 0 {
                out.status = ST_INFEASIBLE;
                break;
            }
            // Phase k is proven optimal: freeze objective k at its optimum for later phases.
            st.undo(root);
            let sol = best.clone().unwrap();
            let val: i128 = st.obj_terms[k].iter().map(|&(a, v)| a as i128 * sol[v] as i128).sum();
            st.obj_rhs[k] = val;
        }
    }
    out.nodes = st.nodes;
    out.fails = st.fails;
    if let Some(sol) = &best {
        if out.status != ST_INFEASIBLE && out.status != ST_UNKNOWN {
            out.objectives = p
                .objs
                .iter()
                .map(|o| o.terms.iter().map(|&(a, v)| a as i128 * sol[v] as i128).sum::<i128>() as i64)
                .collect();
            out.solution = best;
        }
    }
    out
}
