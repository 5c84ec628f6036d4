/**
 * The reference engine's propagators (pass 2 of 3): the queue drained constraint by constraint,
 * each kind narrowing the domains of its variables (./domains.ts), a guarded constraint disabling
 * its guard once it can no longer hold. Search (./solver.ts) extends it. Rust: propagate.rs and
 * combinatorial.rs in wasm-core/src/solver/.
 */
import { OP_EQ, OP_LE, holds, type ConstraintDef, type Kind, type Term } from '../model.ts';
import { bCeilDiv, bFloorDiv, bmax, bmin, ceilDiv, emod, floorDiv, has, lowerBound } from './arith.ts';
import { BITSET_SPAN, Domains, NO_BOUND } from './domains.ts';

export class Propagation extends Domains {
  // ---- propagation ----
  propagate(): boolean {
    while (this.qn > 0) {
      const c = this.dequeue();
      if (!this.prop(c)) {
        this.weight[c]!++;
        this.queueClear();
        return false;
      }
    }
    return true;
  }
  allFixed(c: number): boolean {
    return this.cvars[c]!.every((v) => this.lo[v] === this.hi[v]);
  }
  prop(c: number): boolean {
    if (c >= this.ncons) {
      const k = c - this.ncons;
      const rhs = this.objRhs[k]!;
      if (rhs === NO_BOUND) return true;
      return this.linearLe(this.objTerms[k]!, rhs, 1);
    }
    const con: ConstraintDef = this.p.constraints[c]!;
    if (con.guard !== null) {
      const g = con.guard;
      if (this.hi[g] === 0) return true;
      if (this.lo[g] === 0) {
        if (this.violated(c)) return this.setHi(g, 0);
        return true;
      }
    }
    const k = con.kind;
    switch (k.type) {
      case 'linear':
        if (k.op === OP_LE) return this.linearLe(k.terms, k.rhs, 1);
        if (k.op === OP_EQ) return this.linearLe(k.terms, k.rhs, 1) && this.linearLe(k.terms, -k.rhs, -1);
        return this.linearNe(k.terms, k.rhs);
      case 'product':
        return this.product(k.x, k.y, k.z);
      case 'ratio':
        return this.ratio(k.ppm, k.inp, k.out, k.muls, k.divs);
      case 'table':
        return this.table(k.vars, k.tuples);
      case 'inset':
        return this.inset(k.x, k.vals);
      case 'modulo':
        return this.modulo(k.x, k.m, k.r);
      case 'nooverlap':
        return this.nooverlap(k.starts, k.lens);
      case 'binpack':
        return this.binpack(k.cap, k.count, k.bins, k.weights);
      case 'alldiff':
        return this.alldiff(k.vars);
    }
  }
  linBounds(terms: readonly Term[], sign: number): [number, number] {
    let mn = 0;
    let mx = 0;
    for (const [a0, v] of terms) {
      const a = a0 * sign;
      const p = a * this.lo[v]!;
      const q = a * this.hi[v]!;
      mn += p < q ? p : q;
      mx += p > q ? p : q;
    }
    return [mn, mx];
  }
  violated(c: number): boolean {
    const k: Kind = this.p.constraints[c]!.kind;
    if (k.type === 'linear') {
      const [mn, mx] = this.linBounds(k.terms, 1);
      if (k.op === OP_LE) return mn > k.rhs;
      if (k.op === OP_EQ) return mn > k.rhs || mx < k.rhs;
      return mn === mx && mn === k.rhs;
    }
    if (!this.allFixed(c)) return false;
    return !holds(k, this.lo);
  }
  linearLe(terms: readonly Term[], rhs: number, sign: number): boolean {
    const [mn] = this.linBounds(terms, sign);
    if (mn > rhs) return false;
    for (const [a0, v] of terms) {
      const a = a0 * sign;
      if (a === 0) continue;
      const p = a * this.lo[v]!;
      const q = a * this.hi[v]!;
      const slack = rhs - (mn - (p < q ? p : q));
      const ok = a > 0 ? this.setHi(v, floorDiv(slack, a)) : this.setLo(v, ceilDiv(slack, a));
      if (!ok) return false;
    }
    return true;
  }
  linearNe(terms: readonly Term[], rhs: number): boolean {
    let sum = 0;
    let free: Term | null = null;
    for (const t of terms) {
      const [a, v] = t;
      if (this.fixed(v) || a === 0) sum += a * this.lo[v]!;
      else if (free !== null) return true;
      else free = t;
    }
    if (free === null) return sum !== rhs;
    const rest = rhs - sum;
    const [a, v] = free;
    return rest % a === 0 ? this.remove(v, rest / a) : true;
  }
  product(x: number, y: number, z: number): boolean {
    const xl = BigInt(this.lo[x]!);
    const xh = BigInt(this.hi[x]!);
    const yl = BigInt(this.lo[y]!);
    const yh = BigInt(this.hi[y]!);
    const c = [xl * yl, xl * yh, xh * yl, xh * yh];
    const mn = c.reduce(bmin);
    const mx = c.reduce(bmax);
    if (!this.setLoB(z, mn) || !this.setHiB(z, mx)) return false;
    if (xl >= 0n && yl >= 0n && this.lo[z]! >= 0) {
      const zl = BigInt(this.lo[z]!);
      const zh = BigInt(this.hi[z]!);
      if (yh > 0n && !this.setLoB(x, bCeilDiv(zl, yh))) return false;
      if (yl > 0n && !this.setHiB(x, bFloorDiv(zh, yl))) return false;
      const xl2 = BigInt(this.lo[x]!);
      const xh2 = BigInt(this.hi[x]!);
      if (xh2 > 0n && !this.setLoB(y, bCeilDiv(zl, xh2))) return false;
      if (xl2 > 0n && !this.setHiB(y, bFloorDiv(zh, xl2))) return false;
    }
    if (this.fixed(x) && this.fixed(y) && this.fixed(z)) return BigInt(this.lo[x]!) * BigInt(this.lo[y]!) === BigInt(this.lo[z]!);
    return true;
  }
  /** Bounds arrive as BigInt; clamp into the current domain before converting (exact). */
  setLoB(v: number, x: bigint): boolean {
    if (x <= BigInt(this.lo[v]!)) return true;
    if (x > BigInt(this.hi[v]!)) return false;
    return this.setLo(v, Number(x));
  }
  setHiB(v: number, x: bigint): boolean {
    if (x >= BigInt(this.hi[v]!)) return true;
    if (x < BigInt(this.lo[v]!)) return false;
    return this.setHi(v, Number(x));
  }
  prodBounds(vs: readonly number[], skip: number): [bigint, bigint] {
    let l = 1n;
    let h = 1n;
    for (let i = 0; i < vs.length; i++) {
      if (i === skip) continue;
      l *= BigInt(this.lo[vs[i]!]!);
      h *= BigInt(this.hi[vs[i]!]!);
    }
    return [l, h];
  }
  ratio(ppm: number, inp: number, out: number, muls: readonly number[], divs: readonly number[]): boolean {
    const a = [inp, ...muls];
    const d = [out, ...divs];
    const m = 1_000_000n;
    const kp = m + BigInt(ppm);
    const km = m - BigInt(ppm);
    for (let i = 0; i < a.length; i++) {
      const [ol, oh] = this.prodBounds(a, i);
      const [dl, dh] = this.prodBounds(d, -1);
      const v = a[i]!;
      if (!this.setHiB(v, bFloorDiv(kp * dh, m * ol)) || !this.setLoB(v, bCeilDiv(km * dl, m * oh))) return false;
    }
    for (let i = 0; i < d.length; i++) {
      const [al, ah] = this.prodBounds(a, -1);
      const [ol, oh] = this.prodBounds(d, i);
      const v = d[i]!;
      if (!this.setLoB(v, bCeilDiv(m * al, kp * oh)) || !this.setHiB(v, bFloorDiv(m * ah, km * ol))) return false;
    }
    const [al, ah] = this.prodBounds(a, -1);
    const [dl, dh] = this.prodBounds(d, -1);
    return !(m * al > kp * dh || km * dl > m * ah);
  }
  table(vars: readonly number[], tuples: readonly number[]): boolean {
    const k = vars.length;
    const sup: number[][] = vars.map(() => []);
    for (let t = 0; t < tuples.length; t += k) {
      let ok = true;
      for (let i = 0; i < k && ok; i++) ok = this.contains(vars[i]!, tuples[t + i]!);
      if (ok) for (let i = 0; i < k; i++) sup[i]!.push(tuples[t + i]!);
    }
    if (sup[0]!.length === 0) return false;
    for (let i = 0; i < k; i++) sup[i] = [...new Set(sup[i]!)].sort((x, y) => x - y);
    for (let i = 0; i < k; i++) {
      const v = vars[i]!;
      const s = sup[i]!;
      if (!this.setLo(v, s[0]!) || !this.setHi(v, s[s.length - 1]!)) return false;
      if (this.woff[v] !== -1) for (const x of this.members(v)) if (!has(s, x) && !this.remove(v, x)) return false;
    }
    return true;
  }
  inset(x: number, vals: readonly number[]): boolean {
    for (;;) {
      const i = lowerBound(vals, this.lo[x]!);
      if (i >= vals.length) return false;
      if (!this.setLo(x, vals[i]!)) return false;
      if (this.lo[x] === vals[i]) break;
    }
    for (;;) {
      const h = this.hi[x]!;
      const j = lowerBound(vals, h);
      const i = j < vals.length && vals[j] === h ? j : j - 1;
      if (i < 0) return false;
      if (!this.setHi(x, vals[i]!)) return false;
      if (this.hi[x] === vals[i]) break;
    }
    if (this.woff[x] !== -1) for (const y of this.members(x)) if (!has(vals, y) && !this.remove(x, y)) return false;
    return true;
  }
  modulo(x: number, m: number, r: number): boolean {
    for (;;) {
      const lo = this.lo[x]!;
      const up = lo + emod(r - lo, m);
      if (!this.setLo(x, up)) return false;
      if (this.lo[x] === up) break;
    }
    for (;;) {
      const hi = this.hi[x]!;
      const down = hi - emod(hi - r, m);
      if (!this.setHi(x, down)) return false;
      if (this.hi[x] === down) break;
    }
    if (this.woff[x] !== -1 && m > 1) for (const y of this.members(x)) if (emod(y, m) !== r && !this.remove(x, y)) return false;
    return true;
  }
  nooverlap(starts: readonly number[], lens: readonly number[]): boolean {
    const n = starts.length;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const li = lens[i]!;
        const lj = lens[j]!;
        if (li === 0 || lj === 0) continue;
        const si = starts[i]!;
        const sj = starts[j]!;
        const ij = this.lo[si]! + li <= this.hi[sj]!;
        const ji = this.lo[sj]! + lj <= this.hi[si]!;
        if (!ij && !ji) return false;
        if (!ij) {
          if (!this.setLo(si, this.lo[sj]! + lj) || !this.setHi(sj, this.hi[si]! - lj)) return false;
        } else if (!ji) {
          if (!this.setLo(sj, this.lo[si]! + li) || !this.setHi(si, this.hi[sj]! - li)) return false;
        }
        for (const [a, b, la, lb] of [
          [si, sj, li, lj],
          [sj, si, lj, li],
        ] as const) {
          if (this.fixed(a) && this.woff[b] !== -1 && la + lb <= 2 * BITSET_SPAN) {
            const s = this.lo[a]!;
            for (let y = s - lb + 1; y < s + la; y++) if (!this.remove(b, y)) return false;
          }
        }
      }
    return true;
  }
  binpack(cap: number, count: number | null, bins: readonly number[], weights: readonly number[]): boolean {
    const total = weights.reduce((s, w) => s + w, 0);
    if (count !== null) {
      if (cap === 0 && total > 0) return false;
      const lb = cap > 0 ? ceilDiv(total, cap) : 0;
      if (!this.setLo(count, lb)) return false;
      for (const b of bins) if (!this.setHi(b, this.hi[count]! - 1)) return false;
      let mx = -1;
      for (const b of bins) mx = Math.max(mx, this.lo[b]!);
      if (!this.setLo(count, mx + 1)) return false;
    }
    let nb = 0;
    for (const b of bins) nb = Math.max(nb, this.hi[b]! + 1);
    const load = new Array<number>(nb).fill(0);
    let unplaced = 0;
    let top = -1;
    bins.forEach((b, i) => {
      if (this.fixed(b)) load[this.lo[b]!]! += weights[i]!;
      else {
        unplaced += weights[i]!;
        top = Math.max(top, this.hi[b]!);
      }
    });
    if (load.some((l) => l > cap)) return false;
    if (unplaced > 0) {
      let free = 0;
      for (let k = 0; k <= top; k++) free += cap - load[k]!;
      if (free < unplaced) return false;
    }
    for (let i = 0; i < bins.length; i++) {
      const b = bins[i]!;
      if (this.fixed(b)) continue;
      const w = weights[i]!;
      for (const x of this.members(b)) if (load[x]! + w > cap && !this.remove(b, x)) return false;
    }
    return true;
  }
  alldiff(vars: readonly number[]): boolean {
    for (let i = 0; i < vars.length; i++) {
      const v = vars[i]!;
      if (this.fixed(v)) {
        const x = this.lo[v]!;
        for (let j = 0; j < vars.length; j++) if (j !== i && !this.remove(vars[j]!, x)) return false;
      }
    }
    let mn = Infinity;
    let mx = -Infinity;
    for (const v of vars) {
      mn = Math.min(mn, this.lo[v]!);
      mx = Math.max(mx, this.hi[v]!);
    }
    if (vars.length === 0) return true;
    return mx - mn + 1 >= vars.length;
  }
}
