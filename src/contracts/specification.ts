/**
 * Layer 1, the specification: a driver contract says what a driver needs of a peripheral (roles,
 * operations written over roles, scenarios), in the revision it was written for. Loaded from
 * `*.driver.yaml` by ./specification-load.ts.
 */
import type { SourceSpan } from '../ir/types.ts';
import type { SideEffect, StepInput, ScenarioStepInput } from './schema.ts';

/** A driver's need for one field, by role (layer 1). */
export interface Role {
  readonly name: string;
  readonly span: SourceSpan;
  /** Path relative to the peripheral, in the revision the contract was written for. */
  readonly field: string;
  readonly was: readonly string[];
  readonly read: boolean;
  readonly write: boolean;
  readonly width?: number;
  readonly writes: readonly string[];
  readonly reads: readonly string[];
  readonly relies: readonly SideEffect[];
  readonly avoids: readonly SideEffect[];
  readonly optional: boolean;
}

export interface OperationParam {
  readonly name: string;
  readonly type: 'u8' | 'u16' | 'u32' | 'bool' | 'enum';
  readonly role?: string;
}

export interface Step {
  readonly span: SourceSpan;
  readonly input: StepInput;
}

export interface Operation {
  readonly name: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly params: readonly OperationParam[];
  readonly returns?: 'u8' | 'u16' | 'u32' | 'bool';
  readonly steps: readonly Step[];
}

export interface ScenarioStep {
  readonly span: SourceSpan;
  readonly input: ScenarioStepInput;
}

export interface Scenario {
  readonly name: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly steps: readonly ScenarioStep[];
}

export interface DriverContract {
  readonly file: string;
  readonly span: SourceSpan;
  readonly driver: string;
  readonly kind: string;
  readonly writtenFor: { readonly board: string; readonly revision: string };
  readonly description?: string;
  readonly roles: readonly Role[];
  readonly quantities: readonly string[];
  readonly operations: readonly Operation[];
  readonly scenarios: readonly Scenario[];
}

/**
 * Every role an operation touches, following `call` steps (each operation once). A `solve` step
 * touches the roles whose fields the quantity's expression uses: only binding knows those, so it
 * passes `solveRoles`.
 */
export function rolesUsedBy(
  contract: DriverContract,
  operation: Operation,
  solveRoles: (quantity: string) => readonly string[] = () => [],
  seen = new Set<string>(),
): Set<string> {
  const roles = new Set<string>();
  if (seen.has(operation.name)) return roles;
  seen.add(operation.name);
  for (const { input } of operation.steps) {
    if ('write' in input) Object.keys(input.write).forEach((r) => roles.add(r));
    else if ('modify' in input) Object.keys(input.modify).forEach((r) => roles.add(r));
    else if ('read' in input) roles.add(input.read);
    else if ('wait' in input) roles.add(input.wait.role);
    else if ('clear' in input) roles.add(input.clear);
    else if ('solve' in input) solveRoles(input.solve.quantity).forEach((r) => roles.add(r));
    else if ('call' in input) {
      const callee = contract.operations.find((o) => o.name === input.call);
      if (callee) rolesUsedBy(contract, callee, solveRoles, seen).forEach((r) => roles.add(r));
    }
  }
  return roles;
}
