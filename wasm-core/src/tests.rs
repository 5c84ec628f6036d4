//! Native unit tests: solver against exhaustive enumeration, explanations against brute
//! force, assignment against permutations.

use crate::assign::assign;
use crate::explain::explain;
use crate::model::*;
use crate::solver::*;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, seedable, no crates.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

fn var(lo: i64, hi: i64) -> Var {
    Var { lo, hi, hint: None, prefer_max: false, set: None }
}

fn random_problem(r: &mut Rng) -> Problem {
    let mut p = Problem::default();
    let n = r.int(2, 4) as usize;
    for _ in 0..n {
        let lo = r.int(-3, 3);
        p.vars.push(var(lo, lo + r.int(0, 5)));
    }
    let g = p.vars.len();
    p.vars.push(var(0, 1));
    for _ in 0..r.int(1, 3) {
        let kind = r.int(0, 5);
        let x = r.int(0, n as i64 - 1) as usize;
        let y = r.int(0, n as i64 - 1) as usize;
        let k = match kind {
            0 => Kind::Linear {
                op: r.int(0, 2),
                rhs: r.int(-4, 4),
                terms: (0..n).map(|v| (r.int(-3, 3), v)).collect(),
            },
            1 => Kind::Product { x, y, z: (x + 1) % n },
            2 => Kind::Modulo { x, m: r.int(1, 3), r: 0 },
            3 => Kind::AllDiff { vars: (0..n).collect() },
            4 => Kind::NoOverlap { starts: vec![x, y], lens: vec![r.int(0, 3), r.int(1, 3)] },
            _ => Kind::Table { vars: vec![x, y], tuples: (0..6).map(|_| r.int(-3, 6)).collect() },
        };
        let guard = if r.int(0, 3) == 0 { Some(g) } else { None };
        p.cons.push(Constraint { guard, kind: k });
    }
    if r.int(0, 1) == 1 {
        p.objs.push(Objective { maximize: r.int(0, 1) == 1, terms: (0..n).map(|v| (r.int(-2, 2), v)).collect() });
    }
    p
}

fn enumerate(p: &Problem) -> Option<Vec<i64>> {
    // Lexicographic optimum of the first objective by brute force; None if infeasible.
    let mut best: Option<i64> = None;
    let n = p.vars.len();
    let mut val: Vec<i64> = p.vars.iter().map(|v| v.lo).collect();
    loop {
        if p.cons.iter().all(|c| c.holds(&val)) {
            let o = p.objs.first().map(|o| {
                let s: i64 = o.terms.iter().map(|&(a, v)| a * val[v]).sum();
                if o.maximize {
                    -s
                } else {
                    s
                }
            });
            let o = o.unwrap_or(0);
            if best.map_or(true, |b| o < b) {
                best = Some(o);
            }
        }
        let mut i = 0;
        loop {
            if i == n {
                return best.map(|b| vec![b]);
            }
            if val[i] < p.vars[i].hi {
                val[i] += 1;
                break;
            }
            val[i] = p.vars[i].lo;
            i += 1;
        }
    }
}

#[test]
fn random_problems_match_enumeration() {
    let mut r = Rng(0x5eed_1234);
    for _ in 0..3000 {
        let p = random_problem(&mut r);
        let o = solve(&p, &[], true);
        let oracle = enumerate(&p);
        match oracle {
            None => assert_eq!(o.status, ST_INFEASIBLE, "{:?}", p),
            Some(b) => {
                assert_eq!(o.status, ST_OPTIMAL, "{:?}", p);
                let sol = o.solution.unwrap();
                assert!(p.cons.iter().all(|c| c.holds(&sol)));
                if let Some(obj) = p.objs.first() {
                    let s: i64 = obj.terms.iter().map(|&(a, v)| a * sol[v]).sum();
                    assert_eq!(if obj.maximize { -s } else { s }, b[0]);
                }
            }
        }
    }
}

#[test]
fn ratio_pll_like() {
    // 8 MHz * N / (M * P) = 168 MHz exactly, 8 MHz * N / (M * Q) = 48 MHz +- 0.25 %.
    let mut p = Problem::default();
    let c = |x: i64| var(x, x);
    p.vars = vec![c(8_000_000), var(2, 63), var(50, 432), var(2, 8), var(2, 15), c(168_000_000), c(48_000_000)];
    p.vars[3].set = Some(vec![2, 4, 6, 8]);
    p.cons.push(Constraint { guard: None, kind: Kind::Ratio { ppm: 0, inp: 0, out: 5, muls: vec![2], divs: vec![1, 3] } });
    p.cons.push(Constraint { guard: None, kind: Kind::Ratio { ppm: 2500, inp: 0, out: 6, muls: vec![2], divs: vec![1, 4] } });
    p.objs.push(Objective { maximize: false, terms: vec![(1, 1)] });
    let o = solve(&p, &[], true);
    assert_eq!(o.status, ST_OPTIMAL);
    let s = o.solution.unwrap();
    assert_eq!(8_000_000 * s[2] / (s[1] * s[3]), 168_000_000);
    assert_eq!(s[1], 2, "smallest M that works for 8 MHz");
}

#[test]
fn explanations_are_minimal_and_complete() {
    // x in 0..9; requirements: x >= 5, x <= 3, x == 7, x != 7, x <= 6.
    let mut p = Problem::default();
    p.vars.push(var(0, 9));
    let reqs: Vec<(i64, i64, i64)> = vec![(OP_LE, -1, -5), (OP_LE, 1, 3), (OP_EQ, 1, 7), (OP_NE, 1, 7), (OP_LE, 1, 6)];
    for (op, a, rhs) in reqs {
        let g = p.vars.len();
        p.vars.push(var(0, 1));
        p.reqs.push(g);
        p.cons.push(Constraint { guard: Some(g), kind: Kind::Linear { op, rhs, terms: vec![(a, 0)] } });
    }
    let e = explain(&p, true, 0);
    assert!(e.exact);
    let mut got = e.conflicts.clone();
    got.sort();
    // Brute-force every minimal infeasible subset.
    let n = p.reqs.len();
    let infeasible = |mask: usize| {
        let fix: Vec<(usize, i64)> = (0..n).map(|i| (p.reqs[i], ((mask >> i) & 1) as i64)).collect();
        solve(&p, &fix, false).status == ST_INFEASIBLE
    };
    let mut want = Vec::new();
    for mask in 0..(1usize << n) {
        if infeasible(mask) && (0..n).all(|i| mask >> i & 1 == 0 || !infeasible(mask & !(1 << i))) {
            want.push((0..n).filter(|&i| mask >> i & 1 == 1).collect::<Vec<_>>());
        }
    }
    want.sort();
    assert_eq!(got, want);
    assert_eq!(want.len(), 4);
}

#[test]
fn assignment_matches_permutations() {
    let mut r = Rng(99);
    for _ in 0..300 {
        let n = r.int(1, 5) as usize;
        let m = r.int(1, 5) as usize;
        let cost: Vec<f64> = (0..n * m).map(|_| if r.int(0, 6) == 0 { f64::INFINITY } else { r.int(0, 20) as f64 }).collect();
        let nm = r.int(5, 25) as f64;
        let a = assign(n, m, &cost, nm);
        // Brute force: each row picks a column or stays unmatched, columns used at most once.
        fn rec(i: usize, n: usize, m: usize, cost: &[f64], nm: f64, used: &mut Vec<bool>) -> f64 {
            if i == n {
                return 0.0;
            }
            let mut best = nm + rec(i + 1, n, m, cost, nm, used);
            for j in 0..m {
                if !used[j] && cost[i * m + j].is_finite() {
                    used[j] = true;
                    best = best.min(cost[i * m + j] + rec(i + 1, n, m, cost, nm, used));
                    used[j] = false;
                }
            }
            best
        }
        let want = rec(0, n, m, &cost, nm, &mut vec![false; m]);
        assert!(a.feasible);
        assert_eq!(a.total, want);
    }
}

#[test]
fn buffer_round_trip_and_errors() {
    use crate::buffer::*;
    let words = vec![MAGIC_PROBLEM, VERSION, 0, 0, 0, 0, 1, 1, 1, 0, 0, 10, 0, 0, K_LINEAR, -1, OP_EQ, 7, 1, 1, 0, 1, 1, 1, 0];
    let r = crate::run(&words);
    assert_eq!(r[1], ST_OPTIMAL);
    assert_eq!(r[8], 7);
    let mut bad = words.clone();
    bad.pop();
    assert_eq!(crate::run(&bad)[1], crate::ST_BAD_PROBLEM);
    let mut bad = words.clone();
    bad[20] = 5; // var index out of range
    let rr = crate::run(&bad);
    assert_eq!((rr[1], rr[2]), (crate::ST_BAD_PROBLEM, E_VAR_INDEX));
}
