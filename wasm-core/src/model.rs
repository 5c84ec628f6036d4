//! Problem model shared by the decoder, the solver and the explanation driver.

pub const OP_LE: i64 = 0;
pub const OP_EQ: i64 = 1;
pub const OP_NE: i64 = 2;

/// Variable flags (word after hi in the buffer).
pub const VF_HINT: i64 = 1;
pub const VF_PREFER_MAX: i64 = 2;
pub const VF_SET: i64 = 4;

#[derive(Clone, Debug)]
pub struct Var {
    pub lo: i64,
    pub hi: i64,
    pub hint: Option<i64>,
    pub prefer_max: bool,
    /// Explicit value set (sorted, deduplicated); the domain is lo..=hi restricted to it.
    pub set: Option<Vec<i64>>,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// sum(coef * var) op rhs
    Linear { op: i64, rhs: i64, terms: Vec<(i64, usize)> },
    /// z = x * y
    Product { x: usize, y: usize, z: usize },
    /// |inp * prod(muls) - out * prod(divs)| * 1e6 <= ppm * out * prod(divs); all vars >= 1.
    Ratio { ppm: i64, inp: usize, out: usize, muls: Vec<usize>, divs: Vec<usize> },
    /// (vars) must equal one of the tuples (flat, row-major). Element is a 2-ary table.
    Table { vars: Vec<usize>, tuples: Vec<i64> },
    /// x in vals (sorted, deduplicated)
    InSet { x: usize, vals: Vec<i64> },
    /// x mod m == r (Euclidean), m >= 1, 0 <= r < m
    Modulo { x: usize, m: i64, r: i64 },
    /// intervals [start, start + len) pairwise disjoint (len 0 intervals ignored)
    NoOverlap { starts: Vec<usize>, lens: Vec<i64> },
    /// item i goes into bin bins[i] (0-based); per-bin load <= cap; optional count var
    /// bounds every bin index from above (bins[i] < count) and carries the ceil(sum/cap) bound.
    BinPack { cap: i64, count: Option<usize>, bins: Vec<usize>, weights: Vec<i64> },
    AllDiff { vars: Vec<usize> },
}

pub const K_LINEAR: i64 = 1;
pub const K_PRODUCT: i64 = 2;
pub const K_RATIO: i64 = 3;
pub const K_TABLE: i64 = 4;
pub const K_INSET: i64 = 5;
pub const K_MODULO: i64 = 6;
pub const K_NOOVERLAP: i64 = 7;
pub const K_BINPACK: i64 = 8;
pub const K_ALLDIFF: i64 = 9;

#[derive(Clone, Debug)]
pub struct Constraint {
    /// Guard literal (a 0/1 variable): guard = 1 enforces the constraint, guard = 0 disables it.
    pub guard: Option<usize>,
    pub kind: Kind,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub maximize: bool,
    pub terms: Vec<(i64, usize)>,
}

pub const F_EXPLAIN: i64 = 1;
pub const F_EXPLAIN_ALL: i64 = 2;

#[derive(Clone, Debug, Default)]
pub struct Problem {
    pub flags: i64,
    pub max_nodes: u64,
    pub max_fails: u64,
    pub conflict_limit: u64,
    pub vars: Vec<Var>,
    pub cons: Vec<Constraint>,
    pub objs: Vec<Objective>,
    /// Guard variables of the named requirements, assumed true when solving.
    pub reqs: Vec<usize>,
}

impl Kind {
    pub fn vars(&self) -> Vec<usize> {
        match self {
            Kind::Linear { terms, .. } => terms.iter().map(|t| t.1).collect(),
            Kind::Product { x, y, z } => vec![*x, *y, *z],
            Kind::Ratio { inp, out, muls, divs, .. } => {
                let mut v = vec![*inp, *out];
                v.extend_from_slice(muls);
                v.extend_from_slice(divs);
                v
            }
            Kind::Table { vars, .. } => vars.clone(),
            Kind::InSet { x, .. } => vec![*x],
            Kind::Modulo { x, .. } => vec![*x],
            Kind::NoOverlap { starts, .. } => starts.clone(),
            Kind::BinPack { count, bins, .. } => {
                let mut v = bins.clone();
                if let Some(c) = count {
                    v.push(*c);
                }
                v
            }
            Kind::AllDiff { vars } => vars.clone(),
        }
    }

    /// Truth of the constraint under a complete assignment. The propagators are required to
    /// detect every violation once all their variables are fixed, so this is also the oracle
    /// the tests use to re-verify solutions.
    pub fn holds(&self, val: &[i64]) -> bool {
        match self {
            Kind::Linear { op, rhs, terms } => {
                let s: i128 = terms.iter().map(|&(a, v)| a as i128 * val[v] as i128).sum();
                let r = *rhs as i128;
                match *op {
                    OP_LE => s <= r,
                    OP_EQ => s == r,
                    _ => s != r,
                }
            }
            Kind::Product { x, y, z } => val[*x] as i128 * val[*y] as i128 == val[*z] as i128,
            Kind::Ratio { ppm, inp, out, muls, divs } => {
                let mut a = val[*inp] as i128;
                for &m in muls {
                    a *= val[m] as i128;
                }
                let mut d = val[*out] as i128;
                for &q in divs {
                    d *= val[q] as i128;
                }
                let diff = if a > d { a - d } else { d - a };
                diff * 1_000_000 <= *ppm as i128 * d
            }
            Kind::Table { vars, tuples } => {
                let k = vars.len();
                tuples.chunks(k).any(|t| t.iter().zip(vars.iter()).all(|(&tv, &v)| val[v] == tv))
            }
            Kind::InSet { x, vals } => vals.binary_search(&val[*x]).is_ok(),
            Kind::Modulo { x, m, r } => val[*x].rem_euclid(*m) == *r,
            Kind::NoOverlap { starts, lens } => {
                for i in 0..starts.len() {
                    for j in i + 1..starts.len() {
                        if lens[i] == 0 || lens[j] == 0 {
                            continue;
                        }
                        let (si, sj) = (val[starts[i]] as i128, val[starts[j]] as i128);
                        if si + (lens[i] as i128) > sj && sj + (lens[j] as i128) > si {
                            return false;
                        }
                    }
                }
                true
            }
            Kind::BinPack { cap, count, bins, weights } => {
                let mut load: Vec<i128> = Vec::new();
                for (i, &b) in bins.iter().enumerate() {
                    let bi = val[b];
                    if bi < 0 {
                        return false;
                    }
                    if let Some(c) = count {
                        if bi >= val[*c] {
                            return false;
                        }
                    }
                    let bi = bi as usize;
                    if load.len() <= bi {
                        load.resize(bi + 1, 0);
                    }
                    load[bi] += weights[i] as i128;
                }
                if let Some(c) = count {
                    let total: i128 = weights.iter().map(|&w| w as i128).sum();
                    if (val[*c] as i128) * (*cap as i128) < total {
                        return false;
                    }
                }
                load.iter().all(|&l| l <= *cap as i128)
            }
            Kind::AllDiff { vars } => {
                let mut v: Vec<i64> = vars.iter().map(|&x| val[x]).collect();
                v.sort();
                v.windows(2).all(|w| w[0] != w[1])
            }
        }
    }
}

impl Constraint {
    pub fn holds(&self, val: &[i64]) -> bool {
        if let Some(g) = self.guard {
            if val[g] == 0 {
                return true;
            }
        }
        self.kind.holds(val)
    }
}
