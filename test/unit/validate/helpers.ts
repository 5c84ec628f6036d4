/** Builders for rule tests: native YAML snippets for what the format can say, raw IR for the rest. */
import type { Diagnostic } from '../../../src/diagnostics/types.ts';
import { importNativeYaml } from '../../../src/importers/index.ts';
import type { Device, Field, FieldAccess, Peripheral, Register, RegisterNode, SourceSpan } from '../../../src/ir/types.ts';
import { validateDevice, type ValidationRule } from '../../../src/validate/index.ts';

/** A full native spec around the given `peripherals:` body (indented by two spaces per level). */
export function spec(peripherals: string, header = ''): string {
  return `spec: specdrive/hardware@1\nboard: t\nrevision: r\n${header}peripherals:\n${peripherals}`;
}

export function loadDevice(text: string): Device {
  const result = importNativeYaml(text, 'test.yaml');
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.value || errors.length > 0) throw new Error(`test spec does not load: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}

export interface Finding {
  readonly code: string;
  readonly path: string | undefined;
  readonly line: number | undefined;
  readonly related: readonly number[];
}

function findingsOf(diagnostics: readonly Diagnostic[]): Finding[] {
  return diagnostics.map((d) => ({ code: d.code, path: d.path, line: d.span?.line, related: (d.related ?? []).map((r) => r.span.line) }));
}

/** Findings of the given rules (all rules by default) on a native spec. */
export function check(text: string, rules?: readonly ValidationRule[]): Finding[] {
  return findingsOf(validateDevice(loadDevice(text), rules));
}

export function checkDevice(device: Device, rules?: readonly ValidationRule[]): Finding[] {
  return findingsOf(validateDevice(device, rules));
}

let nextLine = 1;
/** A distinct span per node, so findings can be told apart by line. */
export function span(line = nextLine++): SourceSpan {
  return { file: 'ir.test', line, column: 1, endLine: line, endColumn: 2 };
}

const rw: FieldAccess = { sw: 'rw', hw: 'r' };

export function field(name: string, lsb: number, width: number, extra: Partial<Field> = {}): Field {
  return { kind: 'field', name, path: name, span: span(), lsb, width, access: rw, ...extra };
}

export function register(name: string, offset: number, fields: readonly Field[], extra: Partial<Register> = {}): Register {
  return { kind: 'register', name, path: name, span: span(), offset, size: 32, resetValue: 0n, resetMask: 0n, fields, ...extra };
}

export function peripheral(name: string, baseAddress: number, registers: readonly RegisterNode[], extra: Partial<Peripheral> = {}): Peripheral {
  return {
    kind: 'peripheral',
    name,
    path: name,
    span: span(),
    baseAddress,
    addressBlocks: [],
    interrupts: [],
    registers,
    quantities: [],
    behaviours: [],
    ...extra,
  };
}

export function device(peripherals: readonly Peripheral[], extra: Partial<Device> = {}): Device {
  return { kind: 'device', name: 'd', span: span(), width: 32, addressUnitBits: 8, clocks: [], peripherals, sourceFormat: 'svd', ...extra };
}
