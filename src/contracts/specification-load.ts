import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import { loadYamlWithSchema, type LocatedYaml } from '../yaml/index.ts';
import type { DriverContract, Operation, Role, Scenario } from './specification.ts';
import { driverContractSchema, type DriverContractInput } from './schema.ts';

/** Loads a driver contract (layer 1) and checks what the schema cannot: references between its parts. */
export function loadDriverContract(text: string, file: string): StageResult<DriverContract> {
  const loaded = loadYamlWithSchema(text, file, driverContractSchema, 'contract');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const diagnostics = [...loaded.diagnostics];
  const contract = toContract(loaded.value, file, loaded.located);
  checkContractReferences(contract, loaded.value, loaded.located, diagnostics);
  return { value: contract, diagnostics };
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
    steps: op.steps.map((step, i) => ({ input: step, span: located.span(['operations', name, 'steps', i]) })),
  }));
  const scenarios: Scenario[] = (input.scenarios ?? []).map((s, i) => ({
    name: s.name,
    span: located.span(['scenarios', i, 'name']),
    ...(s.description !== undefined ? { description: s.description } : {}),
    steps: s.steps.map((step, j) => ({ input: step, span: located.span(['scenarios', i, 'steps', j]) })),
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

function checkContractReferences(contract: DriverContract, input: DriverContractInput, located: LocatedYaml, diagnostics: Diagnostic[]): void {
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
  for (const [opName, op] of Object.entries(input.operations)) {
    const params = new Set(Object.keys(op.params ?? {}));
    for (const [pName, p] of Object.entries(op.params ?? {})) {
      if (p.type === 'enum' && (p.role === undefined || !roleNames.has(p.role))) {
        diagnostics.push({
          code: 'contract/enum-param-role',
          severity: 'error',
          message: `enum parameter ${pName} needs \`role\` naming a role with enum values`,
          span: located.span(['operations', opName, 'params', pName], 'key'),
        });
      }
    }
    const variables = new Set<string>();
    op.steps.forEach((step, i) => {
      const at = ['operations', opName, 'steps', i];
      const checkValue = (value: unknown, path: readonly (string | number)[]): void => {
        if (typeof value !== 'string') return;
        for (const m of value.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
          const name = m[1] as string;
          if (!params.has(name) && !variables.has(name)) {
            diagnostics.push({
              code: 'contract/unknown-parameter',
              severity: 'error',
              message: `$${name} is neither a parameter of ${opName} nor a variable read earlier`,
              span: located.span(path),
            });
          }
        }
      };
      if ('write' in step || 'modify' in step) {
        const values = 'write' in step ? step.write : step.modify;
        for (const [role, value] of Object.entries(values)) {
          if (!roleNames.has(role)) unknownRole(role, [...at, 'write' in step ? 'write' : 'modify', role]);
          checkValue(value, [...at, 'write' in step ? 'write' : 'modify', role]);
        }
      } else if ('read' in step) {
        if (!roleNames.has(step.read)) unknownRole(step.read, [...at, 'read']);
        variables.add(step.into);
      } else if ('wait' in step) {
        if (!roleNames.has(step.wait.role)) unknownRole(step.wait.role, [...at, 'wait', 'role']);
      } else if ('clear' in step) {
        if (!roleNames.has(step.clear)) unknownRole(step.clear, [...at, 'clear']);
      } else if ('solve' in step) {
        if (!contract.quantities.includes(step.solve.quantity)) {
          diagnostics.push({
            code: 'contract/unknown-quantity',
            severity: 'error',
            message: `quantity ${step.solve.quantity} is not listed under \`quantities\``,
            span: located.span([...at, 'solve', 'quantity']),
          });
        }
        checkValue(step.solve.target, [...at, 'solve', 'target']);
      } else if ('call' in step) {
        if (!opNames.has(step.call))
          diagnostics.push({
            code: 'contract/unknown-operation',
            severity: 'error',
            message: `unknown operation ${step.call}`,
            span: located.span([...at, 'call']),
          });
      } else if ('return' in step) {
        checkValue(step.return, [...at, 'return']);
      }
    });
  }
  (input.scenarios ?? []).forEach((scenario, i) =>
    scenario.steps.forEach((step, j) => {
      if ('call' in step && !opNames.has(step.call)) {
        diagnostics.push({
          code: 'contract/unknown-operation',
          severity: 'error',
          message: `unknown operation ${step.call}`,
          span: located.span(['scenarios', i, 'steps', j, 'call']),
        });
      }
      if ('expect_field' in step && !roleNames.has(step.expect_field.role))
        unknownRole(step.expect_field.role, ['scenarios', i, 'steps', j, 'expect_field', 'role']);
    }),
  );
  checkCallCycles(contract, diagnostics);
}

function checkCallCycles(contract: DriverContract, diagnostics: Diagnostic[]): void {
  const callees = (op: Operation): string[] => op.steps.flatMap((s) => ('call' in s.input ? [s.input.call] : []));
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
