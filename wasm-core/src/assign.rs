//! Rectangular assignment with forbidden pairs and a per-row no-match cost: the shortest
//! augmenting path Hungarian method (Jonker–Volgenant style potentials), O(n^2 (n + m)).
//! Row i may stay unmatched at `no_match` (a virtual column only row i can use).

pub struct Assignment {
    /// Column per row, or -1 when the row stays unmatched.
    pub cols: Vec<i64>,
    pub total: f64,
    pub feasible: bool,
}

/// `cost` is row-major n x m; non-finite entries are forbidden pairs. `no_match` = +inf means
/// every row must be matched.
pub fn assign(n: usize, m: usize, cost: &[f64], no_match: f64) -> Assignment {
    let inf = f64::INFINITY;
    let nc = m + n;
    let c = |i: usize, j: usize| -> f64 {
        if j < m {
            let x = cost[i * m + j];
            if x.is_finite() {
                x
            } else {
                inf
            }
        } else if j - m == i {
            no_match
        } else {
            inf
        }
    };
    let mut u = vec![0f64; n + 1];
    let mut v = vec![0f64; nc + 1];
    let mut p = vec![0usize; nc + 1];
    let mut way = vec![0usize; nc + 1];
    let mut minv = vec![inf; nc + 1];
    let mut used = vec![false; nc + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        for j in 0..=nc {
            minv[j] = inf;
            used[j] = false;
        }
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0usize;
            for j in 1..=nc {
                if !used[j] {
                    let cur = c(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            if !delta.is_finite() {
                return Assignment { cols: vec![-1; n], total: inf, feasible: false };
            }
            for j in 0..=nc {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut cols = vec![-1i64; n];
    for j in 1..=nc {
        if p[j] != 0 && j <= m {
            cols[p[j] - 1] = (j - 1) as i64;
        }
    }
    // Sum in row order so both engines add the same floats in the same order.
    let mut total = 0f64;
    for i in 0..n {
        total += if cols[i] >= 0 { cost[i * m + cols[i] as usize] } else { no_match };
    }
    Assignment { cols, total, feasible: true }
}
