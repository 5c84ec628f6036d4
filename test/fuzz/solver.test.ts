/**
 * Fuzz: the solver's problem encoder and the wasm-core decoder. Random ProblemDefs — valid ones and
 * ones with out-of-range indices, empty or huge domains, ragged tables — and random corruptions of
 * valid encodings go straight into wasm-core, bypassing the TypeScript-side validation: the core
 * must return a result (any status) or `bad-problem`, never trap or throw. Through the public
 * `solve`, every problem ends in a status with diagnostics, and a solution always re-verifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeWords } from '../../src/solve/encode.ts';
import { solve } from '../../src/solve/index.ts';
import { ST_BAD_PROBLEM, type ConstraintDef, type Kind, type ProblemDef, type VarDef } from '../../src/solve/model.ts';
import { loadWasmSync } from '../../src/solve/wasm.ts';
import { countCase, fuzzParams, timed } from './harness.ts';

/** Budgets stay small: a hang guard cannot interrupt synchronous wasm, so cases must be bounded by construction. */
const MAX_NODES = 2000;

const smallInt = fc.integer({ min: -20, max: 20 });
const hugeInt = fc.constantFrom(2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 40, -(2 ** 40), 0);
const value = fc.oneof({ weight: 8, arbitrary: smallInt }, { weight: 1, arbitrary: hugeInt });

function problemArb(): fc.Arbitrary<ProblemDef> {
  return fc.integer({ min: 1, max: 6 }).chain((n) => {
    /** Mostly valid variable indices, sometimes one past the end or negative. */
    const index = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: n - 1 }) }, { weight: 1, arbitrary: fc.constantFrom(n, -1, 2 ** 31) });
    const indices = (max: number) => fc.array(index, { maxLength: max });
    const varDef = (i: number): fc.Arbitrary<VarDef> =>
      fc
        .record({
          lo: value,
          span: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(-1, 2 ** 30)),
          hint: fc.option(value, { nil: null }),
          preferMax: fc.boolean(),
          values: fc.option(fc.array(smallInt, { minLength: 0, maxLength: 4 }), { nil: null }),
        })
        .map(({ lo, span, hint, preferMax, values }) => {
          const set = values === null ? null : [...new Set(values)].sort((a, b) => a - b);
          return set !== null && set.length > 0
            ? { name: `v${i}`, lo: set[0]!, hi: set[set.length - 1]!, hint, preferMax, values: set }
            : { name: `v${i}`, lo, hi: lo + span, hint, preferMax, values: set };
        });
    const kind: fc.Arbitrary<Kind> = fc.oneof(
      fc.record({
        type: fc.constant('linear' as const),
        op: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
        rhs: value,
        terms: fc.array(fc.tuple(value, index), { maxLength: 4 }),
      }),
      fc.record({ type: fc.constant('product' as const), x: index, y: index, z: index }),
      fc.record({
        type: fc.constant('ratio' as const),
        ppm: fc.oneof(fc.integer({ min: 0, max: 999_999 }), fc.constant(-1)),
        inp: index,
        out: index,
        muls: indices(2),
        divs: indices(2),
      }),
      fc.record({ type: fc.constant('table' as const), vars: indices(3), tuples: fc.array(smallInt, { maxLength: 12 }) }),
      fc.record({ type: fc.constant('inset' as const), x: index, vals: fc.array(smallInt, { maxLength: 5 }) }),
      fc.record({ type: fc.constant('modulo' as const), x: index, m: fc.integer({ min: -1, max: 7 }), r: fc.integer({ min: -1, max: 7 }) }),
      indices(3).chain((starts) =>
        fc.record({
          type: fc.constant('nooverlap' as const),
          starts: fc.constant(starts),
          lens: fc.array(fc.integer({ min: -1, max: 6 }), { minLength: starts.length, maxLength: starts.length + 1 }),
        }),
      ),
      indices(3).chain((bins) =>
        fc.record({
          type: fc.constant('binpack' as const),
          cap: fc.integer({ min: -1, max: 20 }),
          count: fc.option(index, { nil: null }),
          bins: fc.constant(bins),
          weights: fc.array(fc.integer({ min: -1, max: 9 }), { minLength: bins.length, maxLength: bins.length }),
        }),
      ),
      fc.record({ type: fc.constant('alldiff' as const), vars: indices(4) }),
    );
    const constraint: fc.Arbitrary<ConstraintDef> = fc.record({ guard: fc.option(index, { nil: null }), kind });
    return fc.record({
      vars: fc.tuple(...Array.from({ length: n }, (_, i) => varDef(i))),
      constraints: fc.array(constraint, { maxLength: 5 }),
      objectives: fc.array(fc.record({ maximize: fc.boolean(), terms: fc.array(fc.tuple(smallInt, index), { maxLength: 3 }) }), { maxLength: 2 }),
      requirements: fc.array(index, { maxLength: 3 }).map((guards) => guards.map((guard, i) => ({ name: `r${i}`, guard }))),
      maxNodes: fc.integer({ min: 1, max: MAX_NODES }),
      maxFails: fc.integer({ min: 1, max: MAX_NODES }),
      explain: fc.constantFrom('none', 'one', 'all') as fc.Arbitrary<'none' | 'one' | 'all'>,
      conflictLimit: fc.integer({ min: 1, max: 4 }),
    });
  });
}

/** A corruption of an encoded problem: overwrite, drop or append words; budgets (words 3–4) stay bounded. */
const wordEdit = fc.record({
  at: fc.nat(),
  value: fc.oneof(fc.integer({ min: -3, max: 300 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER)),
  how: fc.constantFrom('set', 'drop', 'append'),
});

function corrupt(words: number[], edits: readonly { at: number; value: number; how: string }[]): number[] {
  const out = [...words];
  for (const e of edits) {
    const i = e.at % (out.length + 1);
    if (e.how === 'set' && i < out.length) out[i] = e.value;
    else if (e.how === 'drop') out.splice(i, 1);
    else out.push(e.value);
  }
  if (out.length > 4) {
    out[3] = Math.min(Math.max(1, Math.abs(out[3] ?? 1)), MAX_NODES);
    out[4] = Math.min(Math.max(1, Math.abs(out[4] ?? 1)), MAX_NODES);
  }
  return out;
}

describe('fuzz: solver encoder and wasm decoder', () => {
  const core = loadWasmSync();

  it('any ProblemDef, unvalidated, into wasm-core: a result or bad-problem, never a trap', () => {
    fc.assert(
      fc.property(problemArb(), (p) => {
        countCase('solver');
        const raw = timed('wasm solveWords', () => core.solveWords(encodeWords(p)));
        expect(raw.status).toBeGreaterThanOrEqual(0);
        expect(raw.status).toBeLessThanOrEqual(ST_BAD_PROBLEM);
      }),
      fuzzParams(3),
    );
  });

  it('corrupted encodings into wasm-core: a result or bad-problem, never a trap', () => {
    fc.assert(
      fc.property(problemArb(), fc.array(wordEdit, { minLength: 1, maxLength: 4 }), (p, edits) => {
        countCase('solver');
        const raw = timed('wasm solveWords (corrupted)', () => core.solveWords(corrupt(encodeWords(p), edits)));
        expect(raw.status).toBeGreaterThanOrEqual(0);
        expect(raw.status).toBeLessThanOrEqual(ST_BAD_PROBLEM);
      }),
      fuzzParams(3),
    );
  });

  it('solve(): a status with diagnostics, never a solution that fails verification', () => {
    fc.assert(
      fc.property(problemArb(), fc.constantFrom('wasm', 'ts') as fc.Arbitrary<'wasm' | 'ts'>, (p, engine) => {
        countCase('solver');
        const r = timed(`solve (${engine})`, () => solve(p, { engine }));
        expect(['optimal', 'feasible', 'infeasible', 'unknown', 'error']).toContain(r.status);
        expect(r.diagnostics.map((d) => d.code)).not.toContain('solve/verify-mismatch');
        if (r.status === 'error') expect(r.diagnostics.length).toBeGreaterThan(0);
      }),
      fuzzParams(2),
    );
  });
});
