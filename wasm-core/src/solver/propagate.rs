//! Propagation (pass 2 of 4): the queue drained constraint by constraint, a guarded constraint
//! disabling its guard once it can no longer hold, objective bounds, and the arithmetic
//! propagators (linear, product, ratio). The value-set and packing propagators are in
//! ./combinatorial.rs. TypeScript mirror: src/solve/reference/propagate.ts.

use super::arith::{ceil_div, floor_div};
use super::domains::{State, NONE, NO_BOUND};
use crate::model::*;

impl<'a> State<'a> {
    pub(super) fn propagate(&mut self) -> bool {
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
    pub(super) fn all_fixed(&self, c: usize) -> bool {
        self.cvars[c].iter().all(|&v| self.lo[v] == self.hi[v])
    }
    pub(super) fn prop(&mut self, c: usize) -> bool {
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

    pub(super) fn lin_bounds(&self, terms: &[(i64, usize)], sign: i128) -> (i128, i128) {
        let (mut mn, mut mx) = (0i128, 0i128);
        for &(a, v) in terms {
            let a = a as i128 * sign;
            let (p, q) = (a * self.lo[v] as i128, a * self.hi[v] as i128);
            mn += p.min(q);
            mx += p.max(q);
        }
        (mn, mx)
    }

    pub(super) fn violated(&self, c: usize) -> bool {
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
    pub(super) fn linear_le(&mut self, terms: &[(i64, usize)], rhs: i128, sign: i128) -> bool {
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

    pub(super) fn linear_ne(&mut self, terms: &[(i64, usize)], rhs: i128) -> bool {
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

    pub(super) fn product(&mut self, x: usize, y: usize, z: usize) -> bool {
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

    pub(super) fn prod_bounds(&self, vs: &[usize], skip: usize) -> (i128, i128) {
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
    pub(super) fn ratio(&mut self, ppm: i64, inp: usize, out: usize, muls: &[usize], divs: &[usize]) -> bool {
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
}
