/**
 * The normalised problem model shared by the builder, the binary encoder, the TypeScript
 * reference engine and the verifier. Plain data; variables are referred to by index.
 * Values are JavaScript safe integers (the wasm core itself accepts full i64).
 */

export const OP_LE = 0;
export const OP_EQ = 1;
export const OP_NE = 2;
export type LinearOp = typeof OP_LE | typeof OP_EQ | typeof OP_NE;

export type Term = readonly [coef: number, v: number];

export type Kind =
  | { readonly type: 'linear'; readonly op: LinearOp; readonly rhs: number; readonly terms: readonly Term[] }
  | { readonly type: 'product'; readonly x: number; readonly y: number; readonly z: number }
  | {
      readonly type: 'ratio';
      readonly ppm: number;
      readonly inp: number;
      readonly out: number;
      readonly muls: readonly number[];
      readonly divs: readonly number[];
    }
  | { readonly type: 'table'; readonly vars: readonly number[]; readonly tuples: readonly number[] }
  | { readonly type: 'inset'; readonly x: number; readonly vals: readonly number[] }
  | { readonly type: 'modulo'; readonly x: number; readonly m: number; readonly r: number }
  | { readonly type: 'nooverlap'; readonly starts: readonly number[]; readonly lens: readonly number[] }
  | {
      readonly type: 'binpack';
      readonly cap: number;
      readonly count: number | null;
      readonly bins: readonly number[];
      readonly weights: readonly number[];
    }
  | { readonly type: 'alldiff'; readonly vars: readonly number[] };

export interface VarDef {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly hint: number | null;
  readonly preferMax: boolean;
  /** Explicit value set, sorted and deduplicated, within lo..hi (lo/hi are its min/max). */
  readonly values: readonly number[] | null;
}

export interface ConstraintDef {
  /** 0/1 variable: 1 enforces the constraint, 0 disables it. */
  readonly guard: number | null;
  readonly kind: Kind;
  /** Free text for messages (not encoded). */
  readonly label?: string;
}

export interface ObjectiveDef {
  readonly maximize: boolean;
  readonly terms: readonly Term[];
}

export interface RequirementDef {
  readonly name: string;
  readonly guard: number;
}

export type ExplainMode = 'none' | 'one' | 'all';

export interface ProblemDef {
  readonly vars: readonly VarDef[];
  readonly constraints: readonly ConstraintDef[];
  /** Lexicographic: the first objective is optimised first. */
  readonly objectives: readonly ObjectiveDef[];
  /** Requirements are assumed true; on infeasibility the conflicts are subsets of these. */
  readonly requirements: readonly RequirementDef[];
  /** 0 = unlimited. Budgets count search nodes / failures, so results reproduce exactly. */
  readonly maxNodes: number;
  readonly maxFails: number;
  readonly explain: ExplainMode;
  /** Maximum number of conflicts to enumerate with explain 'all' (0 = no limit). */
  readonly conflictLimit: number;
}

export const ST_OPTIMAL = 0;
export const ST_FEASIBLE = 1;
export const ST_INFEASIBLE = 2;
export const ST_UNKNOWN = 3;
export const ST_BAD_PROBLEM = 4;

/** Engine-neutral raw result (what both engines produce before names are attached). */
export interface RawResult {
  readonly status: number;
  readonly errorCode: number;
  readonly errorAt: number;
  readonly nodes: number;
  readonly fails: number;
  readonly solution: readonly number[] | null;
  readonly objectives: readonly number[];
  readonly conflicts: readonly (readonly number[])[];
  readonly conflictsExact: boolean;
}

export function kindVars(k: Kind): number[] {
  switch (k.type) {
    case 'linear':
      return k.terms.map((t) => t[1]);
    case 'product':
      return [k.x, k.y, k.z];
    case 'ratio':
      return [k.inp, k.out, ...k.muls, ...k.divs];
    case 'table':
      return [...k.vars];
    case 'inset':
    case 'modulo':
      return [k.x];
    case 'nooverlap':
      return [...k.starts];
    case 'binpack':
      return k.count === null ? [...k.bins] : [...k.bins, k.count];
    case 'alldiff':
      return [...k.vars];
  }
}

const emod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

/**
 * Truth of a constraint under a complete assignment, computed exactly with BigInt. This is the
 * verifier the public API runs on every solution coming back from either engine.
 */
export function holds(k: Kind, val: readonly number[]): boolean {
  const V = (i: number): bigint => BigInt(val[i]!);
  switch (k.type) {
    case 'linear': {
      let s = 0n;
      for (const [a, v] of k.terms) s += BigInt(a) * V(v);
      const r = BigInt(k.rhs);
      return k.op === OP_LE ? s <= r : k.op === OP_EQ ? s === r : s !== r;
    }
    case 'product':
      return V(k.x) * V(k.y) === V(k.z);
    case 'ratio': {
      let a = V(k.inp);
      for (const m of k.muls) a *= V(m);
      let d = V(k.out);
      for (const q of k.divs) d *= V(q);
      const diff = a > d ? a - d : d - a;
      return diff * 1_000_000n <= BigInt(k.ppm) * d;
    }
    case 'table': {
      const n = k.vars.length;
      for (let t = 0; t < k.tuples.length; t += n) {
        let ok = true;
        for (let i = 0; i < n && ok; i++) ok = val[k.vars[i]!] === k.tuples[t + i];
        if (ok) return true;
      }
      return false;
    }
    case 'inset':
      return k.vals.includes(val[k.x]!);
    case 'modulo':
      return emod(V(k.x), BigInt(k.m)) === BigInt(k.r);
    case 'nooverlap':
      for (let i = 0; i < k.starts.length; i++)
        for (let j = i + 1; j < k.starts.length; j++) {
          const li = k.lens[i]!;
          const lj = k.lens[j]!;
          if (li === 0 || lj === 0) continue;
          const si = val[k.starts[i]!]!;
          const sj = val[k.starts[j]!]!;
          if (si + li > sj && sj + lj > si) return false;
        }
      return true;
    case 'binpack': {
      const load = new Map<number, number>();
      for (let i = 0; i < k.bins.length; i++) {
        const b = val[k.bins[i]!]!;
        if (b < 0) return false;
        if (k.count !== null && b >= val[k.count]!) return false;
        load.set(b, (load.get(b) ?? 0) + k.weights[i]!);
      }
      for (const l of load.values()) if (l > k.cap) return false;
      if (k.count !== null) {
        const total = k.weights.reduce((s, w) => s + w, 0);
        if (val[k.count]! * k.cap < total) return false;
      }
      return true;
    }
    case 'alldiff':
      return new Set(k.vars.map((v) => val[v])).size === k.vars.length;
  }
}

export function constraintHolds(c: ConstraintDef, val: readonly number[]): boolean {
  if (c.guard !== null && val[c.guard] === 0) return true;
  return holds(c.kind, val);
}
