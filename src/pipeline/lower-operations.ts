import type { Device, Field, Peripheral } from '../ir/types.ts';
import { isElementPathError, resolveElementPath } from '../ir/element-path.ts';
import type { Binding } from '../bind/index.ts';
import { unknownStep, type DriverContract, type Operation, type Step, type StepValue } from '../contracts/index.ts';
import { solveTarget } from '../configure/index.ts';
import { dividerForm } from './divider-form.ts';
import { MAX_SEARCH_PPM, productDividerForm } from './product-divider.ts';
import type { GenOperation, GenParam, GenStep, GenValue } from '../../generators/index.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { describeBudget, unhandled, type Engine, type Solver } from '../solve/index.ts';

/**
 * Standard values a solved quantity is tabulated for, besides the configuration's own targets.
 * Generated drivers look the requested value up at run time: the solver runs at generation time,
 * so firmware carries a table, not a solver.
 */
export const STANDARD_TARGETS: Readonly<Record<string, readonly number[]>> = {
  baud: [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000],
  update_rate: [1, 10, 50, 100, 500, 1000, 2000, 5000, 10000, 100000],
  // A timer's counting frequency (nRF TIMER: 16 MHz / 2^PRESCALER).
  frequency: [1000, 10000, 100000, 125000, 250000, 500000, 1000000, 2000000, 4000000, 8000000, 16000000],
};

export interface LoweringInput {
  readonly contract: DriverContract;
  readonly binding: Binding;
  readonly device: Device;
  /** Extra values to tabulate per quantity (from configurations). */
  readonly extraTargets?: Readonly<Record<string, readonly number[]>>;
  /** The engine chosen on the command line (default wasm). */
  readonly engine?: Engine;
  /** The solver to use (default: `solve`); tests inject one to drive the unknown and error paths. */
  readonly solver?: Solver;
}

/** How `solve` steps are solved: the engine and solver of the run, and where to report. */
interface SolveContext {
  readonly engine: Engine;
  readonly solver?: Solver;
  readonly where: string;
  readonly diagnostics: Diagnostic[];
}

interface Resolved {
  readonly register: string;
  readonly field: string;
  readonly node: Field;
}

/**
 * Turns a bound contract into operations every generator renders: roles become this revision's
 * register and field names, enum names become numbers, calls are inlined, and `solve` steps become
 * a table of solved field values selected by the parameter. Broken operations are left out (they
 * are listed in the report instead).
 */
export function lowerContract(input: LoweringInput, diagnostics: Diagnostic[]): GenOperation[] {
  const { contract, binding, device } = input;
  const peripheral = device.peripherals.find((p) => p.name === binding.peripheral);
  if (!peripheral) return [];
  const roles = new Map<string, Resolved>();
  for (const rb of binding.roles) {
    if (!rb.field) continue;
    // The register keeps its indices (`CC[0]`): generators and the interpreter address that element.
    const element = resolveElementPath(peripheral, rb.field);
    if (isElementPathError(element) || !element.field) continue;
    roles.set(rb.role, { register: element.registerPath, field: element.field.name, node: element.field });
  }
  const usable = new Set(binding.operations.filter((o) => o.verdict !== 'broken').map((o) => o.operation));
  const out: GenOperation[] = [];
  for (const op of contract.operations) {
    if (!usable.has(op.name)) continue;
    const solving: SolveContext = {
      engine: input.engine ?? 'wasm',
      ...(input.solver ? { solver: input.solver } : {}),
      where: `${contract.driver}.${op.name}`,
      diagnostics,
    };
    const steps = lowerSteps(contract, op, roles, peripheral, device, input.extraTargets ?? {}, new Map(), solving, new Set());
    out.push({
      name: op.name,
      peripheral: peripheral.name,
      ...(op.description !== undefined ? { description: op.description } : {}),
      span: op.span,
      params: op.params.map((p) => lowerParam(contract, op, p, roles, diagnostics)),
      ...(op.returns ? { returns: op.returns } : {}),
      steps,
      origin: `${contract.driver}/${op.name}`,
    });
  }
  return out;
}

/**
 * An enum parameter takes the values its role may write (`writes:`), or every value of the role's
 * field: a typed enum in every target, checked before the first write.
 */
function lowerParam(
  contract: DriverContract,
  op: Operation,
  p: Operation['params'][number],
  roles: ReadonlyMap<string, Resolved>,
  diagnostics: Diagnostic[],
): GenParam {
  if (p.type !== 'enum') return { name: p.name, type: p.type };
  const role = p.role === undefined ? undefined : roles.get(p.role);
  const declared = contract.roles.find((r) => r.name === p.role)?.writes ?? [];
  const all = role?.node.enums?.flatMap((e) => e.values).filter((v) => !v.isDefault && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v.name)) ?? [];
  const values = (declared.length ? declared.flatMap((n) => all.filter((v) => v.name === n).slice(0, 1)) : all).map((v) => ({ name: v.name, value: v.value }));
  const unique = values.filter((v, i) => values.findIndex((w) => w.name === v.name || w.value === v.value) === i);
  if (unique.length === 0) {
    diagnostics.push({
      code: 'lower/enum-without-values',
      severity: 'error',
      message: `${contract.driver}.${op.name}: enum parameter ${p.name} has no values (role ${p.role ?? '(none)'} names no field with an enumeration)`,
      span: op.span,
    });
    return { name: p.name, type: 'u32' };
  }
  return { name: p.name, type: 'enum', values: unique };
}

function enumValue(field: Field, name: string): number | undefined {
  return field.enums?.flatMap((e) => e.values).find((v) => v.name === name)?.value;
}

function lowerSteps(
  contract: DriverContract,
  op: Operation,
  roles: ReadonlyMap<string, Resolved>,
  peripheral: Peripheral,
  device: Device,
  extraTargets: Readonly<Record<string, readonly number[]>>,
  /** Parameter substitutions of an inlined call. */
  args: ReadonlyMap<string, GenValue>,
  solving: SolveContext,
  stack: Set<string>,
): GenStep[] {
  const { diagnostics } = solving;
  const value = (raw: number | string, field?: Field): GenValue => {
    if (typeof raw === 'number') return { const: raw };
    const param = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(raw)?.[1];
    if (param !== undefined) {
      const substituted = args.get(param);
      if (substituted) return substituted;
      return op.params.some((p) => p.name === param) ? { param } : { local: param };
    }
    const e = field ? enumValue(field, raw) : undefined;
    if (e !== undefined) return { const: e };
    if (/^(0x[0-9a-f]+|\d+)$/i.test(raw)) return { const: Number(raw) };
    diagnostics.push({
      code: 'lower/bad-value',
      severity: 'error',
      message: `${contract.driver}.${op.name}: ${JSON.stringify(raw)} is not a number, parameter or enum value of ${field?.name ?? 'the field'}`,
      span: op.span,
    });
    return { const: 0 };
  };
  /** Groups role assignments by register, dropping optional roles this revision lacks. */
  const byRegister = (assignments: Readonly<Record<string, StepValue>>): Map<string, { field: string; value: GenValue }[]> => {
    const groups = new Map<string, { field: string; value: GenValue }[]>();
    for (const [role, raw] of Object.entries(assignments)) {
      const r = roles.get(role);
      if (!r) continue;
      const list = groups.get(r.register) ?? [];
      list.push({ field: r.field, value: value(raw, r.node) });
      groups.set(r.register, list);
    }
    return groups;
  };
  const steps: GenStep[] = [];
  for (const step of op.steps) {
    switch (step.kind) {
      case 'write':
      case 'modify':
        for (const [register, fields] of byRegister(step.values)) steps.push({ kind: step.kind, register, fields });
        break;
      case 'read': {
        const r = roles.get(step.role);
        if (r) steps.push({ kind: 'read', register: r.register, field: r.field, into: step.into });
        break;
      }
      case 'wait': {
        const r = roles.get(step.role);
        if (r) steps.push({ kind: 'wait', register: r.register, field: r.field, equals: value(step.equals, r.node), timeoutMs: { const: step.timeout } });
        break;
      }
      case 'clear': {
        const r = roles.get(step.role);
        if (r) steps.push({ kind: 'clear', register: r.register, field: r.field });
        break;
      }
      case 'return':
        steps.push({ kind: 'return', value: value(step.value) });
        break;
      case 'call': {
        const callee = contract.operations.find((o) => o.name === step.operation);
        if (!callee || stack.has(callee.name)) break;
        const calleeArgs = new Map<string, GenValue>();
        for (const [name, raw] of Object.entries(step.args)) calleeArgs.set(name, value(raw));
        stack.add(callee.name);
        steps.push(...lowerSteps(contract, callee, roles, peripheral, device, extraTargets, calleeArgs, solving, stack).filter((s) => s.kind !== 'return'));
        stack.delete(callee.name);
        break;
      }
      case 'solve':
        steps.push(...lowerSolve(step, value(step.target), peripheral, device, extraTargets, solving));
        break;
      default:
        unknownStep(step);
    }
  }
  return steps;
}

/**
 * A `solve` step becomes a run-time `divide` when its quantity has a closed-form inverse
 * (divider-form.ts), else one `select`: for each tabulated target value, the field writes that meet
 * it within the contract's tolerance (solved now, by the run's engine); a product form also carries
 * the bounded run-time search for the values the table lacks (product-divider.ts). Values proven infeasible are
 * left out, so the generated driver reports them unsupported instead of programming a wrong rate.
 * A value the solver leaves undecided, or an internal error, is left out too — and said out loud.
 */
function lowerSolve(
  solve: Extract<Step, { kind: 'solve' }>,
  selector: GenValue,
  peripheral: Peripheral,
  device: Device,
  extraTargets: Readonly<Record<string, readonly number[]>>,
  solving: SolveContext,
): GenStep[] {
  const tolerance = solve.tolerance;
  // A closed-form inverse is computed at run time for any value (a division: no table is faster).
  const form = dividerForm(device, peripheral, solve.quantity);
  const register = form?.fields[0]?.register;
  if (form && register !== undefined && form.fields.every((f) => f.register === register)) {
    return [
      {
        kind: 'divide',
        on: selector,
        quantity: solve.quantity,
        clock: form.clock,
        unit: form.unit,
        offset: form.offset,
        maxV: form.maxV,
        ppm: Math.round(tolerance * 1_000_000),
        register,
        fields: form.fields.map((f) => ({ field: f.field, weight: f.weight })),
      },
    ];
  }
  const targets = [...new Set([...(STANDARD_TARGETS[solve.quantity] ?? []), ...(extraTargets[solve.quantity] ?? [])])].sort((a, b) => a - b);
  const clocks = device.clocks.map((c) => ({ name: c.name, hz: c.hz, requirement: { id: `clock:${c.name}`, layer: 'hardware' as const, text: c.name } }));
  const cases: { value: number; writes: { register: string; fields: { field: string; value: GenValue }[] }[] }[] = [];
  for (const target of targets) {
    // A table entry needs a setting within the contract's tolerance; a bounded search keeps
    // generation fast when proving the least error would take long (rare, wide prescalers).
    const solved = solveTarget({
      device,
      peripheral,
      quantity: solve.quantity,
      target,
      clocks,
      maxNodes: 20_000,
      tolerances: [{ tolerance, requirement: { id: 'tolerance', layer: 'contract', text: 'contract tolerance' } }],
      engine: solving.engine,
      ...(solving.solver ? { solver: solving.solver } : {}),
    });
    const entry = `${solving.where}: ${solve.quantity} = ${target}`;
    switch (solved.status) {
      case 'solved':
        break;
      case 'infeasible':
        continue; // proven: no setting within tolerance, the driver reports it unsupported
      case 'unknown':
        solving.diagnostics.push({
          code: 'lower/entry-undecided',
          severity: 'warning',
          message: `${entry} is left out of the table: undecided within budget ${describeBudget(solved.budget)} (a setting may exist; the driver reports it unsupported)`,
        });
        continue;
      case 'error':
        solving.diagnostics.push({ code: solved.code, severity: 'error', message: `${entry}: internal error: ${solved.message}` });
        continue;
      default:
        unhandled(solved);
    }
    const groups = new Map<string, { field: string; value: GenValue }[]>();
    for (const [path, v] of Object.entries(solved.fields)) {
      const rel = path.slice(peripheral.name.length + 1);
      const register = rel.slice(0, rel.lastIndexOf('.'));
      const list = groups.get(register) ?? [];
      list.push({ field: rel.slice(rel.lastIndexOf('.') + 1), value: { const: v } });
      groups.set(register, list);
    }
    cases.push({ value: target, writes: [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([register, fields]) => ({ register, fields })) });
  }
  // A product form (prescaler × period) is also searched at run time for values the table lacks.
  const product = productDividerForm(device, peripheral, solve.quantity);
  const ppm = Math.round(tolerance * 1_000_000);
  const search = product && ppm <= MAX_SEARCH_PPM ? { ...product, ppm } : undefined;
  return [{ kind: 'select', on: selector, quantity: solve.quantity, cases, ...(search ? { search } : {}) }];
}
