import type { Device, Field, Peripheral, Register, SourceSpan } from '../ir/types.ts';
import { likelyCandidates } from './candidates.ts';
import { placedRegisters } from '../ir/walk.ts';
import { isElementPathError, resolveElementPath, type ElementPathError } from '../ir/element-path.ts';
import { hex } from '../ir/bits.ts';
import { namesIn, parseExpr } from '../expr/index.ts';
import { rolesUsedBy, type DriverContract, type Role } from '../contracts/index.ts';
import type { Match } from '../diff/types.ts';
import { describeEffects, isReadable, isWritable, sideEffectsOf } from './side-effects.ts';
import type { Binding, Conflict, OperationVerdict, RoleBinding, Verdict } from './types.ts';
import { solveBinding, type BindingOutcome, type RoleCandidates, type RoleRequirement } from './solve-binding.ts';
import { describeBudget, unhandled, type Engine, type Solver } from '../solve/index.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { bindingDiagnostics } from './report.ts';
import { verdictRank } from './types.ts';
import { suggest } from '../diagnostics/suggest.ts';

/** A field with the register holding it and where that register sits in the peripheral. */
interface LocatedField {
  readonly field: Field;
  readonly register: Register;
  /** Peripheral-relative path, `REG.FIELD` (clusters included). */
  readonly relativePath: string;
  /** Byte offset of the register from the peripheral base. */
  readonly registerOffset: number;
}

function indexFields(peripheral: Peripheral): Map<string, LocatedField> {
  const map = new Map<string, LocatedField>();
  for (const placed of placedRegisters(peripheral)) {
    const prefix = placed.register.path.slice(peripheral.name.length + 1);
    for (const field of placed.register.fields) {
      map.set(`${prefix}.${field.name}`, { field, register: placed.register, relativePath: `${prefix}.${field.name}`, registerOffset: placed.offset });
    }
  }
  return map;
}

/**
 * A role's field by its path, which may name an array element (`CC[0].CC`): the element's offset
 * and indexed path, or why the path names no element (an index missing, out of range, or on a
 * register that is no array). Plain paths of non-array registers are the index's entries.
 */
function locateRoleField(peripheral: Peripheral, fields: Map<string, LocatedField>, path: string): LocatedField | ElementPathError | undefined {
  const plain = fields.get(path);
  const resolved = resolveElementPath(peripheral, path);
  if (isElementPathError(resolved)) return resolved.code === 'path/not-found' || resolved.code === 'path/syntax' ? plain : resolved;
  if (!resolved.field) return undefined;
  if (plain && resolved.indices.length === 0) return plain;
  return {
    field: resolved.field,
    register: resolved.register,
    relativePath: `${resolved.registerPath}.${resolved.field.name}`,
    registerOffset: resolved.offset,
  };
}

export interface BindOptions {
  /** The revision the contract was written for; without it, nothing can be called adapted. */
  readonly reference?: Device;
  /** Matches of the diff reference → target, used to follow renamed and moved fields. */
  readonly matches?: readonly Match[];
  /**
   * Bind to this instance instead of every peripheral of the contract's kind: a configuration's
   * `drivers.<driver>.peripheral`, located at `configuredAt`.
   */
  readonly peripheral?: string;
  readonly configuredAt?: SourceSpan;
  readonly engine?: Engine;
  /** The solver to use (default: `solve`); tests inject one to drive the unknown and error paths. */
  readonly solver?: Solver;
}

/**
 * Peripherals a contract binds to: the named instance if one is given; else every peripheral
 * declaring the contract's kind (its overlay or native spec says `kind:`); else, for specs that
 * declare no kinds at all, a peripheral named like the kind (`uart` binds `UART`).
 */
export function peripheralsFor(contract: DriverContract, device: Device, name?: string): Peripheral[] {
  if (name !== undefined) return device.peripherals.filter((p) => p.name === name);
  const byKind = device.peripherals.filter((p) => p.driverKind === contract.kind);
  if (byKind.length > 0) return byKind;
  return device.peripherals.filter((p) => p.name.toLowerCase() === contract.kind.toLowerCase());
}

/** The conflict of a contract that finds no peripheral, with the likely candidates and the fix. */
function missingPeripheral(contract: DriverContract, device: Device, options: BindOptions): Conflict {
  const revision = device.revision ?? device.version ?? '';
  const { peripherals, overlayLine } = likelyCandidates(contract.kind, device);
  const names = peripherals.map((p) => `${p.name}${p.groupName && p.groupName !== p.name ? ` (group ${p.groupName})` : ''}`);
  const likely = names.length > 0 ? `; likely candidates: ${names.join(', ')}` : '';
  if (options.peripheral !== undefined) {
    return {
      requirement: `peripheral:${options.peripheral}`,
      message: `the configuration binds ${contract.driver} to ${options.peripheral}, which ${device.name} ${revision} does not have${likely}`,
      contractSpan: options.configuredAt ?? contract.span,
      ...(peripherals[0] ? { hint: `name one of ${peripherals.map((p) => p.name).join(', ')} in drivers.${contract.driver}.peripheral` } : {}),
    };
  }
  const hint = overlayLine
    ? `give the peripheral its kind in the board overlay (under peripherals:) with the line  ${overlayLine}  or name the instance in a configuration: drivers: { ${contract.driver}: { peripheral: ${peripherals[0]?.name ?? ''} } }`
    : `declare kind: ${contract.kind} on the peripheral in the board overlay, or name the instance in a configuration's drivers.${contract.driver}.peripheral`;
  return {
    requirement: `peripheral:${contract.kind}`,
    message: `no peripheral of kind ${contract.kind} in ${device.name} ${revision}${likely}`,
    contractSpan: contract.span,
    hint,
  };
}

/**
 * Binds a driver contract (layer 1) to one hardware revision (layer 2): resolves every role to a
 * field, checks the role's requirements, and gives each operation a verdict.
 */
export function bindContract(contract: DriverContract, device: Device, options: BindOptions = {}): { value: Binding[]; diagnostics: Diagnostic[] } {
  const value = bindings(contract, device, options);
  return { value, diagnostics: bindingDiagnostics(value) };
}

function bindings(contract: DriverContract, device: Device, options: BindOptions): Binding[] {
  const peripherals = peripheralsFor(contract, device, options.peripheral);
  const revision = device.revision ?? device.version ?? '';
  if (peripherals.length === 0) {
    const conflict = missingPeripheral(contract, device, options);
    const operations = contract.operations.map((op) => ({
      operation: op.name,
      span: op.span,
      verdict: 'broken' as const,
      reasons: [conflict.message],
      conflicts: [conflict],
    }));
    return [{ driver: contract.driver, contractFile: contract.file, board: device.board ?? device.name, revision, roles: [], operations, verdict: 'broken' }];
  }
  return peripherals.map((p) => bindToPeripheral(contract, device, p, options));
}

function referencePeripheral(contract: DriverContract, target: Peripheral, options: BindOptions): Peripheral | undefined {
  const ref = options.reference;
  if (!ref) return undefined;
  const renamed = options.matches?.find((m) => m.kind === 'peripheral' && m.after === target.name)?.before;
  return ref.peripherals.find((p) => p.name === (renamed ?? target.name)) ?? peripheralsFor(contract, ref)[0];
}

function bindToPeripheral(contract: DriverContract, device: Device, peripheral: Peripheral, options: BindOptions): Binding {
  const fields = indexFields(peripheral);
  const refPeripheral = referencePeripheral(contract, peripheral, options);
  const refFields = refPeripheral ? indexFields(refPeripheral) : new Map<string, LocatedField>();
  const bound = contract.roles.map((role) => bindRole(role, fields, refPeripheral, refFields, peripheral, options.matches ?? []));
  const roles = bound.map((b) => b.binding);
  const roleByName = new Map(roles.map((r) => [r.role, r]));
  const boundByName = new Map(bound.map((b) => [b.binding.role, b]));

  const quantityNotes = new Map<string, { adaptations: string[]; conflicts: Conflict[]; roles: string[] }>();
  for (const name of contract.quantities) quantityNotes.set(name, checkQuantity(contract, name, peripheral, refPeripheral, roles));
  const solveRoles = (quantity: string): string[] => quantityNotes.get(quantity)?.roles ?? [];

  const operations: OperationVerdict[] = contract.operations.map((op) => {
    const used = [...rolesUsedBy(contract, op, solveRoles)].sort();
    const solved = new Set<string>();
    const collectSolves = (name: string, seen: Set<string>): void => {
      const o = contract.operations.find((x) => x.name === name);
      if (!o || seen.has(name)) return;
      seen.add(name);
      for (const s of o.steps) {
        if (s.kind === 'solve') solved.add(s.quantity);
        else if (s.kind === 'call') collectSolves(s.operation, seen);
      }
    };
    collectSolves(op.name, new Set());
    const conflicts: Conflict[] = [];
    const attention: string[] = [];
    const adaptations: string[] = [];
    for (const name of used) {
      const rb = roleByName.get(name);
      if (!rb) continue;
      attention.push(...rb.attention);
      adaptations.push(...rb.adaptations);
    }
    // The roles this operation uses, bound as one constraint problem: its minimal conflicts are
    // the smallest sets of requirements the revision cannot meet together.
    const usedBound = used.map((n) => boundByName.get(n)).filter((b): b is BoundRole => b !== undefined);
    const binding = solveBinding(
      usedBound.map((b) => b.candidates),
      usedBound.flatMap((b) => b.requirements),
      options.engine ?? 'wasm',
      options.solver,
    );
    const undecided = undecidedReason(binding);
    if (binding.status === 'infeasible') for (const minimal of binding.conflicts) conflicts.push(...minimal);
    for (const q of [...solved].sort()) {
      const notes = quantityNotes.get(q);
      if (!notes) continue;
      conflicts.push(...notes.conflicts);
      adaptations.push(...notes.adaptations);
    }
    const verdict: Verdict =
      conflicts.length > 0 ? 'broken' : undecided ? 'undecided' : attention.length > 0 ? 'attention' : adaptations.length > 0 ? 'adapted' : 'unchanged';
    const reasons =
      verdict === 'broken'
        ? conflicts.map((c) => c.message)
        : verdict === 'undecided'
          ? [undecided!.reason]
          : verdict === 'attention'
            ? [...attention, ...adaptations]
            : adaptations;
    return {
      operation: op.name,
      span: op.span,
      verdict,
      reasons: [...new Set(reasons)],
      conflicts: dedupeConflicts(conflicts),
      ...(verdict === 'undecided' ? { undecidedCode: undecided!.code } : {}),
    };
  });
  const verdict = operations.reduce<Verdict>((worst, o) => (verdictRank[o.verdict] > verdictRank[worst] ? o.verdict : worst), 'unchanged');
  return {
    driver: contract.driver,
    contractFile: contract.file,
    board: device.board ?? device.name,
    revision: device.revision ?? device.version ?? '',
    peripheral: peripheral.name,
    roles,
    operations,
    verdict,
  };
}

/** Why a binding could not be settled, or undefined when the solver decided it. */
function undecidedReason(outcome: BindingOutcome): { code: string; reason: string } | undefined {
  switch (outcome.status) {
    case 'feasible':
    case 'infeasible':
      return undefined;
    case 'unknown':
      return { code: 'bind/undecided', reason: `the binding is undecided within budget ${describeBudget(outcome.budget)}` };
    case 'error':
      return { code: outcome.code, reason: `internal error ${outcome.code}: ${outcome.message}` };
    default:
      return unhandled(outcome);
  }
}

function dedupeConflicts(conflicts: readonly Conflict[]): Conflict[] {
  const seen = new Map<string, Conflict>();
  for (const c of conflicts) if (!seen.has(c.requirement)) seen.set(c.requirement, c);
  return [...seen.values()];
}

function findViaMatches(
  role: Role,
  refPeripheral: Peripheral | undefined,
  target: Peripheral,
  matches: readonly Match[],
  fields: Map<string, LocatedField>,
): LocatedField | undefined {
  if (!refPeripheral) return undefined;
  const before = `${refPeripheral.name}.${role.field}`;
  const match = matches.find((m) => m.kind === 'field' && m.before === before);
  if (!match?.after.startsWith(`${target.name}.`)) return undefined;
  return fields.get(match.after.slice(target.name.length + 1));
}

interface BoundRole {
  readonly binding: RoleBinding;
  readonly candidates: RoleCandidates;
  readonly requirements: readonly RoleRequirement[];
}

function bindRole(
  role: Role,
  fields: Map<string, LocatedField>,
  refPeripheral: Peripheral | undefined,
  refFields: Map<string, LocatedField>,
  peripheral: Peripheral,
  matches: readonly Match[],
): BoundRole {
  const lookupIn = (where: Peripheral | undefined, index: Map<string, LocatedField>, path: string): LocatedField | undefined => {
    const r = where ? locateRoleField(where, index, path) : undefined;
    return r && 'field' in r ? r : undefined;
  };
  const ref = lookupIn(refPeripheral, refFields, role.field) ?? role.was.map((w) => lookupIn(refPeripheral, refFields, w)).find((f) => f !== undefined);
  const direct = locateRoleField(peripheral, fields, role.field);
  /** The path names an array wrongly (no index, out of range, index on a plain register). */
  const badElement = direct && 'code' in direct ? direct : undefined;
  let found: LocatedField | undefined = direct && 'field' in direct ? direct : undefined;
  let via: RoleBinding['via'] = 'path';
  if (!found && !badElement) {
    found = role.was.map((w) => lookupIn(peripheral, fields, w)).find((f) => f !== undefined);
    via = 'was';
  }
  if (!found && !badElement) {
    found = findViaMatches(role, refPeripheral, peripheral, matches, fields);
    via = 'diff';
  }
  const conflicts: Conflict[] = [];
  const adaptations: string[] = [];
  const attention: string[] = [];
  const requirements: RoleRequirement[] = [];
  /**
   * Records a requirement as a constraint over the role's candidates (0 = unbound, 1 = the field
   * found). `holds` says whether the found field meets it; an unbound role meets every requirement
   * but `present`, so a minimal conflict names presence and the failing property together.
   */
  const requirement = (what: string, holds: boolean, message: string, span = found?.field.span ?? ref?.field.span): void => {
    const conflict: Conflict = { requirement: `role:${role.name}:${what}`, message, contractSpan: role.span, ...(span ? { hardwareSpan: span } : {}) };
    const allowed = what === 'present' ? (holds ? [1] : []) : holds ? [0, 1] : [0];
    requirements.push({ role: role.name, id: conflict.requirement, allowed, conflict });
    if (!holds) conflicts.push(conflict);
  };
  const candidates = (count: number): RoleCandidates => ({ role: role.name, count, fieldIds: found ? [found.relativePath] : [] });
  if (badElement) {
    // Not optional-able: the contract names an element this revision's array cannot have.
    requirement('present', false, `role ${role.name}: ${badElement.message} [${badElement.code}]`, ref?.field.span);
    return { binding: { role: role.name, adaptations, attention, conflicts }, candidates: candidates(0), requirements };
  }
  if (!found) {
    if (!role.optional) {
      const where = ref ? ` (it was ${peripheral.name}.${ref.relativePath} in the reference revision)` : '';
      // Without a reference field the contract's path may simply be misspelt: name the closest one.
      const near = ref ? undefined : suggest(role.field, fields.keys());
      requirement(
        'present',
        false,
        `role ${role.name} needs field ${role.field}, which ${peripheral.name} does not have${where}${near ? `; did you mean ${near}?` : ''}`,
        ref?.field.span,
      );
    }
    return { binding: { role: role.name, adaptations, attention, conflicts }, candidates: candidates(0), requirements };
  }
  const { field } = found;
  if (!role.optional) requirement('present', true, `role ${role.name} needs field ${found.relativePath}`);
  if (role.read)
    requirement(
      'readable',
      isReadable(field),
      `role ${role.name} reads ${found.relativePath}, which is ${field.access.sw === 'na' ? 'not accessible' : isReadable(field) ? 'readable' : 'not readable'} (sw=${field.access.sw})`,
    );
  if (role.write)
    requirement(
      'writable',
      isWritable(field),
      `role ${role.name} writes ${found.relativePath}, which is ${isWritable(field) ? 'writable' : 'not writable'} (sw=${field.access.sw})`,
    );
  if (role.width !== undefined)
    requirement('width', field.width >= role.width, `role ${role.name} needs at least ${role.width} bits; ${found.relativePath} has ${field.width}`);
  const enumValues = new Map(field.enums?.flatMap((e) => e.values.map((v) => [v.name, v.value] as const)) ?? []);
  for (const name of [...role.writes, ...role.reads]) {
    requirement(
      `enum:${name}`,
      enumValues.has(name),
      `role ${role.name} uses value ${name}, which ${found.relativePath} ${enumValues.has(name) ? 'defines' : 'does not define'}`,
    );
  }
  const effects = sideEffectsOf(field);
  for (const effect of role.relies)
    requirement(
      `relies:${effect}`,
      effects.includes(effect),
      `role ${role.name} relies on ${effect}, and ${found.relativePath} has ${describeEffects(effects)}`,
    );
  for (const effect of role.avoids)
    requirement(`avoids:${effect}`, !effects.includes(effect), `role ${role.name} must avoid ${effect}; ${found.relativePath} has ${describeEffects(effects)}`);

  if (ref) {
    if (ref.relativePath !== found.relativePath)
      adaptations.push(
        `${role.name}: ${ref.relativePath} is now ${found.relativePath} (found by ${via === 'diff' ? "the diff's match" : via === 'was' ? 'a former name' : 'path'})`,
      );
    if (ref.registerOffset !== found.registerOffset)
      adaptations.push(`${role.name}: register ${found.register.name} moved ${hex(ref.registerOffset)} → ${hex(found.registerOffset)}`);
    if (ref.field.lsb !== field.lsb) adaptations.push(`${role.name}: ${found.relativePath} moved from bit ${ref.field.lsb} to ${field.lsb}`);
    if (ref.field.width !== field.width && (role.width === undefined || field.width >= role.width))
      adaptations.push(`${role.name}: ${found.relativePath} is ${field.width} bits wide (was ${ref.field.width})`);
    const refEnums = new Map(ref.field.enums?.flatMap((e) => e.values.map((v) => [v.name, v.value] as const)) ?? []);
    for (const name of [...role.writes, ...role.reads]) {
      const before = refEnums.get(name);
      const after = enumValues.get(name);
      if (before !== undefined && after !== undefined && before !== after) adaptations.push(`${role.name}: ${name} is now ${after} (was ${before})`);
    }
    const before = sideEffectsOf(ref.field);
    const declared = new Set([...role.relies, ...role.avoids]);
    const changed = [...before.filter((e) => !effects.includes(e)), ...effects.filter((e) => !before.includes(e))].filter((e) => !declared.has(e));
    if (changed.length > 0) {
      attention.push(`${role.name}: ${found.relativePath} changed side effects from ${describeEffects(before)} to ${describeEffects(effects)}`);
    }
    if (ref.field.access.sw !== field.access.sw && conflicts.length === 0 && changed.length === 0) {
      adaptations.push(`${role.name}: ${found.relativePath} access ${ref.field.access.sw} → ${field.access.sw}`);
    }
  }
  return {
    binding: { role: role.name, field: found.relativePath, via, span: field.span, adaptations, attention, conflicts },
    candidates: candidates(1),
    requirements,
  };
}

/** Checks a quantity the contract solves exists and only uses fields the driver may write. */
function checkQuantity(
  contract: DriverContract,
  name: string,
  peripheral: Peripheral,
  refPeripheral: Peripheral | undefined,
  roles: readonly RoleBinding[],
): { adaptations: string[]; conflicts: Conflict[]; roles: string[] } {
  const quantity = peripheral.quantities.find((q) => q.name === name);
  const adaptations: string[] = [];
  const conflicts: Conflict[] = [];
  if (!quantity) {
    conflicts.push({ requirement: `quantity:${name}`, message: `quantity ${name} is not defined for ${peripheral.name}`, contractSpan: contract.span });
    return { adaptations, conflicts, roles: [] };
  }
  const parsed = parseExpr(quantity.expression);
  const fieldNames = parsed.expr
    ? namesIn(parsed.expr)
        .filter((n) => n.includes('.'))
        .map((n) => (n.startsWith(`${peripheral.name}.`) ? n.slice(peripheral.name.length + 1) : n))
    : [];
  const usedRoles: string[] = [];
  for (const path of fieldNames) {
    const role = roles.find((r) => r.field === path);
    if (role) usedRoles.push(role.role);
    else {
      conflicts.push({
        requirement: `quantity:${name}:${path}`,
        message: `quantity ${name} uses ${path}, which no role of the ${contract.driver} contract may write`,
        contractSpan: contract.span,
        hardwareSpan: quantity.span,
      });
    }
  }
  const refQuantity = refPeripheral?.quantities.find((q) => q.name === name);
  if (refQuantity && refQuantity.expression.replace(/\s+/g, '') !== quantity.expression.replace(/\s+/g, '')) {
    adaptations.push(`quantity ${name} is now ${quantity.expression} (was ${refQuantity.expression}); solved anew`);
  }
  return { adaptations, conflicts, roles: usedRoles };
}
