/**
 * Typed problem builder. Variables are handles; constraints take an optional guard literal
 * (a 0/1 variable, e.g. from `requirement(name)`) that switches them on.
 *
 *   const p = new ProblemBuilder();
 *   const m = p.intVar('M', 2, 63);
 *   const usb = p.requirement('usb 48 MHz');
 *   p.ratio({ input: hse, muls: [n], divs: [m, q], output: p.constant(48e6), ppm: 2500 }, { guard: usb });
 *   p.minimize([m]);
 *   const problem = p.build({ maxNodes: 100_000, explain: 'one' });
 */
import {
  OP_EQ,
  OP_LE,
  OP_NE,
  type ConstraintDef,
  type ExplainMode,
  type Kind,
  type ObjectiveDef,
  type ProblemDef,
  type RequirementDef,
  type Term,
  type VarDef,
} from './model.ts';

export interface VarRef {
  readonly id: number;
  readonly name: string;
}
export type LinearTerm = VarRef | readonly [coef: number, v: VarRef];
export interface ConstraintOptions {
  readonly guard?: VarRef;
  readonly label?: string;
}
export interface VarOptions {
  /** Tried first by the search when still in the domain. */
  readonly hint?: number;
  /** Try large values first (default: small values first). */
  readonly preferMax?: boolean;
}
export interface BuildOptions {
  readonly maxNodes?: number;
  readonly maxFails?: number;
  readonly explain?: ExplainMode;
  readonly conflictLimit?: number;
}

const uniqSorted = (xs: readonly number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

export class ProblemBuilder {
  private readonly vars: VarDef[] = [];
  private readonly cons: ConstraintDef[] = [];
  private readonly objs: ObjectiveDef[] = [];
  private readonly reqs: RequirementDef[] = [];
  private readonly consts = new Map<number, VarRef>();

  private addVar(def: VarDef): VarRef {
    this.vars.push(def);
    return { id: this.vars.length - 1, name: def.name };
  }
  intVar(name: string, lo: number, hi: number, opts: VarOptions = {}): VarRef {
    return this.addVar({ name, lo, hi, hint: opts.hint ?? null, preferMax: opts.preferMax ?? false, values: null });
  }
  /** A variable over an explicit set of values (bitset domain). */
  setVar(name: string, values: readonly number[], opts: VarOptions = {}): VarRef {
    const vals = uniqSorted(values);
    const lo = vals.length ? vals[0]! : 1;
    const hi = vals.length ? vals[vals.length - 1]! : 0;
    return this.addVar({ name, lo, hi, hint: opts.hint ?? null, preferMax: opts.preferMax ?? false, values: vals });
  }
  boolVar(name: string, opts: VarOptions = {}): VarRef {
    return this.intVar(name, 0, 1, opts);
  }
  /** A fixed value as a variable (deduplicated per value when unnamed). */
  constant(value: number, name?: string): VarRef {
    if (name === undefined) {
      const c = this.consts.get(value);
      if (c) return c;
      const r = this.intVar(`#${value}`, value, value);
      this.consts.set(value, r);
      return r;
    }
    return this.intVar(name, value, value);
  }
  /** Named requirement: a guard assumed true; conflicts are reported in these names. */
  requirement(name: string): VarRef {
    const g = this.boolVar(`?${name}`);
    this.reqs.push({ name, guard: g.id });
    return g;
  }

  private add(kind: Kind, opts: ConstraintOptions): this {
    this.cons.push({ guard: opts.guard ? opts.guard.id : null, kind, ...(opts.label ? { label: opts.label } : {}) });
    return this;
  }
  private terms(ts: readonly LinearTerm[], sign = 1): Term[] {
    return ts.map((t) => ('id' in t ? ([sign, t.id] as const) : ([sign * t[0], t[1].id] as const)));
  }
  /** sum(terms) op rhs; '>=' is stored as the negated '<='. */
  linear(ts: readonly LinearTerm[], op: '<=' | '>=' | '=' | '!=', rhs: number, opts: ConstraintOptions = {}): this {
    if (op === '>=') return this.add({ type: 'linear', op: OP_LE, rhs: -rhs, terms: this.terms(ts, -1) }, opts);
    const code = op === '<=' ? OP_LE : op === '=' ? OP_EQ : OP_NE;
    return this.add({ type: 'linear', op: code, rhs, terms: this.terms(ts) }, opts);
  }
  /** z = x * y */
  product(x: VarRef, y: VarRef, z: VarRef, opts: ConstraintOptions = {}): this {
    return this.add({ type: 'product', x: x.id, y: y.id, z: z.id }, opts);
  }
  /**
   * output * prod(divs) = input * prod(muls) within +-ppm of output * prod(divs), i.e.
   * input * muls / divs is within ppm of output. All variables must be >= 1.
   */
  ratio(r: { input: VarRef; output: VarRef; muls?: readonly VarRef[]; divs?: readonly VarRef[]; ppm?: number }, opts: ConstraintOptions = {}): this {
    return this.add(
      {
        type: 'ratio',
        ppm: r.ppm ?? 0,
        inp: r.input.id,
        out: r.output.id,
        muls: (r.muls ?? []).map((v) => v.id),
        divs: (r.divs ?? []).map((v) => v.id),
      },
      opts,
    );
  }
  /** value = table[index] (index 0-based), e.g. register code <-> physical value. */
  element(index: VarRef, value: VarRef, table: readonly number[], opts: ConstraintOptions = {}): this {
    return this.add({ type: 'table', vars: [index.id, value.id], tuples: table.flatMap((v, i) => [i, v]) }, opts);
  }
  /** (vars) equals one of the tuples. */
  table(vars: readonly VarRef[], tuples: readonly (readonly number[])[], opts: ConstraintOptions = {}): this {
    return this.add({ type: 'table', vars: vars.map((v) => v.id), tuples: tuples.flat() }, opts);
  }
  inSet(x: VarRef, values: readonly number[], opts: ConstraintOptions = {}): this {
    return this.add({ type: 'inset', x: x.id, vals: uniqSorted(values) }, opts);
  }
  /** x mod m = r (Euclidean). */
  modulo(x: VarRef, m: number, r: number, opts: ConstraintOptions = {}): this {
    return this.add({ type: 'modulo', x: x.id, m, r }, opts);
  }
  aligned(x: VarRef, alignment: number, opts: ConstraintOptions = {}): this {
    return this.modulo(x, alignment, 0, opts);
  }
  noOverlap(intervals: readonly { start: VarRef; length: number }[], opts: ConstraintOptions = {}): this {
    return this.add({ type: 'nooverlap', starts: intervals.map((i) => i.start.id), lens: intervals.map((i) => i.length) }, opts);
  }
  /** Items into bins (bin variables 0-based); loads <= capacity; every bin index < count. */
  binPacking(b: { items: readonly { bin: VarRef; weight: number }[]; capacity: number; count?: VarRef }, opts: ConstraintOptions = {}): this {
    return this.add(
      {
        type: 'binpack',
        cap: b.capacity,
        count: b.count ? b.count.id : null,
        bins: b.items.map((i) => i.bin.id),
        weights: b.items.map((i) => i.weight),
      },
      opts,
    );
  }
  allDifferent(vars: readonly VarRef[], opts: ConstraintOptions = {}): this {
    return this.add({ type: 'alldiff', vars: vars.map((v) => v.id) }, opts);
  }
  /** Objectives are lexicographic in the order they are added. */
  minimize(ts: readonly LinearTerm[]): this {
    this.objs.push({ maximize: false, terms: this.terms(ts) });
    return this;
  }
  maximize(ts: readonly LinearTerm[]): this {
    this.objs.push({ maximize: true, terms: this.terms(ts) });
    return this;
  }
  build(o: BuildOptions = {}): ProblemDef {
    return {
      vars: [...this.vars],
      constraints: [...this.cons],
      objectives: [...this.objs],
      requirements: [...this.reqs],
      maxNodes: o.maxNodes ?? 0,
      maxFails: o.maxFails ?? 0,
      explain: o.explain ?? 'one',
      conflictLimit: o.conflictLimit ?? 0,
    };
  }
}
