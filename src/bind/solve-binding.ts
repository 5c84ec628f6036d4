import { ProblemBuilder, solve, unhandled, type Budget, type Engine, type Solver } from '../solve/index.ts';
import type { Conflict } from './types.ts';

/** One requirement of one role, evaluated on each candidate field (index 0 is "no field"). */
export interface RoleRequirement {
  readonly role: string;
  /** Stable id, e.g. `role:loopback:present`. */
  readonly id: string;
  /** Which candidate indices satisfy it (0 = the role left unbound). */
  readonly allowed: readonly number[];
  /** The conflict to report when this requirement is part of a minimal conflict. */
  readonly conflict: Conflict;
}

export interface RoleCandidates {
  readonly role: string;
  /** Number of candidate fields; variable domain is 0..count (0 = unbound). */
  readonly count: number;
  /** A stable id per candidate field (its path), so two roles never bind to one field. */
  readonly fieldIds: readonly string[];
}

/** What solving a binding established: never "feasible" unless the solver said so. */
export type BindingOutcome =
  | { readonly status: 'feasible' }
  | { readonly status: 'infeasible'; readonly conflicts: readonly (readonly Conflict[])[] }
  | { readonly status: 'unknown'; readonly budget: Budget }
  | { readonly status: 'error'; readonly code: string; readonly message: string };

/** Budget of one binding problem: small (a handful of roles), so reaching it means something is wrong. */
export const BINDING_MAX_NODES = 100_000;

/**
 * The binding of one operation's roles as a constraint problem: a variable per role choosing among
 * its candidate fields (or none), every requirement a guarded constraint, no two roles on one
 * field. Infeasible means the revision cannot serve the operation; the solver's minimal conflicts
 * say exactly which requirements clash.
 */
export function solveBinding(
  roles: readonly RoleCandidates[],
  requirements: readonly RoleRequirement[],
  engine: Engine = 'wasm',
  solver: Solver = solve,
): BindingOutcome {
  const b = new ProblemBuilder();
  const vars = new Map(roles.map((r) => [r.role, b.intVar(`role:${r.role}`, 0, r.count)]));
  for (const req of requirements) {
    const v = vars.get(req.role);
    if (!v) continue;
    const guard = b.requirement(req.id);
    b.inSet(v, req.allowed.length ? req.allowed : [-1], { guard, label: req.id });
  }
  // No two roles on one field: for each shared field, at most one role picks it.
  const byField = new Map<string, { role: string; index: number }[]>();
  for (const r of roles) r.fieldIds.forEach((id, i) => byField.set(id, [...(byField.get(id) ?? []), { role: r.role, index: i + 1 }]));
  for (const [field, users] of byField) {
    if (users.length < 2) continue;
    for (let i = 0; i < users.length; i++) {
      for (let j = i + 1; j < users.length; j++) {
        const a = users[i]!;
        const c = users[j]!;
        const ta = b.boolVar(`uses:${a.role}:${field}`);
        const tc = b.boolVar(`uses:${c.role}:${field}`);
        b.table(
          [vars.get(a.role)!, ta],
          Array.from({ length: roles.find((r) => r.role === a.role)!.count + 1 }, (_, k) => [k, k === a.index ? 1 : 0]),
        );
        b.table(
          [vars.get(c.role)!, tc],
          Array.from({ length: roles.find((r) => r.role === c.role)!.count + 1 }, (_, k) => [k, k === c.index ? 1 : 0]),
        );
        b.linear([ta, tc], '<=', 1, { label: `${a.role} and ${c.role} cannot both bind ${field}` });
      }
    }
  }
  const result = solver(b.build({ explain: 'all', conflictLimit: 8, maxNodes: BINDING_MAX_NODES }), { engine });
  switch (result.status) {
    case 'optimal':
    case 'feasible':
      return { status: 'feasible' };
    case 'infeasible': {
      const byId = new Map(requirements.map((r) => [r.id, r.conflict]));
      return {
        status: 'infeasible',
        conflicts: result.conflicts.map((c) => c.requirements.map((id) => byId.get(id)).filter((x): x is Conflict => x !== undefined)),
      };
    }
    case 'unknown':
      return { status: 'unknown', budget: result.budget };
    case 'error':
      return { status: 'error', code: result.code, message: result.message };
    default:
      return unhandled(result);
  }
}
