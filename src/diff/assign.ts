/**
 * Minimum-cost assignment with a no-match option: the Hungarian algorithm (Kuhn–Munkres with
 * potentials, O(r²·c)) over an r × (c + r) matrix whose extra columns mean "row left unmatched".
 *
 * Why the extra columns: leaving an old node and a new node both unmatched costs 2·u; pairing them
 * costs `cost`. Subtracting u from every pair cost and charging u per unmatched row gives the same
 * optimum on a matrix the classic algorithm accepts (rows ≤ columns), without inventing dummy rows.
 *
 * This is the TypeScript implementation the diff uses; src/solve did not export an `assign()` when the
 * diff was integrated (see docs/decisions-diff.md).
 */
export const NOT_A_CANDIDATE = Number.POSITIVE_INFINITY;

/**
 * `cost[i * cols + j]` is the cost of pairing row i with column j (∞ when not a candidate).
 * Returns, for each row, its column or -1 when pairing it costs more than `noMatchCost` per side.
 */
export function assignWithNoMatch(cost: Float64Array, rows: number, cols: number, noMatchCost: number): Int32Array {
  const result = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return result;
  const width = cols + rows;
  const BIG = 1e9;
  const at = (i: number, j: number): number => {
    if (j < cols) {
      const c = cost[i * cols + j]!;
      return Number.isFinite(c) ? c - noMatchCost : BIG;
    }
    return j - cols === i ? noMatchCost : BIG;
  };
  // 1-based potentials and matching, as in the textbook formulation.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(width + 1);
  const p = new Int32Array(width + 1);
  const way = new Int32Array(width + 1);
  const minv = new Float64Array(width + 1);
  const used = new Uint8Array(width + 1);
  for (let i = 1; i <= rows; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= width; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= width; j++) {
        if (used[j]) {
          const row = p[j]!;
          u[row] = u[row]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= cols; j++) {
    const i = p[j]!;
    if (i > 0 && Number.isFinite(cost[(i - 1) * cols + (j - 1)]!)) result[i - 1] = j - 1;
  }
  return result;
}
