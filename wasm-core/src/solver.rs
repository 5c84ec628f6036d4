//! Finite-domain solver, one pass per module: the store of domains, trail and queue
//! (`domains`), the propagators (`propagate`, `combinatorial`), the depth-first search with
//! dom/wdeg branching (`search`) and the driver with lexicographic branch-and-bound
//! (`optimise`). `arith` holds exact integer division.
//!
//! The TypeScript engine (`--engine ts`, src/solve/reference/) follows the same algorithm, with
//! domains.ts, propagate.ts, solver.ts (search and driver) and arith.ts beside these modules;
//! the differential tests judge both against enumeration.

mod arith;
mod combinatorial;
mod domains;
mod optimise;
mod propagate;
mod search;

pub use domains::BITSET_SPAN;
pub use optimise::solve;

pub const ST_OPTIMAL: i64 = 0;
pub const ST_FEASIBLE: i64 = 1;
pub const ST_INFEASIBLE: i64 = 2;
pub const ST_UNKNOWN: i64 = 3;

pub struct Outcome {
    pub status: i64,
    pub solution: Option<Vec<i64>>,
    pub objectives: Vec<i64>,
    pub nodes: u64,
    pub fails: u64,
}
