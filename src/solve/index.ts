/**
 * Public surface of the constraint solver: one `solve` for both engines (wasm-core and the
 * TypeScript reference), a batch form, and the assignment kernel. Errors come back as values
 * with stable diagnostic codes; every solution is re-verified here against the constraints.
 */
import type { Diagnostic } from '../diagnostics/types.ts';
import { ProblemBuilder } from './builder.ts';
import { encodeWords } from './encode.ts';
import { ST_BAD_PROBLEM, ST_FEASIBLE, ST_INFEASIBLE, ST_OPTIMAL, constraintHolds, type ExplainMode, type ProblemDef, type RawResult } from './model.ts';
import { assignRef } from './reference/assign.ts';
import { runRef } from './reference/run.ts';
import { validateProblem } from './validate.ts';
import { loadWasmSync, type WasmCore } from './wasm.ts';

export { ProblemBuilder } from './builder.ts';
export type { BuildOptions, ConstraintOptions, LinearTerm, VarOptions, VarRef } from './builder.ts';
export type { ProblemDef, RawResult, ExplainMode, Kind, ConstraintDef, VarDef } from './model.ts';
export { loadWasm, loadWasmSync } from './wasm.ts';

export type Engine = 'wasm' | 'ts';
export const ENGINES: readonly Engine[] = ['wasm', 'ts'];
export type SolveStatus = SolveOutcome['status'];

/** Parses an `--engine` value; anything but `wasm` or `ts` is refused, never guessed. */
export function parseEngine(value: unknown): Engine | undefined {
  return ENGINES.find((e) => e === value);
}

export interface SolveOptions {
  readonly engine?: Engine;
  /** Override the problem's budgets / explanation mode. */
  readonly maxNodes?: number;
  readonly maxFails?: number;
  readonly explain?: ExplainMode;
  readonly conflictLimit?: number;
}

export interface Conflict {
  /** Requirement names, in requirement order. */
  readonly requirements: readonly string[];
  readonly indices: readonly number[];
}

/** The search budget a problem ran under (0 = unlimited). */
export interface Budget {
  readonly maxNodes: number;
  readonly maxFails: number;
}

interface OutcomeBase {
  /** Values by variable name (null unless optimal/feasible). */
  readonly values: Readonly<Record<string, number>> | null;
  /** Values by variable index. */
  readonly raw: readonly number[] | null;
  /** Objective values in the order the objectives were added. */
  readonly objectives: readonly number[];
  /** Minimal conflicting requirement sets (infeasible problems with explain != 'none'). */
  readonly conflicts: readonly Conflict[];
  /** False if a conflict may not be minimal or the enumeration stopped early. */
  readonly conflictsExact: boolean;
  readonly nodes: number;
  readonly fails: number;
  readonly engine: Engine;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What one solve established, as a union every caller handles exhaustively (see `unhandled`):
 * - `optimal` / `feasible`: a verified solution (feasible = budget ran out before optimality was proven);
 * - `infeasible`: proven impossible, with minimal conflicts;
 * - `unknown`: undecided within `budget` — neither feasible nor infeasible;
 * - `error`: an internal error (bad problem, verify mismatch, missing core) with its diagnostic code.
 */
export type SolveOutcome =
  | (OutcomeBase & { readonly status: 'optimal' | 'feasible'; readonly values: Readonly<Record<string, number>>; readonly raw: readonly number[] })
  | (OutcomeBase & { readonly status: 'infeasible' })
  | (OutcomeBase & { readonly status: 'unknown'; readonly budget: Budget })
  | (OutcomeBase & { readonly status: 'error'; readonly code: string; readonly message: string });
export type SolveResult = SolveOutcome;

/** A solver as callers see it; tests inject one to drive the unknown and error paths. */
export type Solver = (problem: ProblemDef | ProblemBuilder, options?: SolveOptions) => SolveOutcome;

/** The compile-time guard of an exhaustive switch: adding a status makes every unhandled site fail tsc. */
export function unhandled(x: never): never {
  throw new Error(`unhandled case ${JSON.stringify(x)}`);
}

/** "undecided within budget …" in words, for reports. */
export function describeBudget(b: Budget): string {
  const parts = [b.maxNodes ? `${b.maxNodes} nodes` : '', b.maxFails ? `${b.maxFails} fails` : ''].filter(Boolean);
  return parts.length ? parts.join(' / ') : 'an unlimited budget';
}

const STATUS: Record<number, SolveStatus> = { 0: 'optimal', 1: 'feasible', 2: 'infeasible', 3: 'unknown' };

function withOptions(p: ProblemDef, o: SolveOptions): ProblemDef {
  return {
    ...p,
    maxNodes: o.maxNodes ?? p.maxNodes,
    maxFails: o.maxFails ?? p.maxFails,
    explain: o.explain ?? p.explain,
    conflictLimit: o.conflictLimit ?? p.conflictLimit,
  };
}

function errorResult(engine: Engine, d: Diagnostic, extra: { nodes?: number; fails?: number } = {}): SolveOutcome {
  return {
    status: 'error',
    code: d.code,
    message: d.message,
    values: null,
    raw: null,
    objectives: [],
    conflicts: [],
    conflictsExact: true,
    nodes: 0,
    fails: 0,
    engine,
    diagnostics: [d],
    ...extra,
  };
}

/** Turns an engine's raw result into the public result, re-verifying solutions. */
export function finish(p: ProblemDef, r: RawResult, engine: Engine): SolveResult {
  const diagnostics: Diagnostic[] = [];
  if (r.status === ST_BAD_PROBLEM)
    return errorResult(engine, {
      code: 'solve/bad-problem',
      severity: 'error',
      message: `wasm-core rejected the problem buffer (decoder error ${r.errorCode} at word ${r.errorAt})`,
    });
  const status = STATUS[r.status];
  if (status === undefined)
    return errorResult(engine, { code: 'solve/bad-result', severity: 'error', message: `the ${engine} engine returned unknown status ${r.status}` });
  let values: Record<string, number> | null = null;
  if (r.status === ST_OPTIMAL || r.status === ST_FEASIBLE) {
    const sol = r.solution;
    const bad: string[] = [];
    if (!sol || sol.length !== p.vars.length) bad.push('solution has the wrong number of values');
    else {
      p.vars.forEach((v, i) => {
        const x = sol[i]!;
        if (!(x >= v.lo && x <= v.hi) || (v.values && !v.values.includes(x))) bad.push(`${v.name} = ${x} is outside its domain`);
      });
      p.requirements.forEach((q) => {
        if (sol[q.guard] !== 1) bad.push(`requirement '${q.name}' is not enforced`);
      });
      p.constraints.forEach((c, i) => {
        if (!constraintHolds(c, sol)) bad.push(`constraint ${i}${c.label ? ` (${c.label})` : ''} (${c.kind.type}) is violated`);
      });
      p.objectives.forEach((o, k) => {
        const v = o.terms.reduce((s, [a, x]) => s + a * sol[x]!, 0);
        if (v !== r.objectives[k]) bad.push(`objective ${k} reported ${r.objectives[k]} but evaluates to ${v}`);
      });
    }
    if (bad.length)
      return errorResult(engine, {
        code: 'solve/verify-mismatch',
        severity: 'error',
        message: `the ${engine} engine returned a solution that does not check: ${bad.slice(0, 5).join('; ')}`,
      });
    values = {};
    p.vars.forEach((v, i) => (values![v.name] = sol![i]!));
    if (r.status === ST_FEASIBLE)
      diagnostics.push({
        code: 'solve/budget-exhausted',
        severity: 'warning',
        message: `search budget exhausted after ${r.nodes} nodes / ${r.fails} fails: the solution is feasible but not proven optimal`,
      });
  } else if (r.status === ST_INFEASIBLE) {
    const names = r.conflicts.map((c) => c.map((i) => p.requirements[i]?.name ?? `#${i}`));
    const text = names.length ? names.map((n) => (n.length ? `{${n.join(', ')}}` : '{} (the hard constraints alone)')).join(' ; ') : '';
    diagnostics.push({
      code: 'solve/infeasible',
      severity: 'error',
      message: names.length ? `no solution; minimal conflicting requirements: ${text}` : 'no solution satisfies the constraints',
    });
  } else {
    diagnostics.push({
      code: 'solve/budget-exhausted',
      severity: 'error',
      message: `undecided within budget ${describeBudget(p)}: search stopped after ${r.nodes} nodes / ${r.fails} fails before any solution or proof of infeasibility`,
    });
  }
  const base: OutcomeBase = {
    values: null,
    raw: null,
    objectives: [],
    conflicts: r.conflicts.map((c) => ({ requirements: c.map((i) => p.requirements[i]?.name ?? `#${i}`), indices: c })),
    conflictsExact: r.conflictsExact,
    nodes: r.nodes,
    fails: r.fails,
    engine,
    diagnostics,
  };
  if ((status === 'optimal' || status === 'feasible') && values && r.solution) return { ...base, status, values, raw: r.solution, objectives: r.objectives };
  if (status === 'infeasible') return { ...base, status };
  return { ...base, status: 'unknown', budget: { maxNodes: p.maxNodes, maxFails: p.maxFails } };
}

/** The wasm core, or the error that says why it is missing. Never a silent fallback. */
function wasmCore(): { core: WasmCore; diag: null } | { core: null; diag: Diagnostic } {
  try {
    return { core: loadWasmSync(), diag: null };
  } catch (e) {
    return {
      core: null,
      diag: {
        code: 'solve/wasm-unavailable',
        severity: 'error',
        message: `wasm-core could not be loaded (${(e as Error).message}); pass --engine ts to use the TypeScript engine deliberately`,
      },
    };
  }
}

/**
 * Checks the chosen engine can run before any work starts: with `wasm`, the core must load. The
 * CLI calls this first so a missing or broken core is a loud error, not a quiet change of engine.
 */
export function engineProblem(engine: Engine): Diagnostic | undefined {
  return engine === 'wasm' ? (wasmCore().diag ?? undefined) : undefined;
}

/** Solves with the chosen engine (default wasm). A core that cannot load is an `error` outcome. */
export function solve(problem: ProblemDef | ProblemBuilder, options: SolveOptions = {}): SolveOutcome {
  const engine = options.engine ?? 'wasm';
  const p = withOptions(problem instanceof ProblemBuilder ? problem.build() : problem, options);
  const bad = validateProblem(p);
  if (bad) return errorResult(engine, { code: bad.code, severity: 'error', message: bad.message, path: bad.path });
  if (engine === 'ts') return finish(p, runRef(p), 'ts');
  const loaded = wasmCore();
  if (!loaded.core) return errorResult(engine, loaded.diag);
  return finish(p, loaded.core.solveWords(encodeWords(p)), 'wasm');
}

/** Many problems in one boundary crossing (wasm) or a loop (ts); same results as `solve`. */
export function solveBatch(problems: readonly ProblemDef[], options: SolveOptions = {}): SolveOutcome[] {
  const engine = options.engine ?? 'wasm';
  const ps = problems.map((p) => withOptions(p, options));
  const out: (SolveOutcome | null)[] = ps.map((p) => {
    const bad = validateProblem(p);
    return bad ? errorResult(engine, { code: bad.code, severity: 'error', message: bad.message, path: bad.path }) : null;
  });
  const todo = ps.flatMap((_, i) => (out[i] ? [] : [i]));
  if (engine === 'wasm') {
    const loaded = wasmCore();
    if (!loaded.core) for (const i of todo) out[i] = errorResult(engine, loaded.diag);
    else {
      const raws = loaded.core.solveBatchWords(todo.map((i) => encodeWords(ps[i]!)));
      todo.forEach((i, k) => (out[i] = finish(ps[i]!, raws[k]!, 'wasm')));
    }
  } else for (const i of todo) out[i] = finish(ps[i]!, runRef(ps[i]!), 'ts');
  return out as SolveOutcome[];
}

// ---- assignment -------------------------------------------------------------------------

export interface AssignOptions {
  /** Cost of leaving a row unmatched (default: every row must be matched). */
  readonly noMatchCost?: number;
  /** [row, col] pairs that may not be matched (also: any non-finite cost). */
  readonly forbidden?: readonly (readonly [number, number])[];
  readonly engine?: Engine;
}

export interface AssignResult {
  readonly ok: boolean;
  /** Column per row, -1 = unmatched. */
  readonly rowToCol: readonly number[];
  readonly total: number;
  readonly engine: Engine;
  readonly diagnostics: readonly Diagnostic[];
}

/** Minimum-cost assignment of rows to columns (rectangular; Hungarian / JV potentials). */
export function assign(cost: readonly (readonly number[])[], options: AssignOptions = {}): AssignResult {
  const engine = options.engine ?? 'wasm';
  const n = cost.length;
  const m = n ? cost[0]!.length : 0;
  const noMatch = options.noMatchCost ?? Number.POSITIVE_INFINITY;
  const fail = (code: string, message: string): AssignResult => ({
    ok: false,
    rowToCol: new Array<number>(n).fill(-1),
    total: Number.POSITIVE_INFINITY,
    engine,
    diagnostics: [{ code, severity: 'error', message }],
  });
  if (cost.some((r) => r.length !== m)) return fail('solve/bad-problem', 'cost matrix rows differ in length');
  if (Number.isNaN(noMatch)) return fail('solve/bad-problem', 'noMatchCost is NaN');
  const flat = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) flat[i * m + j] = cost[i]![j]!;
  for (const [i, j] of options.forbidden ?? []) {
    if (!(i >= 0 && i < n && j >= 0 && j < m)) return fail('solve/bad-problem', `forbidden pair [${i}, ${j}] is outside the matrix`);
    flat[i * m + j] = Number.POSITIVE_INFINITY;
  }
  let r: { feasible: boolean; total: number; cols: readonly number[] };
  if (engine === 'wasm') {
    const loaded = wasmCore();
    if (!loaded.core) return { ...fail('solve/wasm-unavailable', loaded.diag.message) };
    r = loaded.core.assign(n, m, flat, noMatch);
  } else r = assignRef(n, m, flat, noMatch);
  if (!r.feasible) return fail('solve/infeasible', 'no complete assignment avoids the forbidden pairs (and no no-match cost was given)');
  // Check on the way back: a valid partial matching whose cost adds up.
  const seen = new Set<number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = r.cols[i]!;
    if (c === -1) {
      total += noMatch;
      continue;
    }
    if (!(c >= 0 && c < m) || seen.has(c) || !Number.isFinite(flat[i * m + c]!))
      return fail('solve/verify-mismatch', `assignment row ${i} -> column ${c} is invalid`);
    seen.add(c);
    total += flat[i * m + c]!;
  }
  if (total !== r.total) return fail('solve/verify-mismatch', `assignment total ${r.total} does not add up (${total})`);
  return { ok: true, rowToCol: r.cols, total, engine, diagnostics: [] };
}

export { ST_INFEASIBLE };
