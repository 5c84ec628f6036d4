//! Exact integer division for the propagators and the branching midpoint (Rust's `/` truncates).

pub(super) fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}
pub(super) fn ceil_div(a: i128, b: i128) -> i128 {
    -floor_div(-a, b)
}
