import type { Device, Field, Peripheral, SourceSpan } from '../ir/types.ts';
import { findByPath } from '../ir/walk.ts';
import { evaluate, namesIn, parseExpr } from '../expr/index.ts';
import { ProblemBuilder, solve, unhandled, type Budget, type Engine, type Solver, type VarRef } from '../solve/index.ts';
import { toRational, UnsupportedExpression, type Factor, type Linear } from './rational.ts';
import type { Layer } from '../contracts/index.ts';

/** One requirement of a target problem, tagged with the layer it comes from. */
export interface Requirement {
  readonly id: string;
  readonly layer: Layer;
  readonly text: string;
  readonly span?: SourceSpan;
}

export interface TargetProblem {
  readonly device: Device;
  readonly peripheral: Peripheral;
  readonly quantity: string;
  readonly target: number;
  /** Tolerances as fractions, each a requirement of its own layer. */
  readonly tolerances: readonly { readonly tolerance: number; readonly requirement: Requirement }[];
  /** Fields fixed by the configuration (absolute path → value). */
  readonly fixed?: readonly { readonly path: string; readonly value: number; readonly requirement: Requirement }[];
  /** Clock values (layer 2 unless the configuration overrides them). */
  readonly clocks: readonly { readonly name: string; readonly hz: number; readonly requirement: Requirement }[];
  readonly prefer?: 'low-power' | 'speed';
  /** Drop these requirement ids (used to search for alternatives). */
  readonly relax?: ReadonlySet<string>;
  /**
   * Search budget in nodes (default 2 000 000). A solution found when the budget runs out still
   * meets every tolerance; it is only not proven the least-error one (`optimal: false`).
   */
  readonly maxNodes?: number;
  /** Optimise closeness of this clock to its spec value first (used to suggest a clock change). */
  readonly closestClock?: string;
  readonly engine?: Engine;
  /** The solver to use (default: `solve`); tests inject one to drive the unknown and error paths. */
  readonly solver?: Solver;
}

/** What solving one target established; callers switch on `status` exhaustively. */
export type TargetSolution =
  | {
      readonly status: 'solved';
      /** Absolute field path → value. */
      readonly fields: Readonly<Record<string, number>>;
      readonly clocks: Readonly<Record<string, number>>;
      readonly achieved?: number;
      /** Relative error of the achieved value. */
      readonly error?: number;
      readonly engine: Engine;
      /** False when the budget ran out before the least error was proven. */
      readonly optimal: boolean;
    }
  | {
      readonly status: 'infeasible';
      /** Minimal conflicting requirement sets, each requirement tagged with its own layer. */
      readonly conflicts: readonly (readonly Requirement[])[];
      readonly engine: Engine;
    }
  /** Undecided within the budget: neither a setting nor a proof that none exists. */
  | { readonly status: 'unknown'; readonly budget: Budget; readonly engine: Engine }
  /** An internal error (bad quantity, solver failure) with its stable code. */
  | { readonly status: 'error'; readonly code: string; readonly message: string; readonly engine?: Engine };

interface Compiled {
  readonly builder: ProblemBuilder;
  readonly fieldVars: Map<string, VarRef>;
  readonly clockVars: Map<string, VarRef>;
  readonly num: VarRef;
  readonly den: VarRef;
  readonly errorVar: VarRef;
  readonly requirements: Map<string, Requirement>;
}

const MAX_DOMAIN = 2 ** 52;

/** Resolves a quantity's name to an absolute field path, a clock, or nothing. */
export function resolveQuantityName(
  device: Device,
  peripheral: Peripheral,
  name: string,
): { kind: 'field'; path: string; field: Field } | { kind: 'clock' } | undefined {
  for (const candidate of [`${peripheral.name}.${name}`, name]) {
    const node = findByPath(device, candidate);
    if (node?.kind === 'field') return { kind: 'field', path: candidate, field: node };
  }
  if (!name.includes('.')) return { kind: 'clock' };
  return undefined;
}

/**
 * Gives a linear expression a variable of its own: products of sub-expressions through product
 * constraints (factored, as written), sums through one linear equation. `minimum` narrows the
 * domain: the ratio constraint needs numerator and divisor of at least 1.
 */
function materialise(
  b: ProblemBuilder,
  linear: Linear,
  vars: Map<string, VarRef>,
  bounds: Map<number, [number, number]>,
  label: string,
  minimum: number,
): VarRef {
  const only = linear.terms.length === 1 && linear.constant === 0 && linear.terms[0]?.coef === 1 ? linear.terms[0].factor : undefined;
  const factorVar = (factor: Factor, name: string): VarRef => {
    if (factor.kind === 'var') return vars.get(factor.name) as VarRef;
    if (factor.kind === 'pow2') return powerOfTwo(b, vars.get(factor.name) as VarRef, bounds, `2^${factor.name}`);
    let acc = materialise(b, factor.factors[0] as Linear, vars, bounds, `${name}.0`, 0);
    factor.factors.slice(1).forEach((f, i) => {
      const next = materialise(b, f, vars, bounds, `${name}.${i + 1}`, 0);
      const [aLo, aHi] = bounds.get(acc.id) as [number, number];
      const [bLo, bHi] = bounds.get(next.id) as [number, number];
      const corners = [aLo * bLo, aLo * bHi, aHi * bLo, aHi * bHi];
      const product = b.intVar(`${name}.x${i + 1}`, Math.min(...corners), Math.min(Math.max(...corners), MAX_DOMAIN));
      bounds.set(product.id, [Math.min(...corners), Math.max(...corners)]);
      b.product(acc, next, product, { label: `${name} product` });
      acc = product;
    });
    return acc;
  };
  if (only) {
    const v = factorVar(only, label);
    if ((bounds.get(v.id)?.[0] ?? 0) >= minimum) return v;
  }
  const terms: (readonly [number, VarRef])[] = [];
  let lo = linear.constant;
  let hi = linear.constant;
  linear.terms.forEach((t, i) => {
    const v = factorVar(t.factor, `${label}.t${i}`);
    const [vLo, vHi] = bounds.get(v.id) as [number, number];
    terms.push([t.coef, v]);
    lo += Math.min(t.coef * vLo, t.coef * vHi);
    hi += Math.max(t.coef * vLo, t.coef * vHi);
  });
  lo = Math.max(lo, minimum);
  const total = b.intVar(label, lo, Math.min(hi, MAX_DOMAIN));
  bounds.set(total.id, [lo, hi]);
  // total = Σ coef·factor + constant
  b.linear([...terms, [-1, total]], '=', -linear.constant, { label: `${label} definition` });
  return total;
}

/** A variable holding 2^exponent, tied to the exponent by a table of the powers its domain allows. */
function powerOfTwo(b: ProblemBuilder, exponent: VarRef, bounds: Map<number, [number, number]>, name: string): VarRef {
  const [, hi] = bounds.get(exponent.id) as [number, number];
  const top = Math.min(hi, 52);
  const v = b.intVar(name, 1, 2 ** top);
  bounds.set(v.id, [1, 2 ** top]);
  b.element(
    exponent,
    v,
    Array.from({ length: top + 1 }, (_, i) => 2 ** i),
    { label: `${name} = 2^exponent` },
  );
  return v;
}

function compile(problem: TargetProblem, expression: string): Compiled {
  const parsed = parseExpr(expression);
  if (!parsed.expr) throw new UnsupportedExpression(parsed.error?.message ?? 'cannot parse');
  const b = new ProblemBuilder();
  const requirements = new Map<string, Requirement>();
  const vars = new Map<string, VarRef>();
  const bounds = new Map<number, [number, number]>();
  const fieldVars = new Map<string, VarRef>();
  const clockVars = new Map<string, VarRef>();
  const fixedByPath = new Map((problem.fixed ?? []).map((f) => [f.path, f]));
  for (const name of namesIn(parsed.expr)) {
    const resolved = resolveQuantityName(problem.device, problem.peripheral, name);
    if (!resolved) throw new UnsupportedExpression(`${name} is neither a field of ${problem.peripheral.name} nor a clock`);
    if (resolved.kind === 'field') {
      // A write constraint (SVD writeConstraint, an overlay's `range`) narrows the field's values.
      const range = resolved.field.access.writeConstraint?.kind === 'range' ? resolved.field.access.writeConstraint : undefined;
      const lo = Math.max(range?.min ?? 0, 0);
      const hi = Math.min(range?.max ?? Infinity, 2 ** resolved.field.width - 1);
      // Prescaler-like fields first: with `prefer`, search tries high (low-power) or low (speed) values first.
      const v = b.intVar(resolved.path, lo, hi, problem.prefer === 'low-power' ? { preferMax: true } : {});
      vars.set(name, v);
      fieldVars.set(resolved.path, v);
      bounds.set(v.id, [lo, hi]);
      const fixed = fixedByPath.get(resolved.path);
      if (fixed && !problem.relax?.has(fixed.requirement.id)) {
        const g = b.requirement(fixed.requirement.id);
        requirements.set(fixed.requirement.id, fixed.requirement);
        b.linear([v], '=', fixed.value, { guard: g, label: fixed.requirement.text });
      }
    } else {
      const clock = problem.clocks.find((c) => c.name === name);
      if (!clock) throw new UnsupportedExpression(`unknown clock ${name}`);
      // The clock is a variable pinned by a layer-2 requirement, so a conflict can name it and a
      // relaxed problem can say which clock would work.
      const v = b.intVar(name, 1, Math.max(4 * clock.hz, 1));
      vars.set(name, v);
      clockVars.set(name, v);
      bounds.set(v.id, [1, Math.max(4 * clock.hz, 1)]);
      if (!problem.relax?.has(clock.requirement.id)) {
        const g = b.requirement(clock.requirement.id);
        requirements.set(clock.requirement.id, clock.requirement);
        b.linear([v], '=', clock.hz, { guard: g, label: clock.requirement.text });
      }
    }
  }
  const rational = toRational(parsed.expr, (n) => vars.has(n));
  // A quantity is positive and its divisor at least 1 (a zero divider is not a setting).
  const num = materialise(b, rational.num, vars, bounds, 'num', 1);
  const den = materialise(b, rational.den, vars, bounds, 'den', 1);
  const target = b.constant(problem.target, 'target');
  const [, denHi] = bounds.get(den.id) as [number, number];
  const [, numHi] = bounds.get(num.id) as [number, number];
  // Hint 0: trying an exact setting first lets the divisor be fixed, and its factors follow.
  const errorVar = b.intVar('error', 0, Math.min(Math.max(problem.target * denHi, numHi), MAX_DOMAIN), { hint: 0 });
  // |num − target·den| ≤ error: the absolute error on the numerator's scale (exact integers).
  b.linear([num, [-problem.target, den], [-1, errorVar]], '<=', 0, { label: 'error above' });
  b.linear(
    [
      [-1, num],
      [problem.target, den],
      [-1, errorVar],
    ],
    '<=',
    0,
    { label: 'error below' },
  );
  for (const t of problem.tolerances) {
    if (problem.relax?.has(t.requirement.id)) continue;
    const g = b.requirement(t.requirement.id);
    requirements.set(t.requirement.id, t.requirement);
    b.ratio({ input: num, output: target, divs: [den], ppm: Math.round(t.tolerance * 1_000_000) }, { guard: g, label: t.requirement.text });
  }
  if (problem.closestClock !== undefined) {
    const clock = problem.clocks.find((c) => c.name === problem.closestClock);
    const v = clockVars.get(problem.closestClock);
    if (clock && v) {
      const distance = b.intVar('clock-distance', 0, 4 * clock.hz);
      b.linear([v, [-1, distance]], '<=', clock.hz);
      b.linear(
        [
          [-1, v],
          [-1, distance],
        ],
        '<=',
        -clock.hz,
      );
      b.minimize([distance]);
    }
  }
  b.minimize([errorVar]);
  const firstField = [...fieldVars.values()][0];
  if (firstField && problem.prefer === 'low-power') b.maximize([firstField]);
  else if (firstField && problem.prefer === 'speed') b.minimize([firstField]);
  return { builder: b, fieldVars, clockVars, num, den, errorVar, requirements };
}

/** Solves one target of a configuration: field values that bring a quantity within tolerance. */
export function solveTarget(problem: TargetProblem, extra?: (c: Compiled) => void): TargetSolution {
  const quantity = problem.peripheral.quantities.find((q) => q.name === problem.quantity);
  if (!quantity) return { status: 'error', code: 'configure/unsolvable-quantity', message: `${problem.peripheral.name} has no quantity ${problem.quantity}` };
  // An exact setting, when one exists, has the least error; looking for it first (error pinned to 0,
  // small budget) is fast where proving optimality by branch and bound over wide prescaler × period
  // domains is slow. Only when none turns up does the full optimisation run.
  if (problem.closestClock === undefined) {
    const exact = attempt(
      problem,
      quantity.expression,
      (c) => {
        extra?.(c);
        c.builder.linear([c.errorVar], '<=', 0, { label: 'exact' });
      },
      { maxNodes: 5_000, explain: 'none' },
    );
    switch (exact.status) {
      case 'solved':
        return { ...exact, optimal: true };
      case 'error':
        return exact;
      case 'infeasible':
      case 'unknown':
        break; // no exact setting within the small budget: optimise below
      default:
        return unhandled(exact);
    }
  }
  return attempt(problem, quantity.expression, extra, { maxNodes: problem.maxNodes ?? 2_000_000, explain: 'all' });
}

function attempt(
  problem: TargetProblem,
  expression: string,
  extra: ((c: Compiled) => void) | undefined,
  options: { maxNodes: number; explain: 'none' | 'all' },
): TargetSolution {
  let compiled: Compiled;
  try {
    compiled = compile(problem, expression);
  } catch (error) {
    if (error instanceof UnsupportedExpression)
      return { status: 'error', code: 'configure/unsolvable-quantity', message: `quantity ${problem.quantity}: ${error.message}` };
    throw error;
  }
  extra?.(compiled);
  const solver = problem.solver ?? solve;
  const result = solver(
    compiled.builder.build({ explain: options.explain, conflictLimit: 8, maxNodes: options.maxNodes }),
    problem.engine ? { engine: problem.engine } : {},
  );
  switch (result.status) {
    case 'optimal':
    case 'feasible':
      break;
    case 'infeasible':
      return { status: 'infeasible', conflicts: result.conflicts.map((c) => namedRequirements(c.requirements, compiled.requirements)), engine: result.engine };
    case 'unknown':
      return { status: 'unknown', budget: result.budget, engine: result.engine };
    case 'error':
      return { status: 'error', code: result.code, message: result.message, engine: result.engine };
    default:
      return unhandled(result);
  }
  const raw = result.raw;
  const fields = Object.fromEntries([...compiled.fieldVars].map(([path, v]) => [path, raw[v.id] as number]));
  const clocks = Object.fromEntries([...compiled.clockVars].map(([name, v]) => [name, raw[v.id] as number]));
  const parsed = parseExpr(expression).expr;
  const achieved = parsed
    ? evaluate(parsed, (name) => {
        const resolved = resolveQuantityName(problem.device, problem.peripheral, name);
        return resolved?.kind === 'field' ? fields[resolved.path] : clocks[name];
      })
    : undefined;
  return {
    status: 'solved',
    fields,
    clocks,
    ...(achieved !== undefined ? { achieved, error: Math.abs(achieved - problem.target) / problem.target } : {}),
    engine: result.engine,
    optimal: result.status === 'optimal',
  };
}

/** A conflict's requirement ids back to the requirements (each carries its own layer). */
function namedRequirements(ids: readonly string[], known: ReadonlyMap<string, Requirement>): Requirement[] {
  return ids.map((id) => {
    const r = known.get(id);
    if (!r) throw new Error(`solver named requirement ${id}, which this problem never declared`);
    return r;
  });
}

/** The nearest achievable values of the quantity below and above the target (tolerances dropped). */
export function nearestAchievable(problem: TargetProblem): number[] {
  const relax = new Set([...(problem.relax ?? []), ...problem.tolerances.map((t) => t.requirement.id)]);
  const out: number[] = [];
  for (const side of ['below', 'above'] as const) {
    const r = solveTarget({ ...problem, relax }, (c) => {
      // quantity ≤ target ⇔ num ≤ target·den (den > 0), and the reverse for above.
      c.builder.linear([c.num, [-problem.target, c.den]], side === 'below' ? '<=' : '>=', 0, { label: `quantity ${side} target` });
    });
    if (r.status === 'solved' && r.achieved !== undefined && !out.includes(r.achieved)) out.push(r.achieved);
  }
  return out.sort((a, b) => a - b);
}

/** The clock value closest to the current one that would meet every tolerance. */
export function clockThatWorks(problem: TargetProblem, clockName: string): number | undefined {
  const clock = problem.clocks.find((c) => c.name === clockName);
  if (!clock) return undefined;
  const relax = new Set([...(problem.relax ?? []), clock.requirement.id]);
  const r = solveTarget({ ...problem, relax, closestClock: clockName });
  return r.status === 'solved' ? r.clocks[clockName] : undefined;
}
