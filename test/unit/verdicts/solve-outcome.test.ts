/**
 * Verdicts never lie: every path where the solver does not decide (budget reached, internal error,
 * missing core) is driven by injecting the failure into the real solver — a tiny node budget, or
 * SPECDRIVE_CORE_WASM pointing at a missing or corrupt module — and must be reported as such.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindContract } from '../../../src/bind/index.ts';
import { solveConfiguration, solveTarget } from '../../../src/configure/index.ts';
import { lowerContract } from '../../../src/pipeline/lower-operations.ts';
import { matchesBetween } from '../../../src/pipeline/matches.ts';
import { ProblemBuilder, solve, unhandled, type SolveOutcome, type Solver } from '../../../src/solve/index.ts';
import type { Diagnostic } from '../../../src/diagnostics/types.ts';
import { demoConfig, demoContract, demoProfile, demoRevision } from '../../helpers/demo.ts';

/** The real solver, with its budget cut to `nodes`: what a hard problem does to a normal budget. */
const tinyBudget =
  (nodes: number): Solver =>
  (problem, options) =>
    solve(problem, { ...options, maxNodes: nodes, maxFails: nodes });

const previous = process.env['SPECDRIVE_CORE_WASM'];
afterEach(() => {
  if (previous === undefined) delete process.env['SPECDRIVE_CORE_WASM'];
  else process.env['SPECDRIVE_CORE_WASM'] = previous;
});

/** Runs `body` with the wasm core at a missing path (or a file with `bytes`). */
function withCore<T>(bytes: Uint8Array | null, body: () => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-core-'));
  const file = join(dir, 'specdrive_core.wasm');
  if (bytes) writeFileSync(file, bytes);
  const before = process.env['SPECDRIVE_CORE_WASM'];
  process.env['SPECDRIVE_CORE_WASM'] = file;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env['SPECDRIVE_CORE_WASM'];
    else process.env['SPECDRIVE_CORE_WASM'] = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('SolveOutcome', () => {
  it('unknown carries its budget and is never infeasible', () => {
    const b = new ProblemBuilder();
    const xs = Array.from({ length: 12 }, (_, i) => b.intVar(`x${i}`, 0, 11));
    b.allDifferent(xs);
    b.linear(
      xs.map((x, i) => [i % 2 ? 1 : -1, x] as const),
      '=',
      1,
    );
    const r = solve(b.build({ maxNodes: 3 }));
    expect(r.status).toBe('unknown');
    if (r.status !== 'unknown') return;
    expect(r.budget.maxNodes).toBe(3);
    expect(r.conflicts).toEqual([]);
    expect(r.diagnostics[0]!.message).toMatch(/^undecided within budget 3 nodes/);
  });

  it('a missing wasm core is an error outcome with its code, not a silent switch to TypeScript', () => {
    const p = new ProblemBuilder();
    p.intVar('x', 0, 3);
    const r = withCore(null, () => solve(p));
    expect(r).toMatchObject({ status: 'error', code: 'solve/wasm-unavailable', engine: 'wasm' });
    expect(r.diagnostics[0]!.severity).toBe('error');
    const corrupt = withCore(new Uint8Array([0, 97, 115, 109, 9, 9]), () => solve(p));
    expect(corrupt).toMatchObject({ status: 'error', code: 'solve/wasm-unavailable' });
    // Asking for the TypeScript engine by name still works without the core.
    expect(withCore(null, () => solve(p, { engine: 'ts' })).status).toBe('optimal');
  });

  it('the compiler rejects a switch that forgets a status', () => {
    const partial = (o: SolveOutcome): string => {
      switch (o.status) {
        case 'optimal':
        case 'feasible':
        case 'infeasible':
        case 'unknown':
          return o.status;
        default:
          // @ts-expect-error — 'error' is not handled, so `o` is not `never` here
          return unhandled(o);
      }
    };
    expect(partial({ ...solve(new ProblemBuilder()), status: 'unknown', budget: { maxNodes: 1, maxFails: 0 } } as SolveOutcome)).toBe('unknown');
  });
});

describe('bind: an undecided binding is never "feasible"', () => {
  const contract = demoContract('uart');
  const revA = demoRevision('rev-a');
  const revB = demoRevision('rev-b');

  it('a solver that returns unknown makes the operation undecided, with an error diagnostic', () => {
    const unknown: Solver = (problem) =>
      ({ ...solve(problem, { engine: 'ts' }), status: 'unknown', budget: { maxNodes: 7, maxFails: 0 }, values: null, raw: null }) as SolveOutcome;
    const { value, diagnostics } = bindContract(contract, revB, { reference: revA, matches: matchesBetween(revA, revB), solver: unknown });
    const ops = value[0]!.operations;
    expect(ops.every((o) => o.verdict === 'undecided')).toBe(true);
    expect(ops[0]!.reasons[0]).toBe('the binding is undecided within budget 7 nodes');
    expect(value[0]!.verdict).toBe('undecided');
    expect(diagnostics.filter((d) => d.code === 'bind/undecided' && d.severity === 'error')).toHaveLength(ops.length);
  });

  it('a missing core is an internal error named by its code on every operation', () => {
    const { value, diagnostics } = withCore(null, () => bindContract(contract, revA, { reference: revA }));
    expect(new Set(value[0]!.operations.map((o) => o.verdict))).toEqual(new Set(['undecided']));
    expect(diagnostics.every((d) => d.code === 'solve/wasm-unavailable' && d.severity === 'error')).toBe(true);
    // The explicit TypeScript engine gives the real verdicts without the core.
    const ts = withCore(null, () => bindContract(contract, revA, { reference: revA, engine: 'ts' }));
    expect(new Set(ts.value[0]!.operations.map((o) => o.verdict))).toEqual(new Set(['unchanged']));
    expect(ts.diagnostics).toEqual([]);
  });

  it('broken operations still come with their minimal conflict (infeasible is decided)', () => {
    const revC = demoRevision('rev-c');
    const { value, diagnostics } = bindContract(contract, revC, { reference: revA, matches: matchesBetween(revA, revC) });
    expect(value[0]!.operations.find((o) => o.operation === 'set_loopback')!.verdict).toBe('broken');
    expect(diagnostics.some((d) => d.code === 'bind/broken-operation')).toBe(true);
  });
});

describe('configure: a budget limit is not blamed on the hardware', () => {
  const revA = demoRevision('rev-a');

  it('unknown is "undecided within budget N", with no blocking layer and no conflict', () => {
    const revB = demoRevision('rev-b');
    const { value, diagnostics } = solveConfiguration(revB, demoConfig('demo-rev-b'), { solver: tinyBudget(1) });
    expect(value.unsatisfiable).toEqual([]);
    expect(value.undecided.length).toBeGreaterThan(0);
    const d = diagnostics.find((x) => x.code === 'configure/undecided')!;
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/undecided within budget 1 nodes \/ 1 fails/);
    expect(diagnostics.map((x) => x.message).join('\n')).not.toMatch(/blocked by layer/);
  });

  it('a solver error keeps its code', () => {
    const { value, diagnostics } = withCore(null, () => solveConfiguration(revA, demoConfig('fast-console')));
    expect(value.unsatisfiable).toEqual([]);
    expect(diagnostics.some((d) => d.code === 'solve/wasm-unavailable' && d.severity === 'error')).toBe(true);
  });

  it('each requirement of a real minimal conflict names its own layer', () => {
    const revs = (['rev-b', 'rev-c'] as const).map(demoRevision);
    const { value } = solveConfiguration(revA, demoConfig('fast-console'), { profile: demoProfile('precise'), otherRevisions: revs });
    const u = value.unsatisfiable[0]!;
    const layers = Object.fromEntries(u.conflicts.flat().map((r) => [r.id, r.layer]));
    expect(layers).toMatchObject({ 'hardware:clock:HCLK': 'hardware', 'profile:max_error': 'profile' });
    expect(u.blockingLayer).toBe('hardware');
  });

  it('solveTarget reports unknown as its own status', () => {
    const uart = revA.peripherals.find((p) => p.name === 'UART0')!;
    const r = solveTarget({
      device: revA,
      peripheral: uart,
      quantity: 'baud',
      target: 115_200,
      tolerances: [{ tolerance: 0.02, requirement: { id: 't', layer: 'configuration', text: 't' } }],
      clocks: revA.clocks.map((c) => ({ name: c.name, hz: c.hz, requirement: { id: c.name, layer: 'hardware' as const, text: c.name } })),
      solver: tinyBudget(1),
    });
    expect(r.status).toBe('unknown');
  });
});

describe('lowering: table entries are never lost silently, and the engine is honoured', () => {
  // The timer's (PSC + 1) * (ARR + 1) has no closed-form inverse: its rates are a solved table.
  const contract = demoContract('timer');
  const revA = demoRevision('rev-a');
  const [binding] = bindContract(contract, revA, { reference: revA, engine: 'ts' }).value;
  const tableOf = (diagnostics: Diagnostic[], options: Parameters<typeof lowerContract>[0] extends infer I ? Partial<I> : never) => {
    const ops = lowerContract({ contract, binding: binding!, device: revA, ...options }, diagnostics);
    const start = ops.find((o) => o.steps.some((s) => s.kind === 'select'))!;
    const select = start.steps.find((s) => s.kind === 'select');
    return select && select.kind === 'select' ? select.cases.map((c) => c.value) : [];
  };

  it('undecided entries are left out with a warning naming the value and budget', () => {
    const diagnostics: Diagnostic[] = [];
    const values = tableOf(diagnostics, { solver: tinyBudget(1) });
    const undecided = diagnostics.filter((d) => d.code === 'lower/entry-undecided');
    expect(undecided.length).toBeGreaterThan(0);
    expect(undecided.length + values.length).toBeGreaterThanOrEqual(10 - 2);
    expect(undecided[0]!.message).toMatch(/timer\.\w+: update_rate = \d+ is left out of the table: undecided within budget 1 nodes/);
  });

  it('a solver error is an error diagnostic; --engine ts is honoured (works without the core)', () => {
    const diagnostics: Diagnostic[] = [];
    const none = withCore(null, () => tableOf(diagnostics, {}));
    expect(none).toEqual([]);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code === 'solve/wasm-unavailable' && d.severity === 'error')).toBe(true);
    const tsDiagnostics: Diagnostic[] = [];
    const withTs = withCore(null, () => tableOf(tsDiagnostics, { engine: 'ts' }));
    expect(tsDiagnostics).toEqual([]);
    expect(withTs).toEqual(tableOf([], {}));
  });
});

// Keep `unhandled` honest at run time too.
it('unhandled throws if reached', () => {
  expect(() => unhandled('x' as never)).toThrow(/unhandled case/);
});
