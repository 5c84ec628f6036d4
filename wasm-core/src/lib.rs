//! specdrive-core: finite-domain constraint solver, minimal-conflict explanations and an
//! assignment kernel, exported to WebAssembly through plain `extern "C"` functions over
//! little-endian buffers (no bindgen, no glue). Layout: docs/solver.md.

pub mod assign;
pub mod buffer;
pub mod explain;
pub mod model;
pub mod solver;

use buffer::*;
use model::*;
use solver::*;

pub const ST_BAD_PROBLEM: i64 = 4;

/// Solves one problem buffer (as words) into one result buffer (as words).
pub fn run(words: &[i64]) -> Vec<i64> {
    let mut out = vec![MAGIC_RESULT];
    let p = match decode(words) {
        Ok(p) => p,
        Err(e) => {
            out.extend_from_slice(&[ST_BAD_PROBLEM, e.code, e.at, 0, 0, 0, 0, 0, 0, 1]);
            return out;
        }
    };
    let all_on: Vec<(usize, i64)> = p.reqs.iter().map(|&g| (g, 1)).collect();
    let o = solve(&p, &all_on, true);
    let mut ex = None;
    let mut nodes = o.nodes;
    if o.status == ST_INFEASIBLE && p.flags & (F_EXPLAIN | F_EXPLAIN_ALL) != 0 {
        let e = explain::explain(&p, p.flags & F_EXPLAIN_ALL != 0, p.conflict_limit);
        nodes += e.nodes;
        ex = Some(e);
    }
    out.extend_from_slice(&[o.status, 0, 0, nodes as i64, o.fails as i64]);
    match &o.solution {
        Some(s) => {
            out.push(1);
            out.push(s.len() as i64);
            out.extend_from_slice(s);
        }
        None => out.extend_from_slice(&[0, 0]),
    }
    out.push(o.objectives.len() as i64);
    out.extend_from_slice(&o.objectives);
    match ex {
        None => out.extend_from_slice(&[0, 1]),
        Some(e) => {
            out.push(e.conflicts.len() as i64);
            out.push(e.exact as i64);
            for c in &e.conflicts {
                out.push(c.len() as i64);
                out.extend(c.iter().map(|&i| i as i64));
            }
        }
    }
    out
}

/// Batch: MAGIC_BATCH, count, then per problem (length in words, words). The result is
/// count, then per result (length, words).
pub fn run_batch(words: &[i64]) -> Vec<i64> {
    if words.len() < 2 || words[0] != MAGIC_BATCH || words[1] < 0 {
        return vec![-1];
    }
    let n = words[1] as usize;
    let mut out = vec![0i64];
    let mut i = 2usize;
    let mut done = 0i64;
    for _ in 0..n {
        if i >= words.len() {
            break;
        }
        let len = words[i];
        if len < 0 || i + 1 + len as usize > words.len() {
            break;
        }
        let r = run(&words[i + 1..i + 1 + len as usize]);
        out.push(r.len() as i64);
        out.extend_from_slice(&r);
        i += 1 + len as usize;
        done += 1;
    }
    out[0] = done;
    out
}

// ---- wasm boundary --------------------------------------------------------------------------

static mut RESULT: Vec<u64> = Vec::new();

fn words_at(ptr: *const u8, len: usize) -> Vec<i64> {
    // Safety: the host wrote `len` bytes at `ptr`, a block it got from sd_alloc.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    words_from_le(bytes)
}

fn publish(words: Vec<i64>) -> i32 {
    let n = words.len();
    // Safety: single-threaded wasm instance; RESULT is only touched by these exports.
    unsafe {
        RESULT = words.into_iter().map(|w| (w as u64).to_le()).collect();
    }
    n as i32
}

/// Allocates `len` bytes, 8-byte aligned, for the host to write a buffer into.
#[no_mangle]
pub extern "C" fn sd_alloc(len: usize) -> *mut u8 {
    let mut v: Vec<u64> = Vec::with_capacity((len + 7) / 8 + 1);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p as *mut u8
}

/// Frees a block from sd_alloc (same len).
#[no_mangle]
pub unsafe extern "C" fn sd_free(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr as *mut u64, 0, (len + 7) / 8 + 1));
}

/// Solves a problem buffer; returns the result length in words (read via sd_result_ptr).
#[no_mangle]
pub extern "C" fn sd_solve(ptr: *const u8, len: usize) -> i32 {
    publish(run(&words_at(ptr, len)))
}

#[no_mangle]
pub extern "C" fn sd_solve_batch(ptr: *const u8, len: usize) -> i32 {
    publish(run_batch(&words_at(ptr, len)))
}

/// Assignment: f64 words [n, m, no_match, costs n*m row-major]; result f64 words
/// [feasible, total, col per row (-1 = unmatched)]. Returns the result length or -1.
#[no_mangle]
pub extern "C" fn sd_assign(ptr: *const u8, len: usize) -> i32 {
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    let f: Vec<f64> = bytes.chunks_exact(8).map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect();
    if f.len() < 3 || !(f[0] >= 0.0) || !(f[1] >= 0.0) {
        return -1;
    }
    let (n, m) = (f[0] as usize, f[1] as usize);
    if f.len() != 3 + n * m {
        return -1;
    }
    let a = assign::assign(n, m, &f[3..], f[2]);
    let mut out: Vec<f64> = vec![if a.feasible { 1.0 } else { 0.0 }, a.total];
    out.extend(a.cols.iter().map(|&c| c as f64));
    let n = out.len();
    unsafe {
        RESULT = out.into_iter().map(|x| x.to_bits().to_le()).collect();
    }
    n as i32
}

#[no_mangle]
pub extern "C" fn sd_result_ptr() -> *const u8 {
    unsafe { RESULT.as_ptr() as *const u8 }
}

/// Version of the buffer format, so the loader can refuse a stale module.
#[no_mangle]
pub extern "C" fn sd_version() -> i32 {
    VERSION as i32
}

#[cfg(test)]
mod tests;
