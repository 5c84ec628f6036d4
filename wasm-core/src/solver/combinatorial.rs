//! Propagation, continued (pass 3 of 4): table, in-set, modulo, no-overlap, bin-packing and
//! all-different, each pruning bounds and, on bitset domains, interior values. Called from the
//! dispatch in ./propagate.rs; TypeScript mirror: src/solve/reference/propagate.ts.

use super::arith::ceil_div;
use super::domains::{State, BITSET_SPAN, NONE};

impl<'a> State<'a> {
    pub(super) fn table(&mut self, vars: &[usize], tuples: &[i64]) -> bool {
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

    pub(super) fn inset(&mut self, x: usize, vals: &[i64]) -> bool {
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

    pub(super) fn modulo(&mut self, x: usize, m: i64, r: i64) -> bool {
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

    pub(super) fn nooverlap(&mut self, starts: &[usize], lens: &[i64]) -> bool {
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

    pub(super) fn binpack(&mut self, cap: i64, count: Option<usize>, bins: &[usize], weights: &[i64]) -> bool {
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

    pub(super) fn alldiff(&mut self, vars: &[usize]) -> bool {
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
}
