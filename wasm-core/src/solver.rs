//! Finite-domain search: trail-based domains, FIFO propagation queue with per-variable watch
//! lists, dom/wdeg branching, lexicographic branch-and-bound and node/fail budgets.
//!
//! The TypeScript reference (src/solve/reference/) mirrors this file step for step — same
//! queue order, same tie-breaks — so the differential tests can demand identical results.

use crate::model::*;
use std::collections::VecDeque;

pub const ST_OPTIMAL: i64 = 0;
pub const ST_FEASIBLE: i64 = 1;
pub const ST_INFEASIBLE: i64 = 2;
pub const ST_UNKNOWN: i64 = 3;

/// Domains with a span up to this many values get a bitset so interior values can be removed.
pub const BITSET_SPAN: i64 = 4096;
/// Interval domains larger than this are bisected instead of enumerated.
const SPLIT_SIZE: i128 = 64;
const NO_BOUND: i128 = i128::MAX;

pub struct Outcome {
    pub status: i64,
    pub solution: Option<Vec<i64>>,
    pub objectives: Vec<i64>,
    pub nodes: u64,
    pub fails: u64,
}

fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}
fn ceil_div(a: i128, b: i128) -> i128 {
    -floor_div(-a, b)
}

struct State<'a> {
    p: &'a Problem,
    lo: Vec<i64>,
    hi: Vec<i64>,
    base: Vec<i64>,
    woff: Vec<usize>,
    words: Vec<u64>,
    /// (var, old lo, old hi) for var >= 0; (-(word index) - 1, old word, 0) for bitset words.
    trail: Vec<(i64, i64, i64)>,
    watch: Vec<Vec<usize>>,
    cvars: Vec<Vec<usize>>,
    queue: VecDeque<usize>,
    inq: Vec<bool>,
    weight: Vec<u64>,
    /// Right-hand side of the objective bound constraint k (sum <= rhs), NO_BOUND if inactive.
    obj_rhs: Vec<i128>,
    /// Objectives normalised to minimisation.
    obj_terms: Vec<Vec<(i64, usize)>>,
    nodes: u64,
    fails: u64,
}

const NONE: usize = usize::MAX;

impl<'a> State<'a> {
    fn new(p: &'a Problem) -> State<'a> {
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

    // ---- domains ----------------------------------------------------------------------

    #[inline]
    fn bit(&self, v: usize, x: i64) -> bool {
        let k = (x - self.base[v]) as usize;
        self.words[self.woff[v] + k / 64] >> (k % 64) & 1 == 1
    }
    fn contains(&self, v: usize, x: i64) -> bool {
        x >= self.lo[v] && x <= self.hi[v] && (self.woff[v] == NONE || self.bit(v, x))
    }
    /// Smallest member >= x (x within lo..=hi), or None.
    fn next_member(&self, v: usize, x: i64) -> Option<i64> {
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
    fn prev_member(&self, v: usize, x: i64) -> Option<i64> {
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
    fn size(&self, v: usize) -> i128 {
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
    fn notify(&mut self, v: usize) {
        for i in 0..self.watch[v].len() {
            let c = self.watch[v][i];
            if !self.inq[c] {
                self.inq[c] = true;
                self.queue.push_back(c);
            }
        }
    }
    fn set_lo(&mut self, v: usize, x: i128) -> bool {
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
    fn set_hi(&mut self, v: usize, x: i128) -> bool {
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
    fn fix(&mut self, v: usize, x: i128) -> bool {
        self.set_lo(v, x) && self.set_hi(v, x)
    }
    /// Removes x; interior values of interval-only domains are kept (sound, weaker).
    fn remove(&mut self, v: usize, x: i128) -> bool {
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
    fn undo(&mut self, mark: usize) {
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
    fn fixed(&self, v: usize) -> bool {
        self.lo[v] == self.hi[v]
    }
    /// Members of the domain (only called on bitset domains or small intervals).
    fn members(&self, v: usize) -> Vec<i64> {
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

    // ---- propagation --------------------------------------------------------------------

    fn enqueue(&mut self, c: usize) {
        if !self.inq[c] {
            self.inq[c] = true;
            self.queue.push_back(c);
        }
    }
    fn propagate(&mut self) -> bool {
        while let Some(c) = self.queue.pop_front() {
            self.inq[c] = false;
            if !self.prop(c) {
                self.weight[c] += 1;
                while let Some(d) = self.queue.pop_front() {
                    self.inq[d] = false;
                }
                return false;
            }
        }
        true
    }
    fn all_fixed(&self, c: usize) -> bool {
        self.cvars[c].iter().all(|&v| self.lo[v] == self.hi[v])
    }
    fn prop(&mut self, c: usize) -> bool {
        let p = self.p;
        if c >= p.cons.len() {
            let k = c - p.cons.len();
            let rhs = self.obj_rhs[k];
            if rhs == NO_BOUND {
                return true;
            }
            let terms = std::mem::take(&mut self.obj_terms[k]);
            let ok = self.linear_le(&terms, rhs, 1);
            self.obj_terms[k] = terms;
            return ok;
        }
        let con = &p.cons[c];
        if let Some(g) = con.guard {
            if self.hi[g] == 0 {
                return true;
            }
            if self.lo[g] == 0 {
                // Undecided guard: only detect that the constraint can no longer hold.
                if self.violated(c) {
                    return self.set_hi(g, 0);
                }
                return true;
            }
        }
        match &con.kind {
            Kind::Linear { op, rhs, terms } => match *op {
                OP_LE => self.linear_le(terms, *rhs as i128, 1),
                OP_EQ => self.linear_le(terms, *rhs as i128, 1) && self.linear_le(terms, -(*rhs as i128), -1),
                _ => self.linear_ne(terms, *rhs as i128),
            },
            Kind::Product { x, y, z } => self.product(*x, *y, *z),
            Kind::Ratio { ppm, inp, out, muls, divs } => self.ratio(*ppm, *inp, *out, muls, divs),
            Kind::Table { vars, tuples } => self.table(vars, tuples),
            Kind::InSet { x, vals } => self.inset(*x, vals),
            Kind::Modulo { x, m, r } => self.modulo(*x, *m, *r),
            Kind::NoOverlap { starts, lens } => self.nooverlap(starts, lens),
            Kind::BinPack { cap, count, bins, weights } => self.binpack(*cap, *count, bins, weights),
            Kind::AllDiff { vars } => self.alldiff(vars),
        }
    }

    fn lin_bounds(&self, terms: &[(i64, usize)], sign: i128) -> (i128, i128) {
        let (mut mn, mut mx) = (0i128, 0i128);
        for &(a, v) in terms {
            let a = a as i128 * sign;
            let (p, q) = (a * self.lo[v] as i128, a * self.hi[v] as i128);
            mn += p.min(q);
            mx += p.max(q);
        }
        (mn, mx)
    }

    fn violated(&self, c: usize) -> bool {
        match &self.p.cons[c].kind {
            Kind::Linear { op, rhs, terms } => {
                let (mn, mx) = self.lin_bounds(terms, 1);
                let r = *rhs as i128;
                match *op {
                    OP_LE => mn > r,
                    OP_EQ => mn > r || mx < r,
                    _ => mn == mx && mn == r,
                }
            }
            k => {
                if !self.all_fixed(c) {
                    return false;
                }
                let vals = &self.lo;
                !k.holds(vals)
            }
        }
    }

    /// sign * sum(a * x) <= rhs
    fn linear_le(&mut self, terms: &[(i64, usize)], rhs: i128, sign: i128) -> bool {
        let (mn, _) = self.lin_bounds(terms, sign);
        if mn > rhs {
            return false;
        }
        for &(a, v) in terms {
            let a = a as i128 * sign;
            if a == 0 {
                continue;
            }
            let own = (a * self.lo[v] as i128).min(a * self.hi[v] as i128);
            let slack = rhs - (mn - own);
            let ok = if a > 0 { self.set_hi(v, floor_div(slack, a)) } else { self.set_lo(v, ceil_div(slack, a)) };
            if !ok {
                return false;
            }
        }
        true
    }

    fn linear_ne(&mut self, terms: &[(i64, usize)], rhs: i128) -> bool {
        let mut sum = 0i128;
        let mut free: Option<(i64, usize)> = None;
        for &(a, v) in terms {
            if self.fixed(v) || a == 0 {
                sum += a as i128 * self.lo[v] as i128;
            } else if free.is_some() {
                return true;
            } else {
                free = Some((a, v));
            }
        }
        match free {
            None => sum != rhs,
            Some((a, v)) => {
                let rest = rhs - sum;
                if rest % a as i128 == 0 {
                    self.remove(v, rest / a as i128)
                } else {
                    true
                }
            }
        }
    }

    fn product(&mut self, x: usize, y: usize, z: usize) -> bool {
        let (xl, xh, yl, yh) = (self.lo[x] as i128, self.hi[x] as i128, self.lo[y] as i128, self.hi[y] as i128);
        let c = [xl * yl, xl * yh, xh * yl, xh * yh];
        let mn = *c.iter().min().unwrap();
        let mx = *c.iter().max().unwrap();
        if !self.set_lo(z, mn) || !self.set_hi(z, mx) {
            return false;
        }
        // Backward reasoning only on non-negative domains, where division bounds are monotone.
        if xl >= 0 && yl >= 0 && self.lo[z] >= 0 {
            let (zl, zh) = (self.lo[z] as i128, self.hi[z] as i128);
            if yh > 0 && !self.set_lo(x, ceil_div(zl, yh)) {
                return false;
            }
            if yl > 0 && !self.set_hi(x, floor_div(zh, yl)) {
                return false;
            }
            let (xl, xh) = (self.lo[x] as i128, self.hi[x] as i128);
            if xh > 0 && !self.set_lo(y, ceil_div(zl, xh)) {
                return false;
            }
            if xl > 0 && !self.set_hi(y, floor_div(zh, xl)) {
                return false;
            }
        }
        if self.fixed(x) && self.fixed(y) && self.fixed(z) {
            return self.lo[x] as i128 * self.lo[y] as i128 == self.lo[z] as i128;
        }
        true
    }

    fn prod_bounds(&self, vs: &[usize], skip: usize) -> (i128, i128) {
        let (mut l, mut h) = (1i128, 1i128);
        for (i, &v) in vs.iter().enumerate() {
            if i != skip {
                l *= self.lo[v] as i128;
                h *= self.hi[v] as i128;
            }
        }
        (l, h)
    }

    /// A = inp * prod(muls), D = out * prod(divs):  1e6*A <= (1e6+ppm)*D  and  (1e6-ppm)*D <= 1e6*A.
    fn ratio(&mut self, ppm: i64, inp: usize, out: usize, muls: &[usize], divs: &[usize]) -> bool {
        let mut a: Vec<usize> = Vec::with_capacity(muls.len() + 1);
        a.push(inp);
        a.extend_from_slice(muls);
        let mut d: Vec<usize> = Vec::with_capacity(divs.len() + 1);
        d.push(out);
        d.extend_from_slice(divs);
        let m = 1_000_000i128;
        let kp = m + ppm as i128;
        let km = m - ppm as i128;
        for i in 0..a.len() {
            let (ol, oh) = self.prod_bounds(&a, i);
            let (dl, dh) = self.prod_bounds(&d, NONE);
            let v = a[i];
            if !self.set_hi(v, floor_div(kp * dh, m * ol)) || !self.set_lo(v, ceil_div(km * dl, m * oh)) {
                return false;
            }
        }
        for i in 0..d.len() {
            let (al, ah) = self.prod_bounds(&a, NONE);
            let (ol, oh) = self.prod_bounds(&d, i);
            let v = d[i];
            if !self.set_lo(v, ceil_div(m * al, kp * oh)) || !self.set_hi(v, floor_div(m * ah, km * ol)) {
                return false;
            }
        }
        let (al, ah) = self.prod_bounds(&a, NONE);
        let (dl, dh) = self.prod_bounds(&d, NONE);
        // Complete check: fails as soon as even the most favourable corner is out of tolerance.
        !(m * al > kp * dh || km * dl > m * ah)
    }

    fn table(&mut self, vars: &[usize], tuples: &[i64]) -> bool {
        let k = vars.len();
        let mut sup: Vec<Vec<i64>> = vec![Vec::new(); k];
        for t in tuples.chunks(k) {
            if (0..k).all(|i| self.contains(vars[i], t[i])) {
                for i in 0..k {
                    sup[i].push(t[i]);
                }
            }
        }
        if sup[0].is_empty() {
            return false;
        }
        for i in 0..k {
            let s = &mut sup[i];
            s.sort();
            s.dedup();
        }
        for i in 0..k {
            let v = vars[i];
            let s = &sup[i];
            if !self.set_lo(v, s[0] as i128) || !self.set_hi(v, s[s.len() - 1] as i128) {
                return false;
            }
            if self.woff[v] != NONE {
                for x in self.members(v) {
                    if s.binary_search(&x).is_err() && !self.remove(v, x as i128) {
                        return false;
                    }
                }
            }
        }
        true
    }

    fn inset(&mut self, x: usize, vals: &[i64]) -> bool {
        // Alternate between the set and the domain until both bounds are common members.
        loop {
            let lo = self.lo[x];
            let i = match vals.binary_search(&lo) {
                Ok(i) => i,
                Err(i) => i,
            };
            if i >= vals.len() {
                return false;
            }
            if !self.set_lo(x, vals[i] as i128) {
                return false;
            }
            if self.lo[x] == vals[i] {
                break;
            }
        }
        loop {
            let hi = self.hi[x];
            let i = match vals.binary_search(&hi) {
                Ok(i) => i as i64,
                Err(i) => i as i64 - 1,
            };
            if i < 0 {
                return false;
            }
            if !self.set_hi(x, vals[i as usize] as i128) {
                return false;
            }
            if self.hi[x] == vals[i as usize] {
                break;
            }
        }
        if self.woff[x] != NONE {
            for y in self.members(x) {
                if vals.binary_search(&y).is_err() && !self.remove(x, y as i128) {
                    return false;
                }
            }
        }
        true
    }

    fn modulo(&mut self, x: usize, m: i64, r: i64) -> bool {
        let (m, r) = (m as i128, r as i128);
        loop {
            let lo = self.lo[x] as i128;
            let up = lo + (r - lo).rem_euclid(m);
            if !self.set_lo(x, up) {
                return false;
            }
            if self.lo[x] as i128 == up {
                break;
            }
        }
        loop {
            let hi = self.hi[x] as i128;
            let down = hi - (hi - r).rem_euclid(m);
            if !self.set_hi(x, down) {
                return false;
            }
            if self.hi[x] as i128 == down {
                break;
            }
        }
        if self.woff[x] != NONE && m > 1 {
            for y in self.members(x) {
                if (y as i128).rem_euclid(m) != r && !self.remove(x, y as i128) {
                    return false;
                }
            }
        }
        true
    }

    fn nooverlap(&mut self, starts: &[usize], lens: &[i64]) -> bool {
        let n = starts.len();
        for i in 0..n {
            for j in i + 1..n {
                let (li, lj) = (lens[i] as i128, lens[j] as i128);
                if li == 0 || lj == 0 {
                    continue;
                }
                let (si, sj) = (starts[i], starts[j]);
                let ij = self.lo[si] as i128 + li <= self.hi[sj] as i128;
                let ji = self.lo[sj] as i128 + lj <= self.hi[si] as i128;
                if !ij && !ji {
                    return false;
                }
                if !ij {
                    if !self.set_lo(si, self.lo[sj] as i128 + lj) || !self.set_hi(sj, self.hi[si] as i128 - lj) {
                        return false;
                    }
                } else if !ji {
                    if !self.set_lo(sj, self.lo[si] as i128 + li) || !self.set_hi(si, self.hi[sj] as i128 - li) {
                        return false;
                    }
                }
                // A fixed interval punches a hole into the other start's bitset domain.
                for &(a, b, la, lb) in &[(si, sj, li, lj), (sj, si, lj, li)] {
                    if self.fixed(a) && self.woff[b] != NONE && la + lb <= 2 * BITSET_SPAN as i128 {
                        let s = self.lo[a] as i128;
                        let mut y = s - lb + 1;
                        while y < s + la {
                            if !self.remove(b, y) {
                                return false;
                            }
                            y += 1;
                        }
                    }
                }
            }
        }
        true
    }

    fn binpack(&mut self, cap: i64, count: Option<usize>, bins: &[usize], weights: &[i64]) -> bool {
        let cap = cap as i128;
        let total: i128 = weights.iter().map(|&w| w as i128).sum();
        if let Some(c) = count {
            // L1 lower bound: at least ceil(total / cap) bins; every index below the count.
            let lb = if cap > 0 { ceil_div(total, cap) } else if total > 0 { i128::MAX } else { 0 };
            if lb == i128::MAX {
                return false;
            }
            if !self.set_lo(c, lb) {
                return false;
            }
            for &b in bins {
                if !self.set_hi(b, self.hi[c] as i128 - 1) {
                    return false;
                }
            }
            let mx = bins.iter().map(|&b| self.lo[b] as i128).max().unwrap_or(-1);
            if !self.set_lo(c, mx + 1) {
                return false;
            }
        }
        let nb = bins.iter().map(|&b| self.hi[b]).max().unwrap_or(-1) + 1;
        let mut load = vec![0i128; nb.max(0) as usize];
        let mut unplaced = 0i128;
        let mut top = -1i64;
        for (i, &b) in bins.iter().enumerate() {
            if self.fixed(b) {
                load[self.lo[b] as usize] += weights[i] as i128;
            } else {
                unplaced += weights[i] as i128;
                top = top.max(self.hi[b]);
            }
        }
        if load.iter().any(|&l| l > cap) {
            return false;
        }
        // Capacity argument: the free room of every bin still reachable must hold the rest.
        if unplaced > 0 {
            let free: i128 = (0..=top as usize).map(|k| cap - load[k]).sum();
            if free < unplaced {
                return false;
            }
        }
        for (i, &b) in bins.iter().enumerate() {
            if self.fixed(b) {
                continue;
            }
            let w = weights[i] as i128;
            for x in self.members(b) {
                if load[x as usize] + w > cap && !self.remove(b, x as i128) {
                    return false;
                }
            }
        }
        true
    }

    fn alldiff(&mut self, vars: &[usize]) -> bool {
        for i in 0..vars.len() {
            let v = vars[i];
            if self.fixed(v) {
                let x = self.lo[v] as i128;
                for (j, &w) in vars.iter().enumerate() {
                    if j != i && !self.remove(w, x) {
                        return false;
                    }
                }
            }
        }
        // Pigeonhole on the union of the bounds.
        let mn = vars.iter().map(|&v| self.lo[v] as i128).min().unwrap_or(0);
        let mx = vars.iter().map(|&v| self.hi[v] as i128).max().unwrap_or(-1);
        mx - mn + 1 >= vars.len() as i128
    }

    // ---- search --------------------------------------------------------------------------

    fn choose(&self) -> Option<usize> {
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
    fn branch(&self, v: usize) -> (u8, i64) {
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

    fn apply(&mut self, v: usize, kind: u8, val: i64, left: bool) -> bool {
        let x = val as i128;
        match (kind, left) {
            (0, true) => self.fix(v, x),
            (0, false) => self.remove(v, x),
            (1, true) | (2, false) => self.set_hi(v, x),
            _ => self.set_lo(v, x + 1),
        }
    }

    fn budget_hit(&self) -> bool {
        (self.p.max_nodes > 0 && self.nodes >= self.p.max_nodes) || (self.p.max_fails > 0 && self.fails >= self.p.max_fails)
    }

    fn obj_value(&self, k: usize) -> i128 {
        self.obj_terms[k].iter().map(|&(a, v)| a as i128 * self.lo[v] as i128).sum()
    }

    /// Depth-first search from the current (propagated) root. With `obj` = Some(k) every
    /// solution tightens objective bound k and the search continues; otherwise it stops at the
    /// first solution. Returns (found, complete).
    fn dfs(&mut self, obj: Option<usize>, best: &mut Option<Vec<i64>>) -> (bool, bool) {
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
                    self.nodes += 1;
                    let mut ok = self.apply(v, kind, val, true);
                    if ok {
                        if let Some(k) = obj {
                            self.enqueue(self.p.cons.len() + k);
                        }
                        ok = self.propagate();
                    } else {
                        self.queue_clear();
                    }
                    if !ok {
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
                self.nodes += 1;
                let mut ok = self.apply(v, kind, val, false);
                if ok {
                    if let Some(k) = obj {
                        self.enqueue(self.p.cons.len() + k);
                    }
                    ok = self.propagate();
                } else {
                    self.queue_clear();
                }
                if ok {
                    failed = false;
                } else {
                    self.fails += 1;
                }
            }
        }
    }

    fn queue_clear(&mut self) {
        while let Some(d) = self.queue.pop_front() {
            self.inq[d] = false;
        }
    }
}

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
