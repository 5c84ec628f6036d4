import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import { loadYamlWithSchema, type LocatedYaml } from '../yaml/index.ts';
import type { SourceSpan } from '../ir/types.ts';
import { unknownStep, type DriverContract, type Operation, type Role, type Scenario, type ScenarioStep, type Step } from './specification.ts';
import { driverContractSchema, toleranceValue, type DriverContractInput, type ScenarioStepInput, type StepInput } from './schema.ts';

/** Loads a driver contract (layer 1) and checks what the schema cannot: references between its parts. */
export function loadDriverContract(text: string, file: string): StageResult<DriverContract> {
  const loaded = loadYamlWithSchema(text, file, driverContractSchema, 'contract');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const diagnostics = [...loaded.diagnostics];
  const contract = toContract(loaded.value, file, loaded.located);
  checkContractReferences(contract, loaded.located, diagnostics);
  return { value: contract, diagnostics };
}

/** The one place a step's YAML form is told apart: everything downstream switches on `kind`. */
function parseStep(input: StepInput, span: SourceSpan): Step {
  if ('write' in input) return { span, kind: 'write', values: input.write };
  if ('modify' in input) return { span, kind: 'modify', values: input.modify };
  if ('read' in input) return { span, kind: 'read', role: input.read, into: input.into };
  if ('wait' in input) return { span, kind: 'wait', role: input.wait.role, equals: input.wait.equals, timeout: input.wait.timeout };
  if ('clear' in input) return { span, kind: 'clear', role: input.clear };
  if ('solve' in input)
    return { span, kind: 'solve', quantity: input.solve.quantity, target: input.solve.target, tolerance: toleranceValue(input.solve.tolerance) };
  if ('call' in input) return { span, kind: 'call', operation: input.call, args: input.with ?? {} };
  return { span, kind: 'return', value: input.return };
}

function parseScenarioStep(input: ScenarioStepInput, span: SourceSpan): ScenarioStep {
  if ('call' in input)
    return { span, kind: 'call', operation: input.call, args: input.with ?? {}, ...(input.expect !== undefined ? { expect: input.expect } : {}) };
  if ('inject' in input) return { span, kind: 'inject', stream: input.inject.stream, bytes: input.inject.bytes };
  if ('tick' in input) return { span, kind: 'tick', ticks: input.tick };
  if ('expect_output' in input) return { span, kind: 'expect-output', stream: input.expect_output.stream, bytes: input.expect_output.bytes };
  if ('expect_field' in input) return { span, kind: 'expect-field', role: input.expect_field.role, equals: input.expect_field.equals };
  return { span, kind: 'expect-irq', raised: input.expect_irq };
}

function toContract(input: DriverContractInput, file: string, located: LocatedYaml): DriverContract {
  const [board = '', revision = ''] = input.written_for.split('/');
  const roles: Role[] = Object.entries(input.roles).map(([name, r]) => ({
    name,
    span: located.span(['roles', name], 'key'),
    field: r.field,
    was: r.was ?? [],
    read: r.read ?? false,
    write: r.write ?? false,
    ...(r.width !== undefined ? { width: r.width } : {}),
    writes: r.writes ?? [],
    reads: r.reads ?? [],
    relies: r.relies ?? [],
    avoids: r.avoids ?? [],
    optional: r.optional ?? false,
  }));
  const operations: Operation[] = Object.entries(input.operations).map(([name, op]) => ({
    name,
    span: located.span(['operations', name], 'key'),
    ...(op.description !== undefined ? { description: op.description } : {}),
    params: Object.entries(op.params ?? {}).map(([pName, p]) => ({ name: pName, type: p.type, ...(p.role !== undefined ? { role: p.role } : {}) })),
    ...(op.returns !== undefined ? { returns: op.returns } : {}),
    steps: op.steps.map((step, i) => parseStep(step, located.span(['operations', name, 'steps', i]))),
  }));
  const scenarios: Scenario[] = (input.scenarios ?? []).map((s, i) => ({
    name: s.name,
    span: located.span(['scenarios', i, 'name']),
    ...(s.description !== undefined ? { description: s.description } : {}),
    steps: s.steps.map((step, j) => parseScenarioStep(step, located.span(['scenarios', i, 'steps', j]))),
  }));
  return {
    file,
    span: located.span(['driver']),
    driver: input.driver,
    kind: input.kind,
    writtenFor: { board, revision },
    ...(input.description !== undefined ? { description: input.description } : {}),
    roles,
    quantities: input.quantities ?? [],
    operations,
    scenarios,
  };
}

function checkContractReferences(contract: DriverContract, located: LocatedYaml, diagnostics: Diagnostic[]): void {
  const roleNames = new Set(contract.roles.map((r) => r.name));
  const opNames = new Set(contract.operations.map((o) => o.name));
  const unknownRole = (role: string, path: readonly (string | number)[]): void => {
    diagnostics.push({
      code: 'contract/unknown-role',
      severity: 'error',
      message: `unknown role ${JSON.stringify(role)}; roles are ${[...roleNames].join(', ')}`,
      span: located.span(path, 'key'),
    });
  };
  for (const op of contract.operations) {
    const params = new Set(op.params.map((p) => p.name));
    for (const p of op.params) {
      if (p.type === 'enum' && (p.role === undefined || !roleNames.has(p.role))) {
        diagnostics.push({
          code: 'contract/enum-param-role',
          severity: 'error',
          message: `enum parameter ${p.name} needs \`role\` naming a role with enum values`,
          span: located.span(['operations', op.name, 'params', p.name], 'key'),
        });
      }
    }
    const variables = new Set<string>();
    op.steps.forEach((step, i) => {
      const at = ['operations', op.name, 'steps', i];
      const checkValue = (value: unknown, path: readonly (string | number)[]): void => {
        if (typeof value !== 'string') return;
        for (const m of value.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
          const name = m[1] as string;
          if (!params.has(name) && !variables.has(name)) {
            diagnostics.push({
              code: 'contract/unknown-parameter',
              severity: 'error',
              message: `$${name} is neither a parameter of ${op.name} nor a variable read earlier`,
              span: located.span(path),
            });
          }
        }
      };
      switch (step.kind) {
        case 'write':
        case 'modify':
          for (const [role, value] of Object.entries(step.values)) {
            if (!roleNames.has(role)) unknownRole(role, [...at, step.kind, role]);
            checkValue(value, [...at, step.kind, role]);
          }
          break;
        case 'read':
          if (!roleNames.has(step.role)) unknownRole(step.role, [...at, 'read']);
          variables.add(step.into);
          break;
        case 'wait':
          if (!roleNames.has(step.role)) unknownRole(step.role, [...at, 'wait', 'role']);
          break;
        case 'clear':
          if (!roleNames.has(step.role)) unknownRole(step.role, [...at, 'clear']);
          break;
        case 'solve':
          if (!contract.quantities.includes(step.quantity)) {
            diagnostics.push({
              code: 'contract/unknown-quantity',
              severity: 'error',
              message: `quantity ${step.quantity} is not listed under \`quantities\``,
              span: located.span([...at, 'solve', 'quantity']),
            });
          }
          checkValue(step.target, [...at, 'solve', 'target']);
          break;
        case 'call':
          if (!opNames.has(step.operation))
            diagnostics.push({
              code: 'contract/unknown-operation',
              severity: 'error',
              message: `unknown operation ${step.operation}`,
              span: located.span([...at, 'call']),
            });
          break;
        case 'return':
          checkValue(step.value, [...at, 'return']);
          break;
        default:
          unknownStep(step);
      }
    });
  }
  contract.scenarios.forEach((scenario, i) =>
    scenario.steps.forEach((step, j) => {
      if (step.kind === 'call' && !opNames.has(step.operation)) {
        diagnostics.push({
          code: 'contract/unknown-operation',
          severity: 'error',
          message: `unknown operation ${step.operation}`,
          span: located.span(['scenarios', i, 'steps', j, 'call']),
        });
      }
      if (step.kind === 'expect-field' && !roleNames.has(step.role)) unknownRole(step.role, ['scenarios', i, 'steps', j, 'expect_field', 'role']);
    }),
  );
  checkCallCycles(contract, diagnostics);
}

function checkCallCycles(contract: DriverContract, diagnostics: Diagnostic[]): void {
  const callees = (op: Operation): string[] => op.steps.flatMap((s) => (s.kind === 'call' ? [s.operation] : []));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (op: Operation): void => {
    state.set(op.name, 'visiting');
    for (const name of callees(op)) {
      const callee = contract.operations.find((o) => o.name === name);
      if (!callee) continue;
      if (state.get(name) === 'visiting') {
        diagnostics.push({
          code: 'contract/recursive-call',
          severity: 'error',
          message: `operation ${op.name} calls ${name}, which calls back into it`,
          span: op.span,
        });
      } else if (!state.has(name)) visit(callee);
    }
    state.set(op.name, 'done');
  };
  for (const op of contract.operations) if (!state.has(op.name)) visit(op);
}
