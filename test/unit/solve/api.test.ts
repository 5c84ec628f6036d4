/** Public API behaviour: errors as values, verification of results, batch, loader. */
import { describe, expect, it } from 'vitest';
import { ProblemBuilder, finish, loadWasm, solve, solveBatch } from '../../../src/solve/index.ts';
import { encodeWords } from '../../../src/solve/encode.ts';
import { loadWasmSync } from '../../../src/solve/wasm.ts';

function small(): ProblemBuilder {
  const p = new ProblemBuilder();
  const x = p.intVar('x', 0, 10);
  const y = p.intVar('y', 0, 10);
  p.linear([x, y], '=', 7).linear([[2, x]], '>=', 5);
  p.maximize([y]);
  return p;
}

describe('solve API', () => {
  it('returns values by name, same for both engines', () => {
    for (const engine of ['wasm', 'ts'] as const) {
      const r = solve(small(), { engine });
      expect(r.status).toBe('optimal');
      expect(r.values).toEqual({ x: 3, y: 4 });
      expect(r.objectives).toEqual([4]);
      expect(r.engine).toBe(engine);
    }
  });

  it('bad problems come back as solve/bad-problem with a path', () => {
    const p = new ProblemBuilder();
    p.intVar('x', 5, 1);
    const r = solve(p);
    expect(r.status).toBe('error');
    expect(r.diagnostics[0]).toMatchObject({ code: 'solve/bad-problem', path: 'vars[0] x' });
    const q = new ProblemBuilder();
    const a = q.intVar('a', 0, 3);
    q.ratio({ input: a, output: q.constant(2) });
    expect(solve(q).diagnostics[0]!.message).toContain('>= 1');
  });

  it('the wasm decoder rejects a corrupted buffer on its own (defence in depth)', () => {
    const words = encodeWords(small().build());
    const raw = loadWasmSync().solveWords(words.slice(0, -1));
    expect(raw.status).toBe(4);
    expect(finish(small().build(), raw, 'wasm').diagnostics[0]!.code).toBe('solve/bad-problem');
  });

  it('a solution that does not check is an error diagnostic, not a value', () => {
    const p = small().build();
    const good = loadWasmSync().solveWords(encodeWords(p));
    const forged = { ...good, solution: [5, 5] };
    const r = finish(p, forged, 'wasm');
    expect(r.status).toBe('error');
    expect(r.values).toBeNull();
    expect(r.diagnostics[0]!.code).toBe('solve/verify-mismatch');
    const wrongObj = finish(p, { ...good, objectives: [9] }, 'wasm');
    expect(wrongObj.diagnostics[0]!.code).toBe('solve/verify-mismatch');
  });

  it('batch gives the same results as single calls and keeps bad problems in place', () => {
    const bad = new ProblemBuilder();
    bad.intVar('x', 2, 1);
    const ps = [small().build(), bad.build(), small().build()];
    const rs = solveBatch(ps);
    expect(rs.map((r) => r.status)).toEqual(['optimal', 'error', 'optimal']);
    expect(rs[2]!.values).toEqual(solve(ps[2]!).values);
  });

  it('async loader returns the same cached module', async () => {
    expect(await loadWasm()).toBe(loadWasmSync());
  });
});
