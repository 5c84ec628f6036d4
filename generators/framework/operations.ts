import type { Diagnostic } from '../../src/diagnostics/types.ts';
import type { FieldView, NodeView, PeripheralView, RegisterView } from './analysis.ts';
import { formatElementPath, parseElementPath, type PathSegment } from '../../src/ir/element-path.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';
import type { GenDivideStep, GenFieldValue, GenOperation, GenParam, GenProductSearch, GenSearchFactor, GenValue } from './types.ts';

/** Field writes of one register with the register and fields resolved. */
export interface ResolvedWrite {
  readonly kind: 'write' | 'modify';
  readonly register: RegisterView;
  /** The element of an array register (`CC[0]` → [0]), one index per array level; empty otherwise. */
  readonly indices: readonly number[];
  /** The path as named, segment by segment (`CC[0]`), for member access and messages. */
  readonly element: readonly PathSegment[];
  readonly fields: readonly { readonly field: FieldView; readonly value: GenValue }[];
}

/** A `select` with each case's writes resolved to masked modifies. */
export interface ResolvedSelect {
  readonly kind: 'select';
  readonly on: GenValue;
  readonly quantity: string;
  readonly cases: readonly { readonly value: number; readonly steps: readonly ResolvedWrite[] }[];
  readonly search?: ResolvedSearch;
}

/**
 * A select's run-time search with its factors' fields resolved. The locals `x` and `y` hold the
 * field values found (factor − offset); each factor's `write` modifies its field with its local.
 */
export interface ResolvedSearch extends Omit<GenProductSearch, 'factors'> {
  readonly factors: readonly [ResolvedSearchFactor, ResolvedSearchFactor];
  readonly locals: { readonly x: string; readonly y: string };
}

export interface ResolvedSearchFactor extends GenSearchFactor {
  readonly write: ResolvedWrite;
}

/** A run-time divider with its register and fields resolved. */
export interface ResolvedDivide extends Omit<GenDivideStep, 'register' | 'fields'> {
  readonly register: RegisterView;
  readonly indices: readonly number[];
  readonly element: readonly PathSegment[];
  readonly fields: readonly { readonly field: FieldView; readonly weight: number }[];
  /** The local holding V, computed before the first write. */
  readonly local: string;
}

/** A step with its register and field resolved against the analysed layout. */
export type ResolvedStep =
  | ResolvedDivide
  | ResolvedWrite
  | {
      readonly kind: 'read';
      readonly register: RegisterView;
      readonly indices: readonly number[];
      readonly element: readonly PathSegment[];
      readonly field: FieldView;
      readonly into: string;
    }
  | {
      readonly kind: 'wait';
      readonly register: RegisterView;
      readonly indices: readonly number[];
      readonly element: readonly PathSegment[];
      readonly field: FieldView;
      readonly equals: GenValue;
      readonly timeoutMs: GenValue;
    }
  | {
      readonly kind: 'clear';
      readonly register: RegisterView;
      readonly indices: readonly number[];
      readonly element: readonly PathSegment[];
      readonly field: FieldView;
    }
  | ResolvedSelect
  | { readonly kind: 'return'; readonly value: GenValue };

/**
 * What a parameter must satisfy, checked before the operation's first write (as OpenTitan's DIFs
 * do): one of `allowed` (enum values, or the values a solved table covers) and at most `max` (the
 * narrowest field it is written to). A failed check writes nothing and fails as `unsupported`.
 */
export interface ParamCheck {
  readonly param: string;
  readonly allowed?: readonly number[];
  readonly max?: number;
  /** Why, for the error message: `parity`, `baud table`, `field CTRL.PARITY (2 bits)`. */
  readonly why: string;
}

export interface ResolvedOperation {
  readonly op: GenOperation;
  readonly steps: readonly ResolvedStep[];
  /** Locals assigned by read steps, in first-assignment order. */
  readonly locals: readonly string[];
  /** Parameter checks, in parameter order, to run before any step. */
  readonly checks: readonly ParamCheck[];
}

/**
 * Names the rendered operations use themselves (the C base address and result pointer, the TS
 * peripheral object, the Python instance): a parameter or local with one of them would shadow it.
 */
const RESERVED_OPERATION_NAMES: ReadonlySet<string> = new Set(['base', 'sd_result', 'p', 'self']);

/**
 * Resolves every operation of the model against the peripheral types and groups them by type name
 * (operations live on the layout, so peripherals sharing a layout share them). Operations naming
 * registers or fields that do not exist, or an array register without a valid index, are located errors.
 */
export function resolveOperations(
  ops: readonly GenOperation[],
  peripherals: readonly PeripheralView[],
  diagnostics: Diagnostic[],
): Map<string, ResolvedOperation[]> {
  const out = new Map<string, ResolvedOperation[]>();
  const byName = new Map(peripherals.map((p) => [p.name, p]));
  for (const op of ops) {
    const peripheral = byName.get(op.peripheral);
    const fail = (message: string): void => {
      diagnostics.push({
        code: 'generate/bad-operation',
        severity: 'error',
        message: `operation ${op.name} of ${op.peripheral}: ${message}`,
        ...(op.span ? { span: op.span } : {}),
        path: op.peripheral,
      });
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
    const resolved = resolveSteps(op, peripheral, fail);
    if (!resolved) continue;
    list.push({ op, ...resolved, checks: paramChecks(op, resolved.steps) });
    out.set(peripheral.typeName, list);
  }
  return out;
}

/** The steps of one operation, or undefined after reporting why they cannot be rendered. */
function resolveSteps(op: GenOperation, peripheral: PeripheralView, fail: (message: string) => void): { steps: ResolvedStep[]; locals: string[] } | undefined {
  const steps: ResolvedStep[] = [];
  const locals: string[] = [];
  let ok = true;
  const reserved = op.params.find((p) => RESERVED_OPERATION_NAMES.has(p.name));
  if (reserved) fail(`parameter name ${reserved.name} is used by the generated code itself`);
  /** A register, or one element of an array register (`CC[0]`, `CH[1].CTRL`): every array level needs its index. */
  const register = (path: string): { reg: RegisterView; indices: number[]; element: PathSegment[] } | undefined => {
    const segments = parseElementPath(path);
    if (!segments) {
      fail(`${JSON.stringify(path)} is not a register path`);
      return undefined;
    }
    let nodes: readonly NodeView[] = peripheral.nodes;
    const indices: number[] = [];
    for (const [i, segment] of segments.entries()) {
      const node = nodes.find((n) => n.name === segment.name);
      const last = i === segments.length - 1;
      if (!node || (node.kind === 'register') !== last) {
        fail(`no register ${path}`);
        return undefined;
      }
      if (node.dim && segment.index === undefined) {
        fail(`register ${path} is an array; name one element (${segment.name}[0])`);
        return undefined;
      }
      if (!node.dim && segment.index !== undefined) {
        fail(`${segment.name} in ${path} is not an array`);
        return undefined;
      }
      if (node.dim && segment.index !== undefined) {
        if (segment.index >= node.dim.count) {
          fail(`index ${segment.index} of ${path} is out of range (0..${node.dim.count - 1})`);
          return undefined;
        }
        indices.push(segment.index);
      }
      if (node.kind === 'register') return { reg: node, indices, element: segments };
      nodes = node.children;
    }
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
  const writes = (kind: 'write' | 'modify', path: string, given: readonly GenFieldValue[]): ResolvedWrite | undefined => {
    const located = register(path);
    if (!located) return undefined;
    const { reg, indices, element } = located;
    const fields: { field: FieldView; value: GenValue }[] = [];
    for (const f of given) {
      const resolved = field(reg, f.field);
      if (!resolved) return undefined;
      checkValue(f.value);
      fields.push({ field: resolved, value: f.value });
    }
    if (kind === 'modify' && (reg.readSideEffect || !reg.readable))
      fail(`modify of ${reg.name} would read it, and reading it has side effects or is not possible; use write`);
    return { kind, register: reg, indices, element, fields };
  };
  for (const step of op.steps) {
    if (step.kind === 'divide') {
      checkValue(step.on);
      const located = register(step.register);
      const reg = located?.reg;
      const fields = reg ? step.fields.map((f) => ({ field: field(reg, f.field), weight: f.weight })) : [];
      if (!reg || fields.some((f) => !f.field) || reg.readSideEffect || !reg.readable) {
        if (reg && (reg.readSideEffect || !reg.readable)) fail(`divider register ${reg.name} cannot be modified`);
        ok = false;
        break;
      }
      const local = `sd_${step.quantity}_v`;
      if (!isSafeIdentifier(local)) fail(`quantity name ${JSON.stringify(step.quantity)} is not an identifier`);
      steps.push({
        ...step,
        register: reg,
        indices: located.indices,
        element: located.element,
        fields: fields as { field: FieldView; weight: number }[],
        local,
      });
      continue;
    }
    if (step.kind === 'return') {
      checkValue(step.value);
      steps.push(step);
      continue;
    }
    if (step.kind === 'select') {
      checkValue(step.on);
      const cases: { value: number; steps: ResolvedWrite[] }[] = [];
      for (const c of step.cases) {
        if (!Number.isInteger(c.value) || c.value < 0 || c.value > 0xffff_ffff) fail(`${step.quantity} case ${c.value} is not an unsigned 32-bit integer`);
        if (cases.some((x) => x.value === c.value)) fail(`${step.quantity} has two cases for ${c.value}`);
        const resolved = c.writes.map((w) => writes('modify', w.register, w.fields));
        if (resolved.some((w) => w === undefined)) {
          ok = false;
          break;
        }
        cases.push({ value: c.value, steps: resolved as ResolvedWrite[] });
      }
      if (!ok) break;
      let search: ResolvedSearch | undefined;
      if (step.search) {
        // The factor values are written as `local − offset` (a modify of each factor's field).
        const x = `sd_${step.quantity}_x`;
        const y = `sd_${step.quantity}_y`;
        if (!isSafeIdentifier(x)) fail(`quantity name ${JSON.stringify(step.quantity)} is not an identifier`);
        const factors = step.search.factors.map((f, i): ResolvedSearchFactor | undefined => {
          const located = register(f.register);
          const resolved = located && field(located.reg, f.field);
          if (!located || !resolved) return undefined;
          if (located.reg.readSideEffect || !located.reg.readable) fail(`divider register ${located.reg.name} cannot be modified`);
          const value = { local: i === 0 ? x : y };
          return {
            ...f,
            write: { kind: 'modify', register: located.reg, indices: located.indices, element: located.element, fields: [{ field: resolved, value }] },
          };
        });
        if (!factors[0] || !factors[1]) {
          ok = false;
          break;
        }
        search = { ...step.search, factors: [factors[0], factors[1]], locals: { x, y } };
      }
      steps.push({ kind: 'select', on: step.on, quantity: step.quantity, cases, ...(search ? { search } : {}) });
      continue;
    }
    if (step.kind === 'write' || step.kind === 'modify') {
      const resolved = writes(step.kind, step.register, step.fields);
      if (!resolved) {
        ok = false;
        break;
      }
      steps.push(resolved);
      continue;
    }
    const located = register(step.register);
    const reg = located?.reg;
    const indices = located?.indices ?? [];
    const element = located?.element ?? [];
    const f = reg && field(reg, step.field);
    if (!reg || !f) {
      ok = false;
      break;
    }
    if (step.kind === 'read') {
      if (!isSafeIdentifier(step.into)) fail(`local name ${JSON.stringify(step.into)} is not an identifier`);
      else if (RESERVED_OPERATION_NAMES.has(step.into) || op.params.some((p) => p.name === step.into)) fail(`local name ${step.into} is already taken`);
      if (!locals.includes(step.into)) locals.push(step.into);
      steps.push({ kind: 'read', register: reg, indices, element, field: f, into: step.into });
    } else if (step.kind === 'wait') {
      checkValue(step.equals);
      checkValue(step.timeoutMs);
      steps.push({ kind: 'wait', register: reg, indices, element, field: f, equals: step.equals, timeoutMs: step.timeoutMs });
    } else steps.push({ kind: 'clear', register: reg, indices, element, field: f });
  }
  return ok ? { steps, locals } : undefined;
}

/** Every field a parameter is written to or compared with, and every table it selects from. */
function paramChecks(op: GenOperation, steps: readonly ResolvedStep[]): ParamCheck[] {
  const max = new Map<string, { value: number; why: string }>();
  const tables = new Map<string, { values: number[]; why: string }>();
  const fieldUse = (v: GenValue, reg: RegisterView, f: FieldView): void => {
    if (!('param' in v)) return;
    const limit = 2 ** f.width - 1;
    const seen = max.get(v.param);
    if (!seen || limit < seen.value) max.set(v.param, { value: limit, why: `field ${reg.nameParts.join('.')}.${f.name} (${f.width} bits)` });
  };
  const visit = (step: ResolvedStep): void => {
    if (step.kind === 'write' || step.kind === 'modify') for (const f of step.fields) fieldUse(f.value, step.register, f.field);
    else if (step.kind === 'wait') fieldUse(step.equals, step.register, step.field);
    else if (step.kind === 'select') {
      if ('param' in step.on) {
        const values = step.cases.map((c) => c.value);
        const seen = tables.get(step.on.param);
        tables.set(step.on.param, { values: seen ? seen.values.filter((x) => values.includes(x)) : values, why: `solved ${step.quantity} table` });
      }
      for (const c of step.cases) c.steps.forEach(visit);
    }
  };
  steps.forEach(visit);
  const checks: ParamCheck[] = [];
  for (const p of op.params) {
    const enumValues = p.type === 'enum' ? p.values.map((v) => v.value) : undefined;
    const table = tables.get(p.name);
    let allowed = enumValues ?? table?.values;
    if (enumValues && table) allowed = enumValues.filter((x) => table.values.includes(x));
    const limit = max.get(p.name);
    const typeMax = paramMaximum(p.type);
    const why = [p.type === 'enum' ? `enum ${p.name}` : '', table?.why ?? '', limit && limit.value < typeMax ? limit.why : ''].filter(Boolean).join(', ');
    if (allowed) checks.push({ param: p.name, allowed: [...new Set(allowed)].sort((a, b) => a - b).filter((x) => !limit || x <= limit.value), why });
    else if (limit && limit.value < typeMax) checks.push({ param: p.name, max: limit.value, why });
  }
  return checks;
}

/**
 * The field values of a divider's V, largest place value first, in a target's own syntax: `div(a, w)`
 * for integer division, `mod(a, m)` for the remainder. The top field takes V / weight whole.
 */
export function digits(step: ResolvedDivide, div: (a: string, w: number) => string, mod: (a: string, m: number) => string): { field: string; value: string }[] {
  return step.fields.map((f, i) => {
    const whole = f.weight === 1 ? step.local : div(step.local, f.weight);
    return { field: f.field.name, value: i === 0 ? whole : mod(whole, step.fields[i - 1]!.weight / f.weight) };
  });
}

/** Name of an enum parameter's type in every target: `UART0_init_parity`. */
export function paramEnumName(typeName: string, op: GenOperation, param: GenParam): string {
  return `${typeName}_${op.name}_${param.name}`;
}

/**
 * The range check of one parameter as every target words it: `allowed` values, or `0..max` (the
 * type's range narrowed by the fields it is written to), and the reason for the error message.
 */
export function paramRange(r: ResolvedOperation, param: GenParam): { allowed?: readonly number[]; max: number; message: string } {
  const check = r.checks.find((c) => c.param === param.name);
  const max = Math.min(check?.max ?? Infinity, paramMaximum(param.type));
  if (check?.allowed) return { allowed: check.allowed, max, message: ` is not one of ${check.allowed.join(', ')} (${check.why})` };
  return { max, message: ` is outside 0..${max}${check ? ` (${check.why})` : ''}` };
}

/** One operation as an op runner offers it: which instance runs it and the names it answers to. */
export interface RunnerEntry {
  /** `PERIPHERAL.operation`: always accepted. */
  readonly qualified: string;
  /** The bare operation name, when no other peripheral offers an operation of that name. */
  readonly short?: string;
  /** The instance (`GPIOB`) and its layout type (`GPIOA`). */
  readonly peripheral: PeripheralView;
  readonly resolved: ResolvedOperation;
}

/**
 * What an op runner dispatches (the line protocol `call <operation> <args…>`, see
 * docs/generators.md): every model operation on the peripheral it was bound to, in model order.
 * Scenario harnesses name operations as contracts do (`init`), so the bare name is accepted
 * whenever it is unambiguous; `UART0.init` always is.
 */
export function runnerEntries(
  ops: readonly GenOperation[],
  peripherals: readonly PeripheralView[],
  resolved: ReadonlyMap<string, readonly ResolvedOperation[]>,
): RunnerEntry[] {
  const byName = new Map(peripherals.map((p) => [p.name, p]));
  const found: { qualified: string; name: string; peripheral: PeripheralView; resolved: ResolvedOperation }[] = [];
  for (const op of ops) {
    const peripheral = byName.get(op.peripheral);
    const r = peripheral && resolved.get(peripheral.typeName)?.find((x) => x.op.name === op.name);
    if (!peripheral || !r) continue; // not rendered: its diagnostic was reported by resolveOperations
    const qualified = `${peripheral.name}.${op.name}`;
    if (!found.some((f) => f.qualified === qualified)) found.push({ qualified, name: op.name, peripheral, resolved: r });
  }
  const count = new Map<string, number>();
  for (const f of found) count.set(f.name, (count.get(f.name) ?? 0) + 1);
  return found.map((f) => ({ qualified: f.qualified, ...(count.get(f.name) === 1 ? { short: f.name } : {}), peripheral: f.peripheral, resolved: f.resolved }));
}

/** Range of a parameter's type as the runner checks it (bool: 0 or 1; an enum is a u32 on the wire). */
export function paramMaximum(type: GenParam['type']): number {
  return type === 'bool' ? 1 : type === 'u8' ? 0xff : type === 'u16' ? 0xffff : 0xffff_ffff;
}

/** `CC[0].CC`: a step's register element and field, as messages name them. */
export function stepFieldLabel(step: { readonly element: readonly PathSegment[]; readonly field: FieldView }): string {
  return `${formatElementPath(step.element)}.${step.field.name}`;
}

/**
 * The selects of an operation that search at run time, in step order. Their selector's table check
 * gives way to the search (run before the first write, it refuses what no setting reaches).
 */
export function searchSelects(r: ResolvedOperation): (ResolvedSelect & { readonly search: ResolvedSearch })[] {
  return r.steps.flatMap((s) => (s.kind === 'select' && s.search ? [{ ...s, search: s.search }] : []));
}
