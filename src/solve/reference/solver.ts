/**
 * Pure-TypeScript reference engine: the same algorithms as wasm-core/src/solver.rs, mirrored
 * step for step (same FIFO queue order, same dom/wdeg tie-breaks, same branching), so the
 * differential tests can require identical status, objective values and search counts.
 * Bounds are JS numbers (the builder restricts them to safe integers); ratio and product
 * reasoning uses BigInt where the Rust code uses i128.
 */
import {
  OP_EQ,
  OP_LE,
  ST_FEASIBLE,
  ST_INFEASIBLE,
  ST_OPTIMAL,
  ST_UNKNOWN,
  holds,
  kindVars,
  type ConstraintDef,
  type Kind,
  type ProblemDef,
  type Term,
} from '../model.ts';

export const BITSET_SPAN = 4096;
const SPLIT_SIZE = 64;
const NO_BOUND = Number.POSITIVE_INFINITY;

export interface Outcome {
  status: number;
  solution: number[] | null;
  objectives: number[];
  nodes: number;
  fails: number;
}

export function floorDiv(a: number, b: number): number {
  // Math.floor(a / b) can be off by one once |a| nears 2^53; correct with the exact remainder.
  const q = Math.floor(a / b);
  const r = a - q * b;
  if (b > 0) {
    if (r < 0) return q - 1;
    if (r >= b) return q + 1;
  } else {
    if (r > 0) return q - 1;
    if (r <= b) return q + 1;
  }
  return q;
}
export const ceilDiv = (a: number, b: number): number => -floorDiv(-a, b);
function bFloorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
const bCeilDiv = (a: bigint, b: bigint): bigint => -bFloorDiv(-a, b);
const bmin = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const bmax = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const emod = (a: number, m: number): number => ((a % m) + m) % m;

function ctz(w: number): number {
  return 31 - Math.clz32(w & -w);
}
function popcount(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
/** Index of the first element >= x in a sorted array. */
function lowerBound(a: readonly number[], x: number): number {
  let l = 0;
  let h = a.length;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m]! < x) l = m + 1;
    else h = m;
  }
  return l;
}
const has = (a: readonly number[], x: number): boolean => {
  const i = lowerBound(a, x);
  return i < a.length && a[i] === x;
};

class State {
  readonly lo: number[] = [];
  readonly hi: number[] = [];
  readonly base: number[] = [];
  readonly woff: number[] = [];
  words: Uint32Array;
  readonly trail: number[] = [];
  readonly watch: number[][];
  readonly cvars: number[][] = [];
  readonly queue: Int32Array;
  qh = 0;
  qt = 0;
  qn = 0;
  readonly inq: Uint8Array;
  readonly weight: Float64Array;
  readonly objRhs: number[];
  readonly objTerms: Term[][] = [];
  nodes = 0;
  fails = 0;
  readonly ncons: number;

  constructor(readonly p: ProblemDef) {
    const n = p.vars.length;
    this.watch = Array.from({ length: n }, () => []);
    const words: number[] = [];
    for (const v of p.vars) {
      this.lo.push(v.lo);
      this.hi.push(v.hi);
      this.base.push(v.lo);
      const span = v.hi - v.lo + 1;
      if (v.values !== null || span <= BITSET_SPAN) {
        const nw = Math.ceil(span / 32);
        const off = words.length;
        this.woff.push(off);
        if (v.values === null) {
          for (let i = 0; i < nw; i++) words.push(0xffffffff);
          const extra = nw * 32 - span;
          if (extra > 0) words[off + nw - 1] = 0xffffffff >>> extra;
        } else {
          for (let i = 0; i < nw; i++) words.push(0);
          for (const x of v.values) {
            const k = x - v.lo;
            words[off + (k >>> 5)] = (words[off + (k >>> 5)]! | (1 << (k & 31))) >>> 0;
          }
        }
      } else this.woff.push(-1);
    }
    this.words = Uint32Array.from(words);
    this.ncons = p.constraints.length;
    p.constraints.forEach((c, ci) => {
      const vs = kindVars(c.kind);
      if (c.guard !== null) vs.push(c.guard);
      const u = [...new Set(vs)].sort((a, b) => a - b);
      for (const v of u) this.watch[v]!.push(ci);
      this.cvars.push(u);
    });
    p.objectives.forEach((o, k) => {
      const terms: Term[] = o.terms.map(([a, v]) => [o.maximize ? -a : a, v] as const);
      const u = [...new Set(terms.map((t) => t[1]))].sort((a, b) => a - b);
      for (const v of u) this.watch[v]!.push(this.ncons + k);
      this.cvars.push(u);
      this.objTerms.push(terms);
    });
    const nc = this.ncons + p.objectives.length;
    this.queue = new Int32Array(nc + 1);
    this.inq = new Uint8Array(nc);
    this.weight = new Float64Array(nc);
    this.objRhs = p.objectives.map(() => NO_BOUND);
  }

  // ---- domains ----
  bit(v: number, x: number): boolean {
    const k = x - this.base[v]!;
    return ((this.words[this.woff[v]! + (k >>> 5)]! >>> (k & 31)) & 1) === 1;
  }
  contains(v: number, x: number): boolean {
    return x >= this.lo[v]! && x <= this.hi[v]! && (this.woff[v] === -1 || this.bit(v, x));
  }
  nextMember(v: number, x: number): number | null {
    const off = this.woff[v]!;
    if (off === -1) return x;
    const base = this.base[v]!;
    let k = x - base;
    const last = this.hi[v]! - base;
    while (k <= last) {
      const w = this.words[off + (k >>> 5)]! >>> (k & 31);
      if (w !== 0) {
        const r = k + ctz(w);
        return r <= last ? base + r : null;
      }
      k = ((k >>> 5) + 1) << 5;
    }
    return null;
  }
  prevMember(v: number, x: number): number | null {
    const off = this.woff[v]!;
    if (off === -1) return x;
    const base = this.base[v]!;
    const first = this.lo[v]! - base;
    let k = x - base;
    while (k >= first) {
      const w = (this.words[off + (k >>> 5)]! << (31 - (k & 31))) >>> 0;
      if (w !== 0) {
        const r = k - Math.clz32(w);
        return r >= first ? base + r : null;
      }
      k = ((k >>> 5) << 5) - 1;
    }
    return null;
  }
  size(v: number): number {
    const off = this.woff[v]!;
    if (off === -1) return this.hi[v]! - this.lo[v]! + 1;
    const a = this.lo[v]! - this.base[v]!;
    const b = this.hi[v]! - this.base[v]!;
    let n = 0;
    for (let wi = a >>> 5; wi <= b >>> 5; wi++) {
      let w = this.words[off + wi]!;
      if (wi === a >>> 5) w = (w & (0xffffffff << (a & 31))) >>> 0;
      if (wi === b >>> 5 && (b & 31) !== 31) w = (w & ((1 << ((b & 31) + 1)) - 1)) >>> 0;
      n += popcount(w);
    }
    return n;
  }
  enqueue(c: number): void {
    if (this.inq[c] === 0) {
      this.inq[c] = 1;
      this.queue[this.qt] = c;
      this.qt = this.qt + 1 === this.queue.length ? 0 : this.qt + 1;
      this.qn++;
    }
  }
  dequeue(): number {
    const c = this.queue[this.qh]!;
    this.qh = this.qh + 1 === this.queue.length ? 0 : this.qh + 1;
    this.qn--;
    this.inq[c] = 0;
    return c;
  }
  queueClear(): void {
    while (this.qn > 0) this.dequeue();
  }
  notify(v: number): void {
    for (const c of this.watch[v]!) this.enqueue(c);
  }
  setLo(v: number, x: number): boolean {
    if (x <= this.lo[v]!) return true;
    if (x > this.hi[v]!) return false;
    const nl = this.nextMember(v, x);
    if (nl === null) return false;
    this.trail.push(v, this.lo[v]!, this.hi[v]!);
    this.lo[v] = nl;
    this.notify(v);
    return true;
  }
  setHi(v: number, x: number): boolean {
    if (x >= this.hi[v]!) return true;
    if (x < this.lo[v]!) return false;
    const nh = this.prevMember(v, x);
    if (nh === null) return false;
    this.trail.push(v, this.lo[v]!, this.hi[v]!);
    this.hi[v] = nh;
    this.notify(v);
    return true;
  }
  fix(v: number, x: number): boolean {
    return this.setLo(v, x) && this.setHi(v, x);
  }
  remove(v: number, x: number): boolean {
    if (x < this.lo[v]! || x > this.hi[v]!) return true;
    if (x === this.lo[v]) return this.setLo(v, x + 1);
    if (x === this.hi[v]) return this.setHi(v, x - 1);
    if (this.woff[v] !== -1 && this.bit(v, x)) {
      const k = x - this.base[v]!;
      const wi = this.woff[v]! + (k >>> 5);
      this.trail.push(-wi - 1, this.words[wi]!, 0);
      this.words[wi] = (this.words[wi]! & ~(1 << (k & 31))) >>> 0;
      this.notify(v);
    }
    return true;
  }
  undo(mark: number): void {
    const t = this.trail;
    while (t.length > mark) {
      const c = t.pop()!;
      const b = t.pop()!;
      const a = t.pop()!;
      if (a >= 0) {
        this.lo[a] = b;
        this.hi[a] = c;
      } else this.words[-a - 1] = b;
    }
  }
  fixed(v: number): boolean {
    return this.lo[v] === this.hi[v];
  }
  members(v: number): number[] {
    const out: number[] = [];
    let x = this.lo[v]!;
    for (;;) {
      const y = this.nextMember(v, x);
      if (y === null) break;
      out.push(y);
      if (y === this.hi[v]) break;
      x = y + 1;
    }
    return out;
  }

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

  // ---- search ----
  choose(): number {
    let best = -1;
    let bestScore = 0;
    for (let v = 0; v < this.lo.length; v++) {
      if (this.lo[v] === this.hi[v]) continue;
      let w = 1;
      for (const c of this.watch[v]!) w += this.weight[c]!;
      const score = this.size(v) / w;
      if (best === -1 || score < bestScore) {
        best = v;
        bestScore = score;
      }
    }
    return best;
  }
  branch(v: number): [number, number] {
    const h = this.p.vars[v]!.hint;
    if (h !== null && this.contains(v, h)) return [0, h];
    const pm = this.p.vars[v]!.preferMax;
    if (this.woff[v] === -1 && this.hi[v]! - this.lo[v]! > SPLIT_SIZE) {
      const mid = this.lo[v]! + floorDiv(this.hi[v]! - this.lo[v]!, 2);
      return [pm ? 2 : 1, mid];
    }
    return [0, pm ? this.hi[v]! : this.lo[v]!];
  }
  apply(v: number, kind: number, val: number, left: boolean): boolean {
    if (kind === 0) return left ? this.fix(v, val) : this.remove(v, val);
    if ((kind === 1 && left) || (kind === 2 && !left)) return this.setHi(v, val);
    return this.setLo(v, val + 1);
  }
  budgetHit(): boolean {
    return (this.p.maxNodes > 0 && this.nodes >= this.p.maxNodes) || (this.p.maxFails > 0 && this.fails >= this.p.maxFails);
  }
  objValue(k: number, sol: readonly number[]): number {
    let s = 0;
    for (const [a, v] of this.objTerms[k]!) s += a * sol[v]!;
    return s;
  }
  dfs(obj: number, best: { sol: number[] | null }): [boolean, boolean] {
    // Decision stack as parallel arrays: var, kind, value, trail mark, left?
    const sv: number[] = [];
    const sk: number[] = [];
    const sx: number[] = [];
    const sm: number[] = [];
    const sl: boolean[] = [];
    let found = false;
    for (;;) {
      let failed = false;
      if (this.budgetHit()) return [found, false];
      const v = this.choose();
      if (v === -1) {
        found = true;
        best.sol = this.lo.slice();
        if (obj < 0) return [true, true];
        this.objRhs[obj] = this.objValue(obj, this.lo) - 1;
        failed = true;
      } else {
        const [kind, val] = this.branch(v);
        sv.push(v);
        sk.push(kind);
        sx.push(val);
        sm.push(this.trail.length);
        sl.push(true);
        this.nodes++;
        let ok = this.apply(v, kind, val, true);
        if (ok) {
          if (obj >= 0) this.enqueue(this.ncons + obj);
          ok = this.propagate();
        } else this.queueClear();
        if (!ok) {
          this.fails++;
          failed = true;
        }
      }
      while (failed) {
        if (sv.length === 0) return [found, true];
        const v2 = sv.pop()!;
        const kind = sk.pop()!;
        const val = sx.pop()!;
        const mark = sm.pop()!;
        const left = sl.pop()!;
        this.undo(mark);
        if (!left) continue;
        if (this.budgetHit()) return [found, false];
        sv.push(v2);
        sk.push(kind);
        sx.push(val);
        sm.push(mark);
        sl.push(false);
        this.nodes++;
        let ok = this.apply(v2, kind, val, false);
        if (ok) {
          if (obj >= 0) this.enqueue(this.ncons + obj);
          ok = this.propagate();
        } else this.queueClear();
        if (ok) failed = false;
        else this.fails++;
      }
    }
  }
}

export function solveRef(p: ProblemDef, fixings: readonly (readonly [number, number])[], optimise: boolean): Outcome {
  const st = new State(p);
  const out: Outcome = { status: ST_INFEASIBLE, solution: null, objectives: [], nodes: 0, fails: 0 };
  let ok = true;
  for (const [v, x] of fixings)
    if (!st.fix(v, x)) {
      ok = false;
      break;
    }
  if (ok) {
    for (let c = 0; c < p.constraints.length; c++) st.enqueue(c);
    ok = st.propagate();
  } else st.queueClear();
  if (!ok) return out;
  const nobj = optimise ? p.objectives.length : 0;
  const best: { sol: number[] | null } = { sol: null };
  const root = st.trail.length;
  if (nobj === 0) {
    const [found, complete] = st.dfs(-1, best);
    out.status = found ? ST_OPTIMAL : complete ? ST_INFEASIBLE : ST_UNKNOWN;
  } else {
    out.status = ST_OPTIMAL;
    for (let k = 0; k < nobj; k++) {
      let found: boolean;
      let complete: boolean;
      if (best.sol !== null) {
        // Later phases start from the incumbent: only strictly better solutions count.
        st.objRhs[k] = st.objValue(k, best.sol) - 1;
        for (let j = 0; j <= k; j++) st.enqueue(p.constraints.length + j);
        if (st.propagate()) [found, complete] = st.dfs(k, best);
        else [found, complete] = [false, true];
      } else [found, complete] = st.dfs(k, best);
      if (!complete) {
        out.status = best.sol !== null ? ST_FEASIBLE : ST_UNKNOWN;
        break;
      }
      if (!found && k === 0) {
        out.status = ST_INFEASIBLE;
        break;
      }
      st.undo(root);
      st.objRhs[k] = st.objValue(k, best.sol!);
    }
  }
  out.nodes = st.nodes;
  out.fails = st.fails;
  if (best.sol !== null && out.status !== ST_INFEASIBLE && out.status !== ST_UNKNOWN) {
    const sol = best.sol;
    out.objectives = p.objectives.map((o) => o.terms.reduce((s, [a, v]) => s + a * sol[v]!, 0));
    out.solution = sol;
  }
  return out;
}
