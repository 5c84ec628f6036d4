import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device, Field, Register } from '../ir/types.ts';
import { findByPath } from '../ir/walk.ts';
import { onesBig, placeBig } from '../ir/bits.ts';
import { namesIn, parseExpr } from '../expr/index.ts';
import { layerLabel, layerNumber, mostFundamental, type Configuration, type Layer, type Profile, type Target } from '../contracts/index.ts';
import { describeBudget, unhandled, type Budget, type Engine, type Solver } from '../solve/index.ts';
import { clockThatWorks, nearestAchievable, solveTarget, type Requirement, type TargetProblem, type TargetSolution } from './solve-target.ts';

export interface SolvedQuantity {
  readonly peripheral: string;
  readonly quantity: string;
  readonly target: number;
  readonly tolerance: number;
  readonly achieved: number;
  readonly error: number;
}

export interface Alternatives {
  /** Values of the quantity this revision can reach exactly, nearest to the target. */
  readonly values: readonly number[];
  /** Other revisions of the board that meet every requirement. */
  readonly revisions: readonly { readonly revision: string; readonly achieved: number; readonly error: number; readonly specChange?: string }[];
  /** The clock frequency nearest to the spec's that would meet them. */
  readonly clock?: { readonly name: string; readonly hz: number };
}

export interface Unsatisfiable {
  readonly target: Target;
  /** Minimal sets of requirements that cannot hold together. */
  readonly conflicts: readonly (readonly Requirement[])[];
  /** The most fundamental layer in the first conflict: what would have to change. */
  readonly blockingLayer: Layer;
  readonly alternatives: Alternatives;
}

/** A target the solver could not settle within its budget: reported as such, never as a conflict. */
export interface Undecided {
  readonly target: Target;
  readonly budget: Budget;
}

export interface SolvedConfiguration {
  readonly config: string;
  readonly board: string;
  readonly revision: string;
  readonly profile?: string;
  /** Absolute field path → value, settings and solved fields together, sorted by path. */
  readonly fields: Readonly<Record<string, number>>;
  /** Register path → full value to write (reset value with the configured fields placed). */
  readonly registers: Readonly<Record<string, number>>;
  readonly quantities: readonly SolvedQuantity[];
  readonly unsatisfiable: readonly Unsatisfiable[];
  readonly undecided: readonly Undecided[];
  readonly engine?: Engine;
}

export interface ConfigureOptions {
  readonly profile?: Profile;
  /** Other revisions of the same board, to suggest one that meets an impossible request. */
  readonly otherRevisions?: readonly Device[];
  readonly engine?: Engine;
  /** The solver to use (default: `solve`); tests inject one to drive the unknown and error paths. */
  readonly solver?: Solver;
}

function fieldOf(device: Device, path: string): { field: Field; register: Register } | undefined {
  const node = findByPath(device, path);
  if (node?.kind !== 'field') return undefined;
  const register = findByPath(device, path.slice(0, path.lastIndexOf('.')));
  return register?.kind === 'register' ? { field: node, register } : undefined;
}

function settingValue(field: Field, value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  return field.enums?.flatMap((e) => e.values).find((v) => v.name === value)?.value;
}

/** Builds the target's problem with requirements tagged by layer and located in their files. */
function targetProblem(
  device: Device,
  config: Configuration,
  target: Target,
  fixed: Map<string, { value: number; requirement: Requirement }>,
  options: ConfigureOptions,
): TargetProblem | undefined {
  const peripheral = device.peripherals.find((p) => p.name === target.peripheral);
  if (!peripheral) return undefined;
  const tolerances: TargetProblem['tolerances'][number][] = [];
  if (target.tolerance > 0) {
    tolerances.push({
      tolerance: target.tolerance,
      requirement: {
        id: `config:${target.peripheral}.${target.quantity}`,
        layer: 'configuration',
        text: `configuration ${config.name}: ${target.peripheral}.${target.quantity} = ${target.value} ± ${(target.tolerance * 100).toPrecision(3)} %`,
        span: target.span,
      },
    });
  }
  const maxError = options.profile?.maxError;
  if (maxError) {
    tolerances.push({
      tolerance: maxError.value,
      requirement: {
        id: `profile:max_error`,
        layer: 'profile',
        text: `profile ${options.profile?.name}: max_error ${(maxError.value * 100).toPrecision(3)} %`,
        span: maxError.span,
      },
    });
  }
  const clocks = device.clocks.map((c) => {
    const override = config.clocks[c.name];
    return override !== undefined
      ? {
          name: c.name,
          hz: override,
          requirement: {
            id: `config:clock:${c.name}`,
            layer: 'configuration' as const,
            text: `configuration ${config.name}: ${c.name} = ${override} Hz`,
            span: config.span,
          },
        }
      : {
          name: c.name,
          hz: c.hz,
          requirement: {
            id: `hardware:clock:${c.name}`,
            layer: 'hardware' as const,
            text: `${device.name} ${device.revision ?? ''}: ${c.name} = ${c.hz} Hz`,
            span: c.span,
          },
        };
  });
  return {
    device,
    peripheral,
    quantity: target.quantity,
    target: target.value,
    tolerances,
    clocks,
    fixed: [...fixed].map(([path, f]) => ({ path, ...f })),
    ...(options.profile?.prefer ? { prefer: options.profile.prefer } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.solver ? { solver: options.solver } : {}),
  };
}

/** What a revision's quantity expression has that this one lacks, e.g. a fractional divider field. */
function specChangeText(device: Device, other: Device, peripheral: string, quantity: string): string | undefined {
  const expr = (d: Device): string | undefined => d.peripherals.find((p) => p.name === peripheral)?.quantities.find((q) => q.name === quantity)?.expression;
  const a = expr(device);
  const b = expr(other);
  if (!a || !b || a.replace(/\s/g, '') === b.replace(/\s/g, '')) return undefined;
  const names = (e: string): string[] => {
    const parsed = parseExpr(e).expr;
    return parsed ? namesIn(parsed) : [];
  };
  const added = names(b).filter((n) => !names(a).includes(n));
  const described = added.map((n) => {
    const f = fieldOf(other, n.split('.').length === 2 ? `${peripheral}.${n}` : n);
    return f ? `a ${f.field.width}-bit ${n} field` : n;
  });
  return `${described.length ? described.join(' and ') : 'its formula'} (${other.revision ?? other.name}: ${quantity} = ${b})`;
}

/** Solves a configuration (layer 3) on its revision (layer 2) under a profile (layer 4). */
export function solveConfiguration(
  device: Device,
  config: Configuration,
  options: ConfigureOptions = {},
): { value: SolvedConfiguration; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fields = new Map<string, number>();
  const fixed = new Map<string, { value: number; requirement: Requirement }>();
  for (const setting of config.settings) {
    const found = fieldOf(device, setting.path);
    if (!found) {
      diagnostics.push({
        code: 'configure/unknown-field',
        severity: 'error',
        message: `${setting.path} is not a field of ${device.name} ${device.revision ?? ''}`,
        span: setting.span,
      });
      continue;
    }
    const value = settingValue(found.field, setting.value);
    if (value === undefined || value < 0 || value >= 2 ** found.field.width) {
      const names = found.field.enums?.flatMap((e) => e.values.map((v) => v.name)) ?? [];
      diagnostics.push({
        code: 'configure/bad-setting',
        severity: 'error',
        message: `${JSON.stringify(setting.value)} is not a value of ${setting.path} (${found.field.width} bits${names.length ? `; names: ${names.join(', ')}` : ''})`,
        span: setting.span,
      });
      continue;
    }
    fields.set(setting.path, value);
    fixed.set(setting.path, {
      value,
      requirement: {
        id: `config:setting:${setting.path}`,
        layer: 'configuration',
        text: `configuration ${config.name}: ${setting.path} = ${String(setting.value)}`,
        span: setting.span,
      },
    });
  }
  // Layer 4 asks for interrupt-driven I/O: every driven peripheral needs an interrupt line (layer 2).
  if (options.profile?.io?.value === 'interrupt') {
    for (const d of config.drivers) {
      const peripheral = device.peripherals.find((p) => p.name === d.peripheral);
      if (peripheral && peripheral.interrupts.length === 0) {
        diagnostics.push({
          code: 'configure/no-interrupt',
          severity: 'error',
          message: `profile ${options.profile.name} asks for interrupt-driven I/O, but ${d.peripheral} has no interrupt line on ${device.name} ${device.revision ?? ''}: blocked by ${layerLabel('hardware')}`,
          span: d.span,
          related: [
            { message: `${layerLabel('profile')}: io: interrupt`, span: options.profile.io.span },
            { message: `${layerLabel('hardware')}: ${d.peripheral} declares no irq`, span: peripheral.span },
          ],
          hint: 'use a profile with io: polling, or a revision whose peripheral declares its irq',
        });
      }
    }
  }
  const quantities: SolvedQuantity[] = [];
  const unsatisfiable: Unsatisfiable[] = [];
  const undecided: Undecided[] = [];
  let engine: Engine | undefined;
  for (const target of config.targets) {
    const problem = targetProblem(device, config, target, fixed, options);
    if (!problem) {
      diagnostics.push({
        code: 'configure/unknown-peripheral',
        severity: 'error',
        message: `${target.peripheral} is not a peripheral of ${device.name} ${device.revision ?? ''}`,
        span: target.span,
      });
      continue;
    }
    const result = solveTarget(problem);
    engine ??= result.engine;
    switch (result.status) {
      case 'error':
        diagnostics.push({ code: result.code, severity: 'error', message: result.message, span: target.span });
        break;
      case 'solved':
        for (const [path, value] of Object.entries(result.fields)) fields.set(path, value);
        quantities.push({
          peripheral: target.peripheral,
          quantity: target.quantity,
          target: target.value,
          tolerance: Math.min(...problem.tolerances.map((t) => t.tolerance), Infinity),
          achieved: result.achieved ?? NaN,
          error: result.error ?? NaN,
        });
        break;
      case 'unknown':
        undecided.push({ target, budget: result.budget });
        diagnostics.push({
          code: 'configure/undecided',
          severity: 'error',
          message: `${target.peripheral}.${target.quantity} = ${target.value} on ${device.name} ${device.revision ?? ''} is undecided within budget ${describeBudget(result.budget)}: no setting was found and none was proven impossible`,
          span: target.span,
          hint: 'no layer is blamed: raise the budget, or narrow the search (fix a prescaler in the configuration)',
        });
        break;
      case 'infeasible': {
        const entry = unsatisfiableEntry(device, config, target, problem, result.conflicts, options);
        unsatisfiable.push(entry);
        diagnostics.push(unsatisfiableDiagnostic(device, target, entry.conflicts, entry.blockingLayer, entry.alternatives));
        break;
      }
      default:
        unhandled(result);
    }
  }
  const registers = composeRegisters(device, fields);
  const sortedFields = Object.fromEntries([...fields].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    value: {
      config: config.name,
      board: config.board,
      revision: config.revision,
      ...(options.profile ? { profile: options.profile.name } : {}),
      fields: sortedFields,
      registers,
      quantities,
      unsatisfiable,
      undecided,
      ...(engine ? { engine } : {}),
    },
    diagnostics,
  };
}

/**
 * The most fundamental layer among a conflict's requirements: what would have to change. A conflict
 * with no requirement at all means the hard constraints alone fail — the hardware's formula and
 * field widths — which is layer 2 by construction, not a default.
 */
function blockingLayerOf(conflict: readonly Requirement[]): Layer {
  const [first, ...rest] = conflict.map((r) => r.layer);
  return first === undefined ? 'hardware' : mostFundamental([first, ...rest]);
}

/** A proven-infeasible target with its blocking layer and the alternatives that would meet it. */
function unsatisfiableEntry(
  device: Device,
  config: Configuration,
  target: Target,
  problem: TargetProblem,
  conflicts: readonly (readonly Requirement[])[],
  options: ConfigureOptions,
): Unsatisfiable {
  const first = conflicts[0] ?? [];
  const blockingLayer = blockingLayerOf(first);
  const clockName = problem.clocks.find((c) => first.some((r) => r.id === c.requirement.id))?.name;
  const clockHz = clockName ? clockThatWorks(problem, clockName) : undefined;
  const revisions = (options.otherRevisions ?? []).flatMap((other) => {
    const p = targetProblem(other, config, target, new Map(), options);
    if (!p) return [];
    const r: TargetSolution = solveTarget(p);
    if (r.status !== 'solved' || r.achieved === undefined || r.error === undefined) return [];
    const change = specChangeText(device, other, target.peripheral, target.quantity);
    return [{ revision: other.revision ?? other.name, achieved: r.achieved, error: r.error, ...(change ? { specChange: change } : {}) }];
  });
  const alternatives: Alternatives = {
    values: nearestAchievable(problem),
    revisions,
    ...(clockName && clockHz !== undefined ? { clock: { name: clockName, hz: clockHz } } : {}),
  };
  return { target, conflicts, blockingLayer, alternatives };
}

/** Register values to write: each register's reset value with the configured fields placed. */
function composeRegisters(device: Device, fields: ReadonlyMap<string, number>): Record<string, number> {
  // Composed exactly (resets are bigints); the configuration's register values are numbers.
  const byRegister = new Map<string, { register: Register; value: bigint }>();
  for (const [path, value] of [...fields].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const found = fieldOf(device, path);
    if (!found) continue;
    const entry = byRegister.get(found.register.path) ?? { register: found.register, value: found.register.resetValue };
    const { lsb, width } = found.field;
    entry.value = (entry.value & ~(onesBig(width) << BigInt(lsb))) | placeBig(BigInt(Math.trunc(value)), lsb, width);
    byRegister.set(found.register.path, entry);
  }
  return Object.fromEntries([...byRegister].map(([path, e]) => [path, Number(e.value)]));
}

const pct = (x: number): string => `${(x * 100).toPrecision(3)} %`;

export function describeAlternatives(target: Target, alternatives: Alternatives): string[] {
  const out: string[] = [];
  if (alternatives.values.length)
    out.push(
      `another configuration value: ${alternatives.values.map((v) => `${target.quantity} = ${Number(v.toPrecision(9))}`).join(' or ')} (exact on this revision)`,
    );
  for (const r of alternatives.revisions)
    out.push(
      `another revision: ${r.revision} reaches ${Number(r.achieved.toPrecision(9))} (${pct(r.error)} error)${r.specChange ? `; a spec change would: ${r.specChange}` : ''}`,
    );
  if (alternatives.clock) out.push(`a spec change: ${alternatives.clock.name} = ${alternatives.clock.hz} Hz would meet it`);
  return out;
}

function unsatisfiableDiagnostic(
  device: Device,
  target: Target,
  conflicts: readonly (readonly Requirement[])[],
  blockingLayer: Layer,
  alternatives: Alternatives,
): Diagnostic {
  const conflictText = conflicts.map((c) => `{ ${c.map((r) => `layer ${layerNumber(r.layer)} ${r.text}`).join('; ')} }`).join(' or ');
  const related = (conflicts[0] ?? []).flatMap((r) => (r.span ? [{ message: `${layerLabel(r.layer)}: ${r.text}`, span: r.span }] : []));
  return {
    code: 'configure/unsatisfiable',
    severity: 'error',
    message: `${target.peripheral}.${target.quantity} = ${target.value} cannot be met on ${device.name} ${device.revision ?? ''}: blocked by ${layerLabel(blockingLayer)}; minimal conflict ${conflictText}`,
    span: target.span,
    related,
    hint: describeAlternatives(target, alternatives).join('; ') || undefined,
  } as Diagnostic;
}
