//! The store (pass 1 of 4): variable domains as bounds plus an optional bitset, the trail that
//! undoes every change, and the FIFO queue of constraints to revisit with its per-variable watch
//! lists. Propagation (./propagate.rs, ./combinatorial.rs) and search (./search.rs) extend
//! `State`; TypeScript mirror: src/solve/reference/domains.ts.

use crate::model::*;
use std::collections::VecDeque;

/// Domains with a span up to this many values get a bitset so interior values can be removed.
pub const BITSET_SPAN: i64 = 4096;
/// An objective bound that is not active yet.
pub(super) const NO_BOUND: i128 = i128::MAX;
/// No bitset (woff), or no skipped index (prod_bounds).
pub(super) const NONE: usize = usize::MAX;

pub(super) struct State<'a> {
    pub(super) p: &'a Problem,
    pub(super) lo: Vec<i64>,
    pub(super) hi: Vec<i64>,
    pub(super) base: Vec<i64>,
    pub(super) woff: Vec<usize>,
    pub(super) words: Vec<u64>,
    /// (var, old lo, old hi) for var >= 0; (-(word index) - 1, old word, 0) for bitset words.
    pub(super) trail: Vec<(i64, i64, i64)>,
    pub(super) watch: Vec<Vec<usize>>,
    pub(super) cvars: Vec<Vec<usize>>,
    pub(super) queue: VecDeque<usize>,
    pub(super) inq: Vec<bool>,
    pub(super) weight: Vec<u64>,
    /// Right-hand side of the objective bound constraint k (sum <= rhs), NO_BOUND if inactive.
    pub(super) obj_rhs: Vec<i128>,
    /// Objectives normalised to minimisation.
    pub(super) obj_terms: Vec<Vec<(i64, usize)>>,
    pub(super) nodes: u64,
    pub(super) fails: u64,
}

impl<'a> State<'a> {
    pub(super) fn new(p: &'a Problem) -> State<'a> {
        let n = p.vars.len();
        let mut st = State {
            p,
            lo: Vec::with_capacity(n),
            hi: Vec::with_capacity(n),
            base: Vec::with_capacity(n),
            woff: Vec::with_capacity(n),
            words: Vec::new(),
            trail: Vec::new(),
            watch: vec![Vec::new(); n],
            cvars: Vec::new(),
            queue: VecDeque::new(),
            inq: Vec::new(),
            weight: Vec::new(),
            obj_rhs: vec![NO_BOUND; p.objs.len()],
            obj_terms: Vec::new(),
            nodes: 0,
            fails: 0,
        };
        for v in &p.vars {
            st.lo.push(v.lo);
            st.hi.push(v.hi);
            st.base.push(v.lo);
            let span = v.hi as i128 - v.lo as i128 + 1;
            if v.set.is_some() || span <= BITSET_SPAN as i128 {
                let nw = ((span + 63) / 64) as usize;
                let off = st.words.len();
                st.woff.push(off);
                match &v.set {
                    None => {
                        st.words.resize(off + nw, u64::MAX);
                        let extra = (nw as i128 * 64 - span) as u32;
                        if extra > 0 {
                            st.words[off + nw - 1] = u64::MAX >> extra;
                        }
                    }
                    Some(vals) => {
                        st.words.resize(off + nw, 0);
                        for &x in vals {
                            let k = (x - v.lo) as usize;
                            st.words[off + k / 64] |= 1u64 << (k % 64);
                        }
                    }
                }
            } else {
                st.woff.push(NONE);
            }
        }
        for (ci, c) in p.cons.iter().enumerate() {
            let mut vs = c.kind.vars();
            if let Some(g) = c.guard {
                vs.push(g);
            }
            vs.sort();
            vs.dedup();
            for &v in &vs {
                st.watch[v].push(ci);
            }
            st.cvars.push(vs);
        }
        for (k, o) in p.objs.iter().enumerate() {
            let terms: Vec<(i64, usize)> =
                o.terms.iter().map(|&(a, v)| (if o.maximize { -a } else { a }, v)).collect();
            let mut vs: Vec<usize> = terms.iter().map(|t| t.1).collect();
            vs.sort();
            vs.dedup();
            for &v in &vs {
                st.watch[v].push(p.cons.len() + k);
            }
            st.cvars.push(vs);
            st.obj_terms.push(terms);
        }
        let nc = p.cons.len() + p.objs.len();
        st.inq = vec![false; nc];
        st.weight = vec![0; nc];
        st
    }

    #[inline]
    pub(super) fn bit(&self, v: usize, x: i64) -> bool {
        let k = (x - self.base[v]) as usize;
        self.words[self.woff[v] + k / 64] >> (k % 64) & 1 == 1
    }
    pub(super) fn contains(&self, v: usize, x: i64) -> bool {
        x >= self.lo[v] && x <= self.hi[v] && (self.woff[v] == NONE || self.bit(v, x))
    }
    /// Smallest member >= x (x within lo..=hi), or None.
    pub(super) fn next_member(&self, v: usize, x: i64) -> Option<i64> {
        if self.woff[v] == NONE {
            return Some(x);
        }
        let hi = self.hi[v];
        let mut k = (x - self.base[v]) as usize;
        let last = (hi - self.base[v]) as usize;
        let off = self.woff[v];
        while k <= last {
            let w = self.words[off + k / 64] >> (k % 64);
            if w != 0 {
                let r = k + w.trailing_zeros() as usize;
                return if r <= last { Some(self.base[v] + r as i64) } else { None };
            }
            k = (k / 64 + 1) * 64;
        }
        None
    }
    pub(super) fn prev_member(&self, v: usize, x: i64) -> Option<i64> {
        if self.woff[v] == NONE {
            return Some(x);
        }
        let first = (self.lo[v] - self.base[v]) as i64;
        let mut k = (x - self.base[v]) as i64;
        let off = self.woff[v];
        while k >= first {
            let sh = 63 - (k % 64) as u32;
            let w = self.words[off + (k / 64) as usize] << sh;
            if w != 0 {
                let r = k - w.leading_zeros() as i64;
                return if r >= first { Some(self.base[v] + r) } else { None };
            }
            k = (k / 64) * 64 - 1;
        }
        None
    }
    pub(super) fn size(&self, v: usize) -> i128 {
        if self.woff[v] == NONE {
            return self.hi[v] as i128 - self.lo[v] as i128 + 1;
        }
        let a = (self.lo[v] - self.base[v]) as usize;
        let b = (self.hi[v] - self.base[v]) as usize;
        let off = self.woff[v];
        let mut n: u64 = 0;
        for wi in a / 64..=b / 64 {
            let mut w = self.words[off + wi];
            if wi == a / 64 {
                w &= u64::MAX << (a % 64);
            }
            if wi == b / 64 && b % 64 != 63 {
                w &= (1u64 << (b % 64 + 1)) - 1;
            }
            n += w.count_ones() as u64;
        }
        n as i128
    }
    pub(super) fn notify(&mut self, v: usize) {
        for i in 0..self.watch[v].len() {
            let c = self.watch[v][i];
            if !self.inq[c] {
                self.inq[c] = true;
                self.queue.push_back(c);
            }
        }
    }
    pub(super) fn set_lo(&mut self, v: usize, x: i128) -> bool {
        if x <= self.lo[v] as i128 {
            return true;
        }
        if x > self.hi[v] as i128 {
            return false;
        }
        let nl = match self.next_member(v, x as i64) {
            Some(y) => y,
            None => return false,
        };
        self.trail.push((v as i64, self.lo[v], self.hi[v]));
        self.lo[v] = nl;
        self.notify(v);
        true
    }
    pub(super) fn set_hi(&mut self, v: usize, x: i128) -> bool {
        if x >= self.hi[v] as i128 {
            return true;
        }
        if x < self.lo[v] as i128 {
            return false;
        }
        let nh = match self.prev_member(v, x as i64) {
            Some(y) => y,
            None => return false,
        };
        self.trail.push((v as i64, self.lo[v], self.hi[v]));
        self.hi[v] = nh;
        self.notify(v);
        true
    }
    pub(super) fn fix(&mut self, v: usize, x: i128) -> bool {
        self.set_lo(v, x) && self.set_hi(v, x)
    }
    /// Removes x; interior values of interval-only domains are kept (sound, weaker).
    pub(super) fn remove(&mut self, v: usize, x: i128) -> bool {
        if x < self.lo[v] as i128 || x > self.hi[v] as i128 {
            return true;
        }
        let x = x as i64;
        if x == self.lo[v] {
            return self.set_lo(v, x as i128 + 1);
        }
        if x == self.hi[v] {
            return self.set_hi(v, x as i128 - 1);
        }
        if self.woff[v] != NONE && self.bit(v, x) {
            let k = (x - self.base[v]) as usize;
            let wi = self.woff[v] + k / 64;
            self.trail.push((-(wi as i64) - 1, self.words[wi] as i64, 0));
            self.words[wi] &= !(1u64 << (k % 64));
            self.notify(v);
        }
        true
    }
    pub(super) fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            let (a, b, c) = self.trail.pop().unwrap();
            if a >= 0 {
                self.lo[a as usize] = b;
                self.hi[a as usize] = c;
            } else {
                self.words[(-a - 1) as usize] = b as u64;
            }
        }
    }
    pub(super) fn fixed(&self, v: usize) -> bool {
        self.lo[v] == self.hi[v]
    }
    /// Members of the domain (only called on bitset domains or small intervals).
    pub(super) fn members(&self, v: usize) -> Vec<i64> {
        let mut out = Vec::new();
        let mut x = self.lo[v];
        loop {
            match self.next_member(v, x) {
                Some(y) => {
                    out.push(y);
                    if y == self.hi[v] {
                        break;
                    }
                    x = y + 1;
                }
                None => break,
            }
        }
        out
    }

    // ---- the queue ------------------------------------------------------------------------

    pub(super) fn enqueue(&mut self, c: usize) {
        if !self.inq[c] {
            self.inq[c] = true;
            self.queue.push_back(c);
        }
    }
    pub(super) fn queue_clear(&mut self) {
        while let Some(d) = self.queue.pop_front() {
            self.inq[d] = false;
        }
    }
}
