/**
 * The reference engine's store (pass 1 of 3): variable domains as bounds plus a bitset, the trail
 * that undoes them, and the FIFO queue of constraints to revisit. Propagation (./propagate.ts) and
 * search (./solver.ts) extend it. Rust: wasm-core/src/solver/domains.rs.
 */
import { kindVars, type ProblemDef, type Term } from '../model.ts';
import { ctz, popcount } from './arith.ts';

/** Domains spanning at most this many values keep a bitset (larger ones are bounds only). */
export const BITSET_SPAN = 4096;
/** An objective without a bound yet. */
export const NO_BOUND = Number.POSITIVE_INFINITY;

export class Domains {
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
}
