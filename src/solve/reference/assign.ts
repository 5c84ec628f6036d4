/**
 * Reference of wasm-core/src/assign.rs: shortest augmenting path Hungarian method with
 * potentials on an n x (m + n) matrix, where virtual column m + i is "row i unmatched".
 * Same loop order and strict comparisons as the Rust code, so ties resolve identically.
 */
export interface AssignRaw {
  cols: number[];
  total: number;
  feasible: boolean;
}

export function assignRef(n: number, m: number, cost: ArrayLike<number>, noMatch: number): AssignRaw {
  const inf = Number.POSITIVE_INFINITY;
  const nc = m + n;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(nc + 1);
  const p = new Int32Array(nc + 1);
  const way = new Int32Array(nc + 1);
  const minv = new Float64Array(nc + 1);
  const used = new Uint8Array(nc + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(inf);
    used.fill(0);
    for (;;) {
      used[j0] = 1;
      const i0 = p[j0]!;
      const row = (i0 - 1) * m;
      const ui = u[i0]!;
      let delta = inf;
      let j1 = 0;
      for (let j = 1; j <= nc; j++) {
        if (used[j] === 0) {
          let c: number;
          if (j <= m) {
            c = cost[row + j - 1]!;
            if (!Number.isFinite(c)) c = inf;
          } else c = j - 1 - m === i0 - 1 ? noMatch : inf;
          const cur = c - ui - v[j]!;
          if (cur < minv[j]!) {
            minv[j] = cur;
            way[j] = j0;
          }
          if (minv[j]! < delta) {
            delta = minv[j]!;
            j1 = j;
          }
        }
      }
      if (!Number.isFinite(delta)) return { cols: new Array<number>(n).fill(-1), total: inf, feasible: false };
      for (let j = 0; j <= nc; j++) {
        if (used[j] === 1) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
      if (p[j0] === 0) break;
    }
    for (;;) {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
      if (j0 === 0) break;
    }
  }
  const cols = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) cols[p[j]! - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += cols[i]! >= 0 ? cost[i * m + cols[i]!]! : noMatch;
  return { cols, total, feasible: true };
}
