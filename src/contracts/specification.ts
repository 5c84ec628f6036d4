/**
 * Layer 1, the specification: a driver contract says what a driver needs of a peripheral (roles,
 * operations written over roles, scenarios), in the revision it was written for. Loaded from
 * `*.driver.yaml` by ./specification-load.ts.
 */
import type { SourceSpan } from '../ir/types.ts';
import type { SideEffect } from './schema.ts';

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

/** A value as a step writes it: a number, a `$param` or variable read earlier, or an enum value name. */
export type StepValue = number | string;

/**
 * One step of an operation, parsed once from its YAML form (./specification-load.ts). Binding,
 * lowering and the scenario runner switch on `kind`, so a new kind of step fails to compile wherever
 * it is not handled yet.
 */
export type Step = { readonly span: SourceSpan } & (
  | { readonly kind: 'write'; readonly values: Readonly<Record<string, StepValue>> }
  /** Read-modify-write of the named roles' fields, the register's other fields kept. */
  | { readonly kind: 'modify'; readonly values: Readonly<Record<string, StepValue>> }
  | { readonly kind: 'read'; readonly role: string; readonly into: string }
  | { readonly kind: 'wait'; readonly role: string; readonly equals: StepValue; readonly timeout: number }
  | { readonly kind: 'clear'; readonly role: string }
  /** Program the fields of a derived quantity for `target`, within `tolerance` (a fraction). */
  | { readonly kind: 'solve'; readonly quantity: string; readonly target: StepValue; readonly tolerance: number }
  | { readonly kind: 'call'; readonly operation: string; readonly args: Readonly<Record<string, StepValue>> }
  | { readonly kind: 'return'; readonly value: StepValue }
);

/** Reports a step kind a switch does not handle: unreachable while every kind has its case. */
export function unknownStep(step: never): never {
  throw new Error(`unknown step ${JSON.stringify(step)}`);
}

export interface Operation {
  readonly name: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly params: readonly OperationParam[];
  readonly returns?: 'u8' | 'u16' | 'u32' | 'bool';
  readonly steps: readonly Step[];
}

/** One step of a conformance scenario, parsed once like operation steps. */
export type ScenarioStep = { readonly span: SourceSpan } & (
  | { readonly kind: 'call'; readonly operation: string; readonly args: Readonly<Record<string, StepValue>>; readonly expect?: StepValue }
  /** Bytes arriving on an input stream of the peripheral. */
  | { readonly kind: 'inject'; readonly stream: string; readonly bytes: readonly number[] }
  | { readonly kind: 'tick'; readonly ticks: number }
  /** The bytes sent on an output stream since the last such expectation. */
  | { readonly kind: 'expect-output'; readonly stream: string; readonly bytes: readonly number[] }
  | { readonly kind: 'expect-field'; readonly role: string; readonly equals: StepValue }
  | { readonly kind: 'expect-irq'; readonly raised: boolean }
);

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
  for (const step of operation.steps) {
    switch (step.kind) {
      case 'write':
      case 'modify':
        Object.keys(step.values).forEach((r) => roles.add(r));
        break;
      case 'read':
      case 'wait':
      case 'clear':
        roles.add(step.role);
        break;
      case 'solve':
        solveRoles(step.quantity).forEach((r) => roles.add(r));
        break;
      case 'call': {
        const callee = contract.operations.find((o) => o.name === step.operation);
        if (callee) rolesUsedBy(contract, callee, solveRoles, seen).forEach((r) => roles.add(r));
        break;
      }
      case 'return':
        break;
      default:
        unknownStep(step);
    }
  }
  return roles;
}
