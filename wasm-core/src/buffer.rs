//! Little-endian problem/result buffers (every field is one i64 word; see docs/solver.md).

use crate::model::*;

pub const MAGIC_PROBLEM: i64 = 0x3150_4453; // "SDP1"
pub const MAGIC_RESULT: i64 = 0x3152_4453; // "SDR1"
pub const MAGIC_BATCH: i64 = 0x3142_4453; // "SDB1"
pub const VERSION: i64 = 1;

pub const E_TRUNCATED: i64 = 1;
pub const E_MAGIC: i64 = 2;
pub const E_VAR_INDEX: i64 = 3;
pub const E_DOMAIN: i64 = 4;
pub const E_KIND: i64 = 5;
pub const E_PARAM: i64 = 6;
pub const E_OVERFLOW: i64 = 7;
pub const E_TRAILING: i64 = 8;

/// Largest magnitude allowed for a product of ratio factors or a linear activity, so that
/// every intermediate of the propagators fits in i128 with room for the 1e6 scale.
const BIG: i128 = 1i128 << 100;
/// Largest explicit-set span turned into a bitset.
const MAX_SET_SPAN: i64 = 1 << 20;

pub struct Err {
    pub code: i64,
    pub at: i64,
}

struct Rd<'a> {
    w: &'a [i64],
    i: usize,
}
impl<'a> Rd<'a> {
    fn next(&mut self) -> Result<i64, Err> {
        if self.i >= self.w.len() {
            return Err(Err { code: E_TRUNCATED, at: self.i as i64 });
        }
        self.i += 1;
        Ok(self.w[self.i - 1])
    }
    fn err(&self, code: i64) -> Err {
        Err { code, at: self.i as i64 }
    }
    fn count(&mut self) -> Result<usize, Err> {
        let n = self.next()?;
        if n < 0 || n as usize > self.w.len() {
            return Err(self.err(E_TRUNCATED));
        }
        Ok(n as usize)
    }
    fn var(&mut self, nv: usize) -> Result<usize, Err> {
        let v = self.next()?;
        if v < 0 || v as usize >= nv {
            return Err(self.err(E_VAR_INDEX));
        }
        Ok(v as usize)
    }
    fn opt_var(&mut self, nv: usize) -> Result<Option<usize>, Err> {
        let v = self.next()?;
        if v == -1 {
            return Ok(None);
        }
        if v < 0 || v as usize >= nv {
            return Err(self.err(E_VAR_INDEX));
        }
        Ok(Some(v as usize))
    }
}

fn mag(v: &Var) -> i128 {
    (v.lo as i128).abs().max((v.hi as i128).abs())
}

pub fn decode(w: &[i64]) -> Result<Problem, Err> {
    let mut r = Rd { w, i: 0 };
    if r.next()? != MAGIC_PROBLEM || r.next()? != VERSION {
        return Err(Err { code: E_MAGIC, at: 0 });
    }
    let mut p = Problem::default();
    p.flags = r.next()?;
    let mn = r.next()?;
    let mf = r.next()?;
    let cl = r.next()?;
    if mn < 0 || mf < 0 || cl < 0 {
        return Err(r.err(E_PARAM));
    }
    p.max_nodes = mn as u64;
    p.max_fails = mf as u64;
    p.conflict_limit = cl as u64;
    let nv = r.count()?;
    let nc = r.count()?;
    let no = r.count()?;
    let nr = r.count()?;
    for _ in 0..nv {
        let lo = r.next()?;
        let hi = r.next()?;
        let flags = r.next()?;
        let hint = r.next()?;
        if lo > hi {
            return Err(r.err(E_DOMAIN));
        }
        let mut set = None;
        if flags & VF_SET != 0 {
            let n = r.count()?;
            let mut vals = Vec::with_capacity(n);
            for _ in 0..n {
                let x = r.next()?;
                if x >= lo && x <= hi {
                    vals.push(x);
                }
            }
            vals.sort();
            vals.dedup();
            if vals.is_empty() || vals[vals.len() - 1] - vals[0] > MAX_SET_SPAN {
                return Err(r.err(E_DOMAIN));
            }
            set = Some(vals);
        }
        let (lo, hi) = match &set {
            Some(v) => (v[0], v[v.len() - 1]),
            None => (lo, hi),
        };
        p.vars.push(Var { lo, hi, hint: if flags & VF_HINT != 0 { Some(hint) } else { None }, prefer_max: flags & VF_PREFER_MAX != 0, set });
    }
    let bool_var = |p: &Problem, v: usize| p.vars[v].lo >= 0 && p.vars[v].hi <= 1;
    for _ in 0..nc {
        let kind = r.next()?;
        let guard = r.opt_var(nv)?;
        if let Some(g) = guard {
            if !bool_var(&p, g) {
                return Err(r.err(E_DOMAIN));
            }
        }
        let k = match kind {
            K_LINEAR => {
                let op = r.next()?;
                let rhs = r.next()?;
                let n = r.count()?;
                if !(OP_LE..=OP_NE).contains(&op) {
                    return Err(r.err(E_PARAM));
                }
                let mut terms = Vec::with_capacity(n);
                let mut act: i128 = (rhs as i128).abs();
                for _ in 0..n {
                    let a = r.next()?;
                    let v = r.var(nv)?;
                    if (a as i128).abs() > (1i128 << 62) {
                        return Err(r.err(E_OVERFLOW));
                    }
                    act += (a as i128).abs() * mag(&p.vars[v]);
                    if act > BIG {
                        return Err(r.err(E_OVERFLOW));
                    }
                    terms.push((a, v));
                }
                Kind::Linear { op, rhs, terms }
            }
            K_PRODUCT => {
                let x = r.var(nv)?;
                let y = r.var(nv)?;
                let z = r.var(nv)?;
                Kind::Product { x, y, z }
            }
            K_RATIO => {
                let ppm = r.next()?;
                if !(0..1_000_000).contains(&ppm) {
                    return Err(r.err(E_PARAM));
                }
                let inp = r.var(nv)?;
                let out = r.var(nv)?;
                let nm = r.count()?;
                let mut muls = Vec::new();
                for _ in 0..nm {
                    muls.push(r.var(nv)?);
                }
                let nd = r.count()?;
                let mut divs = Vec::new();
                for _ in 0..nd {
                    divs.push(r.var(nv)?);
                }
                for side in [&muls, &divs] {
                    let first = if std::ptr::eq(side, &muls) { inp } else { out };
                    let mut prod: i128 = 1;
                    for &v in std::iter::once(&first).chain(side.iter()) {
                        if p.vars[v].lo < 1 {
                            return Err(r.err(E_DOMAIN));
                        }
                        prod = prod.saturating_mul(p.vars[v].hi as i128);
                        if prod > BIG {
                            return Err(r.err(E_OVERFLOW));
                        }
                    }
                }
                Kind::Ratio { ppm, inp, out, muls, divs }
            }
            K_TABLE => {
                let k = r.count()?;
                let t = r.count()?;
                if k == 0 {
                    return Err(r.err(E_PARAM));
                }
                let mut vars = Vec::new();
                for _ in 0..k {
                    vars.push(r.var(nv)?);
                }
                if t.saturating_mul(k) > w.len() {
                    return Err(r.err(E_TRUNCATED));
                }
                let mut tuples = Vec::with_capacity(t * k);
                for _ in 0..t * k {
                    tuples.push(r.next()?);
                }
                Kind::Table { vars, tuples }
            }
            K_INSET => {
                let x = r.var(nv)?;
                let n = r.count()?;
                let mut vals = Vec::new();
                for _ in 0..n {
                    vals.push(r.next()?);
                }
                vals.sort();
                vals.dedup();
                Kind::InSet { x, vals }
            }
            K_MODULO => {
                let x = r.var(nv)?;
                let m = r.next()?;
                let rr = r.next()?;
                if m < 1 || rr < 0 || rr >= m {
                    return Err(r.err(E_PARAM));
                }
                Kind::Modulo { x, m, r: rr }
            }
            K_NOOVERLAP => {
                let n = r.count()?;
                let mut starts = Vec::new();
                let mut lens = Vec::new();
                for _ in 0..n {
                    let s = r.var(nv)?;
                    let l = r.next()?;
                    if !(0..=(1i64 << 40)).contains(&l) {
                        return Err(r.err(E_PARAM));
                    }
                    starts.push(s);
                    lens.push(l);
                }
                Kind::NoOverlap { starts, lens }
            }
            K_BINPACK => {
                let cap = r.next()?;
                let count = r.opt_var(nv)?;
                let n = r.count()?;
                if !(0..=(1i64 << 40)).contains(&cap) {
                    return Err(r.err(E_PARAM));
                }
                let mut bins = Vec::new();
                let mut weights = Vec::new();
                for _ in 0..n {
                    let b = r.var(nv)?;
                    let wt = r.next()?;
                    if !(0..=(1i64 << 40)).contains(&wt) || p.vars[b].lo < 0 || p.vars[b].hi >= 4096 {
                        return Err(r.err(E_PARAM));
                    }
                    bins.push(b);
                    weights.push(wt);
                }
                Kind::BinPack { cap, count, bins, weights }
            }
            K_ALLDIFF => {
                let n = r.count()?;
                let mut vars = Vec::new();
                for _ in 0..n {
                    vars.push(r.var(nv)?);
                }
                Kind::AllDiff { vars }
            }
            _ => return Err(r.err(E_KIND)),
        };
        p.cons.push(Constraint { guard, kind: k });
    }
    for _ in 0..no {
        let sense = r.next()?;
        let n = r.count()?;
        if sense != 0 && sense != 1 {
            return Err(r.err(E_PARAM));
        }
        let mut terms = Vec::new();
        let mut act: i128 = 0;
        for _ in 0..n {
            let a = r.next()?;
            let v = r.var(nv)?;
            act += (a as i128).abs() * mag(&p.vars[v]);
            if (a as i128).abs() > (1i128 << 62) || act > (1i128 << 62) {
                return Err(r.err(E_OVERFLOW));
            }
            terms.push((a, v));
        }
        p.objs.push(Objective { maximize: sense == 1, terms });
    }
    for _ in 0..nr {
        let g = r.var(nv)?;
        if !bool_var(&p, g) {
            return Err(r.err(E_DOMAIN));
        }
        p.reqs.push(g);
    }
    if r.i != w.len() {
        return Err(r.err(E_TRAILING));
    }
    Ok(p)
}

pub fn words_from_le(bytes: &[u8]) -> Vec<i64> {
    bytes
        .chunks_exact(8)
        .map(|c| i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}
