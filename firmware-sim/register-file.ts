import type { Diagnostic } from '../src/diagnostics/types.ts';
import type { Field, Peripheral, Register, SourceSpan } from '../src/ir/types.ts';
import { registerInstances } from '../src/ir/walk.ts';
import { newFieldState, type FieldState, type RegisterState } from './model-types.ts';

/** The address decoding of a device: which register owns each byte, and the atomic alias windows. */
export interface RegisterFile {
  readonly registers: RegisterState[];
  readonly byteMap: Map<number, RegisterState>;
  /** Atomic alias windows (RP2040 style): byte address → what a write there does, and how far the register is. */
  readonly aliasMap: Map<number, { readonly kind: 'set' | 'clear' | 'toggle'; readonly delta: number }>;
  readonly fieldsByPath: Map<string, FieldState>;
  readonly interruptFields: FieldState[];
  readonly diagnostics: Diagnostic[];
}

export function emptyRegisterFile(): RegisterFile {
  return { registers: [], byteMap: new Map(), aliasMap: new Map(), fieldsByPath: new Map(), interruptFields: [], diagnostics: [] };
}

/** Adds a peripheral's registers (arrays expanded) and fields (field arrays expanded) to the file. */
export function addPeripheral(file: RegisterFile, peripheral: Peripheral): void {
  const { instances, truncated } = registerInstances(peripheral);
  if (truncated)
    file.diagnostics.push({
      code: 'sim/too-many-registers',
      severity: 'warning',
      message: `${peripheral.name}: register arrays truncated`,
      span: peripheral.span,
      path: peripheral.path,
    });
  for (const instance of instances) {
    const register = instance.register;
    const path = `${peripheral.name}.${instance.name}`;
    if (register.size > 32 || register.size % 8 !== 0) {
      file.diagnostics.push({
        code: 'sim/register-unsupported',
        severity: 'warning',
        message: `${path} is ${register.size} bits wide; the simulator models registers of 8, 16 and 32 bits, so it is left unmapped`,
        span: register.span,
        path: register.path,
      });
      continue;
    }
    const fields: FieldState[] = [];
    const state: RegisterState = { path, peripheral, register, address: instance.address, bytes: register.size / 8, fields };
    for (const field of declaredFields(register)) {
      if (field.segments && field.segments.length > 1) {
        file.diagnostics.push({
          code: 'sim/split-field',
          severity: 'warning',
          message: `${field.path} is split over several bit ranges; the simulator treats it as bits ${field.lsb}..${field.lsb + field.width - 1}`,
          span: field.span,
          path: field.path,
        });
      }
      const count = field.dim?.count ?? 1;
      for (let i = 0; i < count; i++) {
        const lsb = field.lsb + i * (field.dim?.stride ?? 0);
        const fieldPath = `${path}.${field.dim ? `${field.name}[${i}]` : field.name}`;
        if (lsb + field.width > register.size) continue; // reported by validate/field-outside-register
        const fs = newFieldState(field, fieldPath, state, lsb);
        fields.push(fs);
        file.fieldsByPath.set(fieldPath, fs);
        // Also reachable by the IR path (element 0 of arrays) for enable/mask references.
        if (!file.fieldsByPath.has(field.path)) file.fieldsByPath.set(field.path, fs);
        if (field.access.interrupt) file.interruptFields.push(fs);
      }
    }
    if (file.registers.some((r) => r.path === path)) continue;
    file.registers.push(state);
    for (let b = 0; b < state.bytes; b++) {
      // The first register claims an address; overlaps are reported by validation, and the
      // read-only/write-only pairs SVD allows are not modelled separately.
      if (!file.byteMap.has(instance.address + b)) file.byteMap.set(instance.address + b, state);
      for (const kind of ['set', 'clear', 'toggle'] as const) {
        const delta = peripheral.atomicAliases?.[kind];
        if (delta !== undefined && !file.aliasMap.has(instance.address + delta + b)) file.aliasMap.set(instance.address + delta + b, { kind, delta });
      }
    }
  }
}

/** A register without fields is one read-write field covering all of it (SVD allows that). */
function declaredFields(register: Register): readonly Field[] {
  if (register.fields.length > 0) return register.fields;
  return [
    {
      kind: 'field',
      name: register.name,
      path: register.path,
      span: register.span,
      lsb: 0,
      width: register.size,
      access: { sw: 'rw', hw: 'r' },
      reset: register.resetValue,
    },
  ];
}

/**
 * Hidden state (a behaviour's `hidden NAME width N`): a variable of the peripheral that no register
 * holds — a timer's internal counter, its running flag. It has a field state, so behaviours read,
 * set and count it like any field, but no address: software reaches it only through behaviours.
 * Every reset zeroes it.
 */
export function addHiddenState(file: RegisterFile, peripheral: Peripheral, name: string, width: number, span: SourceSpan): FieldState {
  const path = `${peripheral.name}.${name}`;
  const existing = file.fieldsByPath.get(path);
  if (existing) return existing;
  const field: Field = { kind: 'field', name, path: `${peripheral.path}.${name}`, span, lsb: 0, width, access: { sw: 'na', hw: 'rw' }, reset: 0n };
  const register: Register = { kind: 'register', name, path: field.path, span, offset: 0, size: 32, resetValue: 0n, resetMask: 0n, fields: [field] };
  const fields: FieldState[] = [];
  const state: RegisterState = { path, peripheral, register, address: -1, bytes: 0, fields };
  const fs = newFieldState(field, path, state, 0);
  fields.push(fs);
  file.fieldsByPath.set(path, fs);
  return fs;
}
