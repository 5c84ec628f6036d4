import type { Diagnostic } from '../../src/diagnostics/types.ts';
import type { FieldView, PeripheralView, RegisterView } from './analysis.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';
import type { GenOperation, GenStep, GenValue } from './types.ts';

/** A step with its register and field resolved against the analysed layout. */
export type ResolvedStep =
  | { readonly kind: 'write' | 'modify'; readonly register: RegisterView; readonly fields: readonly { readonly field: FieldView; readonly value: GenValue }[] }
  | { readonly kind: 'read'; readonly register: RegisterView; readonly field: FieldView; readonly into: string }
  | { readonly kind: 'wait'; readonly register: RegisterView; readonly field: FieldView; readonly equals: GenValue; readonly timeoutMs: GenValue }
  | { readonly kind: 'clear'; readonly register: RegisterView; readonly field: FieldView }
  | { readonly kind: 'return'; readonly value: GenValue };

export interface ResolvedOperation {
  readonly op: GenOperation;
  readonly steps: readonly ResolvedStep[];
  /** Locals assigned by read steps, in first-assignment order. */
  readonly locals: readonly string[];
}

/**
 * Resolves every operation of the model against the peripheral types and groups them by type name
 * (operations live on the layout, so peripherals sharing a layout share them). Operations naming
 * registers or fields that do not exist, or using an array register, are located errors.
 */
export function resolveOperations(ops: readonly GenOperation[], peripherals: readonly PeripheralView[], diagnostics: Diagnostic[]): Map<string, ResolvedOperation[]> {
  const out = new Map<string, ResolvedOperation[]>();
  const byName = new Map(peripherals.map((p) => [p.name, p]));
  for (const op of ops) {
    const peripheral = byName.get(op.peripheral);
    const fail = (message: string): void => {
      diagnostics.push({ code: 'generate/bad-operation', severity: 'error', message: `operation ${op.name} of ${op.peripheral}: ${message}`, ...(op.span ? { span: op.span } : {}), path: op.peripheral });
    };
    if (!peripheral) {
      fail('no such peripheral');
      continue;
    }
    const names = [op.name, ...op.params.map((p) => p.name)];
    const bad = names.find((n) => !isSafeIdentifier(n));
    if (bad !== undefined) {
      diagnostics.push(unsafeNameDiagnostic('operation', bad, op.peripheral, op.span));
      continue;
    }
    const list = out.get(peripheral.typeName) ?? [];
    if (list.some((r) => r.op.name === op.name)) continue; // same operation through another peripheral of the layout
    const steps: ResolvedStep[] = [];
    const locals: string[] = [];
    let ok = true;
    const register = (path: string): RegisterView | undefined => {
      const reg = peripheral.registers.find((r) => r.nameParts.join('.') === path);
      if (!reg) fail(`no register ${path}`);
      else if (reg.arrayLevels.length > 0) fail(`register ${path} is an array; operations address single registers`);
      else return reg;
      return undefined;
    };
    const field = (reg: RegisterView, name: string): FieldView | undefined => {
      const f = reg.fields.find((x) => x.name === name);
      if (!f) fail(`no field ${reg.name}.${name}`);
      return f;
    };
    const checkValue = (v: GenValue): void => {
      if ('param' in v && !op.params.some((p) => p.name === v.param)) fail(`unknown parameter ${v.param}`);
      if ('local' in v && !locals.includes(v.local)) fail(`${v.local} is used before it is read`);
    };
    for (const step of op.steps as readonly GenStep[]) {
      if (step.kind === 'return') {
        checkValue(step.value);
        steps.push(step);
        continue;
      }
      const reg = register(step.register);
      if (!reg) {
        ok = false;
        break;
      }
      if (step.kind === 'write' || step.kind === 'modify') {
        const fields = step.fields.map((f) => ({ field: field(reg, f.field), value: f.value }));
        if (fields.some((f) => f.field === undefined)) {
          ok = false;
          break;
        }
        step.fields.forEach((f) => checkValue(f.value));
        if (step.kind === 'modify' && (reg.readSideEffect || !reg.readable)) fail(`modify of ${reg.name} would read it, and reading it has side effects or is not possible; use write`);
        steps.push({ kind: step.kind, register: reg, fields: fields as { field: FieldView; value: GenValue }[] });
        continue;
      }
      const f = field(reg, step.field);
      if (!f) {
        ok = false;
        break;
      }
      if (step.kind === 'read') {
        if (!isSafeIdentifier(step.into)) fail(`local name ${JSON.stringify(step.into)} is not an identifier`);
        if (!locals.includes(step.into)) locals.push(step.into);
        steps.push({ kind: 'read', register: reg, field: f, into: step.into });
      } else if (step.kind === 'wait') {
        checkValue(step.equals);
        checkValue(step.timeoutMs);
        steps.push({ kind: 'wait', register: reg, field: f, equals: step.equals, timeoutMs: step.timeoutMs });
      } else steps.push({ kind: 'clear', register: reg, field: f });
    }
    if (!ok) continue;
    list.push({ op, steps, locals });
    out.set(peripheral.typeName, list);
  }
  return out;
}
