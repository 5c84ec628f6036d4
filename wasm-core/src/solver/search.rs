//! Search (pass 4 of 4): dom/wdeg variable choice, binary branching (value or bisection),
//! depth-first with undo on the trail, node/fail budgets, and the objective bound tightened by
//! every solution. TypeScript mirror: src/solve/reference/solver.ts.

use super::arith::floor_div;
use super::domains::{State, NONE};

/// Interval domains larger than this are bisected instead of enumerated.
const SPLIT_SIZE: i128 = 64;

impl<'a> State<'a> {
    pub(super) fn choose(&self) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for v in 0..self.lo.len() {
            if self.lo[v] == self.hi[v] {
                continue;
            }
            let mut w: u64 = 1;
            for &c in &self.watch[v] {
                w += self.weight[c];
            }
            let score = self.size(v) as f64 / w as f64;
            match best {
                Some((_, s)) if score >= s => {}
                _ => best = Some((v, score)),
            }
        }
        best.map(|b| b.0)
    }

    /// Returns (kind, value): 0 = (x = v | x != v), 1 = (x <= v | x > v), 2 = (x > v | x <= v).
    pub(super) fn branch(&self, v: usize) -> (u8, i64) {
        if let Some(h) = self.p.vars[v].hint {
            if self.contains(v, h) {
                return (0, h);
            }
        }
        let pm = self.p.vars[v].prefer_max;
        if self.woff[v] == NONE && self.hi[v] as i128 - self.lo[v] as i128 > SPLIT_SIZE {
            let mid = (self.lo[v] as i128 + floor_div(self.hi[v] as i128 - self.lo[v] as i128, 2)) as i64;
            return (if pm { 2 } else { 1 }, mid);
        }
        (0, if pm { self.hi[v] } else { self.lo[v] })
    }

    pub(super) fn apply(&mut self, v: usize, kind: u8, val: i64, left: bool) -> bool {
        let x = val as i128;
        match (kind, left) {
            (0, true) => self.fix(v, x),
            (0, false) => self.remove(v, x),
            (1, true) | (2, false) => self.set_hi(v, x),
            _ => self.set_lo(v, x + 1),
        }
    }

    pub(super) fn budget_hit(&self) -> bool {
        (self.p.max_nodes > 0 && self.nodes >= self.p.max_nodes) || (self.p.max_fails > 0 && self.fails >= self.p.max_fails)
    }

    pub(super) fn obj_value(&self, k: usize) -> i128 {
        self.obj_terms[k].iter().map(|&(a, v)| a as i128 * self.lo[v] as i128).sum()
    }

    /// Counts a node and takes one side of a branch: applies it, then (with an objective, whose
    /// bound may have tightened) propagates. False when the branch fails.
    fn take_branch(&mut self, v: usize, kind: u8, val: i64, left: bool, obj: Option<usize>) -> bool {
        self.nodes += 1;
        if !self.apply(v, kind, val, left) {
            self.queue_clear();
            return false;
        }
        if let Some(k) = obj {
            self.enqueue(self.p.cons.len() + k);
        }
        self.propagate()
    }

    /// Depth-first search from the current (propagated) root. With `obj` = Some(k) every
    /// solution tightens objective bound k and the search continues; otherwise it stops at the
    /// first solution. Returns (found, complete).
    pub(super) fn dfs(&mut self, obj: Option<usize>, best: &mut Option<Vec<i64>>) -> (bool, bool) {
        let mut stack: Vec<(usize, u8, i64, usize, bool)> = Vec::new();
        let mut found = false;
        loop {
            // Descend.
            let mut failed = false;
            if self.budget_hit() {
                return (found, false);
            }
            match self.choose() {
                None => {
                    found = true;
                    *best = Some(self.lo.clone());
                    match obj {
                        None => return (true, true),
                        Some(k) => {
                            self.obj_rhs[k] = self.obj_value(k) - 1;
                            failed = true;
                        }
                    }
                }
                Some(v) => {
                    let (kind, val) = self.branch(v);
                    let mark = self.trail.len();
                    stack.push((v, kind, val, mark, true));
                    if !self.take_branch(v, kind, val, true, obj) {
                        self.fails += 1;
                        failed = true;
                    }
                }
            }
            // Backtrack to the next open right branch.
            while failed {
                let (v, kind, val, mark, left) = match stack.pop() {
                    Some(e) => e,
                    None => return (found, true),
                };
                self.undo(mark);
                if !left {
                    continue;
                }
                if self.budget_hit() {
                    return (found, false);
                }
                stack.push((v, kind, val, mark, false));
                if self.take_branch(v, kind, val, false, obj) {
                    failed = false;
                } else {
                    self.fails += 1;
                }
            }
        }
    }
}
