//! Minimal conflicts over requirement guards: deletion-based shrinking, and MARCO-style
//! enumeration of all minimal conflicts using the solver itself as the map solver.

use crate::model::*;
use crate::solver::*;

pub struct Explanation {
    pub conflicts: Vec<Vec<usize>>,
    /// False when a sub-solve hit the budget (a conflict may then not be minimal) or the
    /// enumeration stopped at the limit before proving it had found them all.
    pub exact: bool,
    pub nodes: u64,
}

/// Feasibility of the hard constraints plus the requirements in `on` (others switched off).
fn feasible(p: &Problem, on: &[bool], nodes: &mut u64) -> Option<bool> {
    let fix: Vec<(usize, i64)> = p.reqs.iter().zip(on.iter()).map(|(&g, &b)| (g, b as i64)).collect();
    let o = solve(p, &fix, false);
    *nodes += o.nodes;
    match o.status {
        ST_OPTIMAL | ST_FEASIBLE => Some(true),
        ST_INFEASIBLE => Some(false),
        _ => None,
    }
}

/// Deletion-based shrink of an infeasible requirement set to a minimal one.
fn shrink(p: &Problem, seed: &[bool], exact: &mut bool, nodes: &mut u64) -> Vec<usize> {
    let mut on = seed.to_vec();
    for i in 0..on.len() {
        if !on[i] {
            continue;
        }
        on[i] = false;
        match feasible(p, &on, nodes) {
            Some(false) => {}
            Some(true) => on[i] = true,
            None => {
                on[i] = true;
                *exact = false;
            }
        }
    }
    (0..on.len()).filter(|&i| on[i]).collect()
}

pub fn explain(p: &Problem, all: bool, limit: u64) -> Explanation {
    let n = p.reqs.len();
    let mut ex = Explanation { conflicts: Vec::new(), exact: true, nodes: 0 };
    if !all {
        let c = shrink(p, &vec![true; n], &mut ex.exact, &mut ex.nodes);
        ex.conflicts.push(c);
        return ex;
    }
    // Map problem: one 0/1 variable per requirement; a maximum-cardinality unexplored seed is
    // either satisfiable (then a maximal satisfiable subset: block its subsets) or shrinks to
    // a new minimal conflict (block its supersets).
    let mut map = Problem::default();
    map.max_nodes = p.max_nodes;
    map.max_fails = p.max_fails;
    for _ in 0..n {
        map.vars.push(Var { lo: 0, hi: 1, hint: None, prefer_max: true, set: None });
    }
    map.objs.push(Objective { maximize: true, terms: (0..n).map(|i| (1, i)).collect() });
    loop {
        if limit > 0 && ex.conflicts.len() as u64 >= limit {
            ex.exact = false;
            break;
        }
        let o = solve(&map, &[], true);
        ex.nodes += o.nodes;
        if o.status == ST_INFEASIBLE {
            break;
        }
        if o.status != ST_OPTIMAL {
            ex.exact = false;
            break;
        }
        let seed: Vec<bool> = o.solution.unwrap().iter().map(|&x| x == 1).collect();
        match feasible(p, &seed, &mut ex.nodes) {
            Some(true) => {
                let terms: Vec<(i64, usize)> = (0..n).filter(|&i| !seed[i]).map(|i| (-1, i)).collect();
                map.cons.push(Constraint { guard: None, kind: Kind::Linear { op: OP_LE, rhs: -1, terms } });
            }
            Some(false) => {
                let c = shrink(p, &seed, &mut ex.exact, &mut ex.nodes);
                let terms: Vec<(i64, usize)> = c.iter().map(|&i| (1, i)).collect();
                map.cons.push(Constraint { guard: None, kind: Kind::Linear { op: OP_LE, rhs: c.len() as i64 - 1, terms } });
                ex.conflicts.push(c);
            }
            None => {
                ex.exact = false;
                break;
            }
        }
    }
    ex
}
