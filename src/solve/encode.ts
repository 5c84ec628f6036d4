/**
 * The one little-endian problem buffer (every field an i64 word) and the result buffer.
 * Layout documented in docs/solver.md; decoder in wasm-core/src/buffer.rs.
 */
import { ST_BAD_PROBLEM, type ProblemDef, type RawResult } from './model.ts';

export const MAGIC_PROBLEM = 0x31504453; // "SDP1"
export const MAGIC_RESULT = 0x31524453; // "SDR1"
export const MAGIC_BATCH = 0x31424453; // "SDB1"
export const VERSION = 1;

const KIND_CODE = { linear: 1, product: 2, ratio: 3, table: 4, inset: 5, modulo: 6, nooverlap: 7, binpack: 8, alldiff: 9 } as const;

/** Encodes to a list of words (JS safe integers). */
export function encodeWords(p: ProblemDef): number[] {
  const w: number[] = [];
  const flags = p.explain === 'one' ? 1 : p.explain === 'all' ? 2 : 0;
  w.push(MAGIC_PROBLEM, VERSION, flags, p.maxNodes, p.maxFails, p.conflictLimit);
  w.push(p.vars.length, p.constraints.length, p.objectives.length, p.requirements.length);
  for (const v of p.vars) {
    const f = (v.hint !== null ? 1 : 0) | (v.preferMax ? 2 : 0) | (v.values !== null ? 4 : 0);
    w.push(v.lo, v.hi, f, v.hint ?? 0);
    if (v.values !== null) w.push(v.values.length, ...v.values);
  }
  for (const c of p.constraints) {
    const k = c.kind;
    w.push(KIND_CODE[k.type], c.guard ?? -1);
    switch (k.type) {
      case 'linear':
        w.push(k.op, k.rhs, k.terms.length);
        for (const [a, v] of k.terms) w.push(a, v);
        break;
      case 'product':
        w.push(k.x, k.y, k.z);
        break;
      case 'ratio':
        w.push(k.ppm, k.inp, k.out, k.muls.length, ...k.muls, k.divs.length, ...k.divs);
        break;
      case 'table':
        w.push(k.vars.length, k.tuples.length / k.vars.length, ...k.vars, ...k.tuples);
        break;
      case 'inset':
        w.push(k.x, k.vals.length, ...k.vals);
        break;
      case 'modulo':
        w.push(k.x, k.m, k.r);
        break;
      case 'nooverlap':
        w.push(k.starts.length);
        k.starts.forEach((s, i) => w.push(s, k.lens[i]!));
        break;
      case 'binpack':
        w.push(k.cap, k.count ?? -1, k.bins.length);
        k.bins.forEach((b, i) => w.push(b, k.weights[i]!));
        break;
      case 'alldiff':
        w.push(k.vars.length, ...k.vars);
        break;
    }
  }
  for (const o of p.objectives) {
    w.push(o.maximize ? 1 : 0, o.terms.length);
    for (const [a, v] of o.terms) w.push(a, v);
  }
  for (const r of p.requirements) w.push(r.guard);
  return w;
}

const TWO32 = 4294967296;

/** Writes words as little-endian i64 into `u32` (two halves per word) at word offset `at`. */
export function writeWords(u32: Uint32Array, at: number, words: readonly number[]): void {
  let j = at * 2;
  for (const x of words) {
    const hi = Math.floor(x / TWO32);
    u32[j++] = x - hi * TWO32;
    u32[j++] = hi >>> 0;
  }
}

export function readWord(u32: Uint32Array, i: number): number {
  const lo = u32[2 * i]!;
  const hi = u32[2 * i + 1]! | 0;
  return hi * TWO32 + lo;
}

export class ResultFormatError extends Error {}

/** Decodes one result; throws ResultFormatError on a malformed buffer (a bug, not user input). */
export function decodeResult(get: (i: number) => number, len: number, at = 0): RawResult {
  let i = at;
  const end = at + len;
  const next = (): number => {
    if (i >= end) throw new ResultFormatError('result buffer truncated');
    return get(i++);
  };
  if (next() !== MAGIC_RESULT) throw new ResultFormatError('bad result magic');
  const status = next();
  const errorCode = next();
  const errorAt = next();
  const nodes = next();
  const fails = next();
  const hasSol = next();
  const n = next();
  const solution: number[] | null = hasSol === 1 ? [] : null;
  for (let k = 0; k < n; k++) solution!.push(next());
  const no = next();
  const objectives: number[] = [];
  for (let k = 0; k < no; k++) objectives.push(next());
  const nc = next();
  const conflictsExact = next() === 1;
  const conflicts: number[][] = [];
  for (let k = 0; k < nc; k++) {
    const s = next();
    const c: number[] = [];
    for (let q = 0; q < s; q++) c.push(next());
    conflicts.push(c);
  }
  if (i !== end) throw new ResultFormatError('trailing words in result');
  if (status < 0 || status > ST_BAD_PROBLEM) throw new ResultFormatError(`unknown status ${status}`);
  return { status, errorCode, errorAt, nodes, fails, solution, objectives, conflicts, conflictsExact };
}
