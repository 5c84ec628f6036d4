/**
 * Checks a ProblemDef before either engine sees it. Mirrors the decoder's checks in
 * wasm-core/src/buffer.rs (so both engines reject the same problems) and adds the
 * safe-integer limits of the TypeScript engine, whose bounds are JS numbers.
 */
import { kindVars, type ProblemDef } from './model.ts';

export interface ProblemError {
  readonly code: 'solve/bad-problem';
  readonly message: string;
  readonly path: string;
}

const BIG = 2n ** 100n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MAX_SET_SPAN = 1 << 20;

export function validateProblem(p: ProblemDef): ProblemError | null {
  const err = (path: string, message: string): ProblemError => ({ code: 'solve/bad-problem', message, path });
  const nv = p.vars.length;
  const isVar = (v: number): boolean => Number.isInteger(v) && v >= 0 && v < nv;
  const safe = (x: number): boolean => Number.isSafeInteger(x);
  const mag = (v: number): bigint => {
    const d = p.vars[v]!;
    return BigInt(Math.max(Math.abs(d.lo), Math.abs(d.hi)));
  };
  const isBool = (v: number): boolean => isVar(v) && p.vars[v]!.lo >= 0 && p.vars[v]!.hi <= 1;
  for (const k of ['maxNodes', 'maxFails', 'conflictLimit'] as const) if (!safe(p[k]) || p[k] < 0) return err(k, `${k} must be a non-negative integer`);
  const names = new Set<string>();
  for (const [i, v] of p.vars.entries()) {
    const path = `vars[${i}] ${v.name}`;
    if (names.has(v.name)) return err(path, `duplicate variable name '${v.name}'`);
    names.add(v.name);
    if (!safe(v.lo) || !safe(v.hi) || v.lo > v.hi) return err(path, `domain ${v.lo}..${v.hi} is empty or not safe integers`);
    if (v.hint !== null && !safe(v.hint)) return err(path, 'hint is not a safe integer');
    if (v.values !== null) {
      if (v.values.length === 0 || !v.values.every(safe)) return err(path, 'explicit value set is empty or not integers');
      if (v.values[0] !== v.lo || v.values[v.values.length - 1] !== v.hi || v.hi - v.lo > MAX_SET_SPAN)
        return err(path, `explicit value set must be normalised and span at most ${MAX_SET_SPAN}`);
      for (let j = 1; j < v.values.length; j++) if (v.values[j]! <= v.values[j - 1]!) return err(path, 'value set not sorted/unique');
    }
  }
  for (const [i, c] of p.constraints.entries()) {
    const path = `constraints[${i}]${c.label ? ` ${c.label}` : ''}`;
    if (c.guard !== null && !isBool(c.guard)) return err(path, 'guard must be a 0/1 variable');
    const k = c.kind;
    if (!kindVars(k).every(isVar)) return err(path, 'variable index out of range');
    switch (k.type) {
      case 'linear': {
        let act = BigInt(Math.abs(k.rhs));
        if (!safe(k.rhs)) return err(path, 'rhs is not a safe integer');
        for (const [a, v] of k.terms) {
          if (!safe(a)) return err(path, 'coefficient is not a safe integer');
          act += BigInt(Math.abs(a)) * mag(v);
        }
        if (act > SAFE) return err(path, 'linear activity exceeds 2^53 (TypeScript engine limit)');
        break;
      }
      case 'product': {
        const m = mag(k.x) * mag(k.y);
        if (m > SAFE) return err(path, 'product range exceeds 2^53');
        break;
      }
      case 'ratio': {
        if (!safe(k.ppm) || k.ppm < 0 || k.ppm >= 1_000_000) return err(path, 'ppm must be in 0..999999');
        for (const side of [
          [k.inp, ...k.muls],
          [k.out, ...k.divs],
        ]) {
          let prod = 1n;
          for (const v of side) {
            if (p.vars[v]!.lo < 1) return err(path, 'ratio variables must be >= 1');
            prod *= BigInt(p.vars[v]!.hi);
          }
          if (prod > BIG) return err(path, 'ratio product exceeds 2^100');
        }
        break;
      }
      case 'table':
        if (k.vars.length === 0 || k.tuples.length % k.vars.length !== 0 || !k.tuples.every(safe))
          return err(path, 'table needs at least one variable and whole tuples of integers');
        break;
      case 'inset':
        if (!k.vals.every(safe)) return err(path, 'set values must be integers');
        for (let j = 1; j < k.vals.length; j++) if (k.vals[j]! <= k.vals[j - 1]!) return err(path, 'set not sorted/unique');
        break;
      case 'modulo':
        if (!safe(k.m) || k.m < 1 || !safe(k.r) || k.r < 0 || k.r >= k.m) return err(path, 'modulo needs m >= 1 and 0 <= r < m');
        break;
      case 'nooverlap':
        if (k.lens.length !== k.starts.length || !k.lens.every((l) => safe(l) && l >= 0 && l <= 2 ** 40))
          return err(path, 'interval lengths must be in 0..2^40');
        for (const s of k.starts) if (BigInt(Math.abs(p.vars[s]!.hi)) + 2n ** 40n > SAFE) return err(path, 'start range too large');
        break;
      case 'binpack': {
        if (!safe(k.cap) || k.cap < 0 || k.cap > 2 ** 40) return err(path, 'capacity must be in 0..2^40');
        if (k.weights.length !== k.bins.length || !k.weights.every((w) => safe(w) && w >= 0 && w <= 2 ** 40)) return err(path, 'weights must be in 0..2^40');
        for (const b of k.bins) if (p.vars[b]!.lo < 0 || p.vars[b]!.hi >= 4096) return err(path, 'bin variables must be within 0..4095');
        if (k.weights.reduce((s, w) => s + w, 0) > Number.MAX_SAFE_INTEGER) return err(path, 'total weight too large');
        break;
      }
      case 'alldiff':
        break;
    }
  }
  for (const [i, o] of p.objectives.entries()) {
    let act = 0n;
    for (const [a, v] of o.terms) {
      if (!safe(a) || !isVar(v)) return err(`objectives[${i}]`, 'bad objective term');
      act += BigInt(Math.abs(a)) * mag(v);
    }
    if (act > SAFE) return err(`objectives[${i}]`, 'objective range exceeds 2^53');
  }
  for (const [i, r] of p.requirements.entries()) if (!isBool(r.guard)) return err(`requirements[${i}] ${r.name}`, 'requirement guard must be a 0/1 variable');
  return null;
}
