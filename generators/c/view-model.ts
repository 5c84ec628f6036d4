import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { andMask, bitMask, hex } from '../../src/ir/bits.ts';
import type { ClusterView, DeviceAnalysis, FieldView, NodeView, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { cComment, cString } from '../framework/escape.ts';
import { memberName, SymbolTable } from '../framework/identifiers.ts';
import { digits, paramMaximum, searchSelects, stepFieldLabel, type ResolvedOperation, type ResolvedStep, type RunnerEntry } from '../framework/operations.ts';
import { searchLines } from './product-search.ts';
import type { GenOperation, GenParam, GenValue } from '../framework/types.ts';
import type { SourceSpan } from '../../src/ir/types.ts';

/**
 * View-model of the C target: every identifier, constant, struct member and statement, computed
 * here so the templates only lay them out. Symbols are checked for collisions per header.
 */

export interface Define {
  readonly name: string;
  readonly value: string;
  readonly comment?: string;
}

export interface RegisterBlock {
  readonly comment: string;
  readonly defines: readonly Define[];
}

export interface StructMember {
  readonly decl: string;
  readonly comment: string;
}

export interface StructView {
  readonly name: string;
  readonly comment: string;
  readonly members: readonly StructMember[];
  readonly asserts: readonly string[];
}

export interface OperationView {
  readonly comment: string;
  /** Typed enums of its enum parameters (`typedef enum {...} T_op_param_t;`). */
  readonly enums: readonly { readonly name: string; readonly members: readonly string[] }[];
  readonly signature: string;
  readonly lines: readonly string[];
}

export interface PeripheralHeaderView {
  readonly file: string;
  readonly guard: string;
  readonly comment: string;
  readonly ownsType: boolean;
  readonly typeHeader: string;
  readonly registers: readonly RegisterBlock[];
  readonly structs: readonly StructView[];
  readonly overlayNote: string;
  readonly hasOverlay: boolean;
  /** Emit NAME_REGS (the layout's owner has a struct overlay). */
  readonly hasPointer: boolean;
  readonly typeName: string;
  readonly instanceName: string;
  readonly instance: readonly Define[];
  readonly operations: readonly OperationView[];
}

/** C integer type and literal suffix for a register width. */
export function cType(size: number): { type: string; width: number; suffix: string } {
  if (size <= 8) return { type: 'uint8_t', width: 8, suffix: 'u' };
  if (size <= 16) return { type: 'uint16_t', width: 16, suffix: 'u' };
  if (size <= 32) return { type: 'uint32_t', width: 32, suffix: 'u' };
  return { type: 'uint64_t', width: 64, suffix: 'ull' };
}

export function lit(value: number | bigint, size = 32): string {
  return `${hex(value)}${cType(size).suffix}`;
}

export function fileStem(name: string): string {
  return name.toLowerCase();
}

const INDEX_NAMES = ['i', 'j', 'k', 'l', 'm', 'n'];

/** `(0x10u + (i) * 0x20u + (j) * 0x4u)`: the byte offset of a register element. */
function offsetExpression(reg: RegisterView): { params: string; expr: string } {
  if (reg.arrayLevels.length === 0) return { params: '', expr: lit(reg.absOffset) };
  const idx = reg.arrayLevels.map((_, i) => INDEX_NAMES[i] ?? `i${i}`);
  const terms = reg.arrayLevels.map((level, i) => ` + (uint32_t)(${idx[i]}) * ${lit(level.stride)}`).join('');
  return { params: `(${idx.join(', ')})`, expr: `(${lit(reg.absOffset)}${terms})` };
}

export function registerSymbol(typeName: string, reg: RegisterView): string {
  return [typeName, ...reg.nameParts].join('_');
}

/** The macros every field gets; an enum value with one of these names would take the field's macro. */
const FIELD_MACRO_SUFFIXES = new Set(['Pos', 'Width', 'Msk', 'RESET']);

function registerBlock(p: PeripheralView, reg: RegisterView, symbols: SymbolTable, diagnostics: Diagnostic[]): RegisterBlock {
  const sym = registerSymbol(p.typeName, reg);
  const { type, width } = cType(reg.size);
  const { params, expr } = offsetExpression(reg);
  const defines: Define[] = [];
  // Function-like macros are claimed by their bare name: `X(a)` and `X` cannot coexist either.
  const define = (name: string, value: string, owner: { readonly path: string; readonly span: SourceSpan }, comment?: string): void => {
    if (symbols.claim(name.replace(/\(.*$/, ''), owner.path, owner.span)) defines.push({ name, value, ...(comment ? { comment } : {}) });
  };
  define(`${sym}_OFFSET${params}`, expr, reg);
  const base = params ? `(base, ${params.slice(1, -1)})` : '(base)';
  const addr = `((uintptr_t)(base) + ${sym}_OFFSET${params})`;
  reg.arrayLevels.forEach((level, i) => {
    const suffixName = reg.arrayLevels.length === 1 ? '' : String(i);
    define(`${sym}_COUNT${suffixName}`, String(level.count) + 'u', reg);
  });
  define(`${sym}_RESET`, lit(reg.resetValue, reg.size), reg);
  define(
    `${sym}_NEUTRAL_Msk`,
    lit(reg.neutralMask, reg.size),
    reg,
    reg.neutralMask ? 'bits every read-modify-write forces (flags with write side effects)' : undefined,
  );
  define(`${sym}_NEUTRAL_Val`, lit(reg.neutralValue, reg.size), reg);
  define(`${sym}_WRITE_BASE`, lit(reg.writeBase, reg.size), reg);
  if (reg.readable) define(`${sym}_READ${base}`, `sd_read${width}(${addr})`, reg);
  if (reg.writable) define(`${sym}_WRITE${base.replace(/\)$/, ', value)')}`, `sd_write${width}(${addr}, (${type})(value))`, reg);
  const aliases = p.atomicAliases;
  if (aliases?.set !== undefined && aliases.clear !== undefined && reg.writable) {
    // Atomic aliases (board overlay): modify writes the bits to clear to the clear alias and the
    // bits to set to the set alias. No read, and no other bit is ever written.
    define(
      `${sym}_MODIFY${base.replace(/\)$/, ', value, mask)')}`,
      `sd_modify_alias${width}(${addr}, (${type})(value), (${type})(mask), ${lit(aliases.set)}, ${lit(aliases.clear)})`,
      reg,
      'through the atomic set/clear aliases',
    );
  } else if (reg.readable && reg.writable && !reg.readSideEffect) {
    define(
      `${sym}_MODIFY${base.replace(/\)$/, ', value, mask)')}`,
      `sd_modify${width}(${addr}, (${type})(value), (${type})(mask), ${sym}_NEUTRAL_Msk, ${sym}_NEUTRAL_Val)`,
      reg,
    );
  }
  if (reg.writable) {
    for (const [kind, delta] of [
      ['SET', aliases?.set],
      ['CLEAR', aliases?.clear],
      ['TOGGLE', aliases?.toggle],
    ] as const) {
      if (delta !== undefined)
        define(
          `${sym}_${kind}${base.replace(/\)$/, ', bits)')}`,
          `sd_write${width}(${addr} + ${lit(delta)}, (${type})(bits))`,
          reg,
          `atomic ${kind.toLowerCase()} alias`,
        );
    }
  }
  for (const f of reg.fields) {
    const fs = `${sym}_${f.name}`;
    const note = [f.accessLabel, cComment(f.description)].filter((x) => x).join(': ');
    define(`${fs}_Pos`, `${f.lsb}u`, f, note);
    define(`${fs}_Width`, `${f.width}u`, f);
    define(`${fs}_Msk`, lit(f.mask, reg.size), f);
    if (f.reset !== undefined) define(`${fs}_RESET`, lit(f.reset, reg.size), f);
    if (f.array?.index === 0 && f.segments.length === 1) {
      // Indexed access to a field array (P0..P7 above): P_Pos(n), P_Msk(n), P_Count.
      const as = `${sym}_${f.array.name}`;
      const owner = { path: `${reg.path}.${f.array.name}[]`, span: f.span };
      define(`${as}_Pos(n)`, `(${f.array.firstLsb}u + (uint32_t)(n) * ${f.array.stride}u)`, owner, `${f.array.name}0..${f.array.count - 1}: element n`);
      define(`${as}_Msk(n)`, `(${lit(bitMask(0, f.width), reg.size)} << ${as}_Pos(n))`, owner);
      define(`${as}_Count`, `${f.array.count}u`, owner);
    }
    for (const e of f.enumValues) {
      // nRF54L15 CRACENCORE RNGCONTROL.STATUS.STATE has an enum value RESET next to the field's reset:
      // the field's macro keeps the name and the value is left out, as duplicate enum values are.
      if (FIELD_MACRO_SUFFIXES.has(e.name)) {
        diagnostics.push({
          code: 'generate/duplicate-enum',
          severity: 'warning',
          message: `enum value ${e.name} of ${f.path} is left out of the C header: ${fs}_${e.name} is the field's own macro`,
          span: f.span,
          path: `${f.path}.${e.name}`,
        });
        continue;
      }
      define(`${fs}_${e.name}`, lit(e.value, reg.size), { path: `${f.path}.${e.name}`, span: f.span }, cComment(e.description) || undefined);
    }
  }
  const access = reg.readSideEffect && !(aliases?.set !== undefined && aliases.clear !== undefined) ? ' Reading has side effects: no MODIFY.' : '';
  return { comment: `${reg.nameParts.join('.')} (${hex(reg.absOffset)}, ${reg.size} bits): ${cComment(reg.description)}${access}`, defines };
}

/**
 * Struct overlays mirror the register layout with explicit reserved padding. A layout C cannot
 * express as plain members (misaligned registers, odd widths, array strides that are not the element
 * size) gets no overlay and says why; the macros above always work.
 */
interface OverlayResult {
  readonly structs: StructView[];
  readonly note: string;
}

/**
 * CMSIS qualifier of a struct member: `__I` (const) when software cannot write the register, `__O`
 * when it cannot read it, `__IO` otherwise. A readable register with write-side-effect flags
 * (write-1-to-clear and friends) is `__I` too: `->REG |= x` would clear every pending flag, so the
 * overlay only reads it and writes go through the `_WRITE` / `_MODIFY` macros, which force them.
 */
function memberQualifier(reg: RegisterView, sym: string): { qualifier: '__I' | '__O' | '__IO'; note: string } {
  if (!reg.writable) return { qualifier: '__I', note: '' };
  if (!reg.readable) return { qualifier: '__O', note: '' };
  if (reg.neutralMask !== 0) return { qualifier: '__I', note: ` (write-side-effect flags: write with ${sym}_WRITE / ${sym}_MODIFY)` };
  return { qualifier: '__IO', note: '' };
}

function alignmentOf(node: NodeView): number {
  if (node.kind === 'register') return cType(node.size).width / 8;
  return Math.max(1, ...node.children.map(alignmentOf));
}

function overlay(p: PeripheralView): OverlayResult {
  const structs: StructView[] = [];
  const problem = { text: '' };
  const build = (name: string, comment: string, nodes: readonly NodeView[], size: number | undefined, path: string): boolean => {
    const members: StructMember[] = [];
    const asserts: string[] = [];
    const table = new SymbolTable(name, []);
    let position = 0;
    for (const node of nodes) {
      const memberSize = node.kind === 'register' ? cType(node.size).width / 8 : node.extent;
      const stride = node.dim?.stride ?? memberSize;
      if (node.kind === 'register' && (node.size % 8 !== 0 || cType(node.size).width !== node.size)) {
        problem.text = `${node.path} is ${node.size} bits wide`;
        return false;
      }
      if (node.offset < position) {
        members.push({ decl: '', comment: `${node.name} at ${hex(node.offset)} overlaps an earlier member: use the ${p.typeName}_${node.name} macros` });
        continue;
      }
      const align = alignmentOf(node);
      if (node.offset % align !== 0) {
        problem.text = `${node.path} at ${hex(node.offset)} is not aligned to ${align} bytes`;
        return false;
      }
      if (node.dim && stride !== memberSize && node.kind === 'register') {
        problem.text = `${node.path} is an array with stride ${stride} of ${memberSize}-byte registers`;
        return false;
      }
      if (node.offset > position) {
        members.push({ decl: `uint8_t reserved_${hex(position).slice(2)}[${node.offset - position}];`, comment: '' });
      }
      const member = memberName(node.name, 'c');
      if (!table.claim(member, node.path, undefined) || !table.claim(`reserved_${hex(node.offset).slice(2)}`, node.path, undefined)) {
        problem.text = `member ${member} collides with another member`;
        return false;
      }
      const dims = node.dim ? `[${node.dim.count}]` : '';
      if (node.kind === 'register') {
        const { qualifier, note } = memberQualifier(node, `${p.typeName}_${node.nameParts.join('_')}`);
        members.push({ decl: `${qualifier} ${cType(node.size).type} ${member}${dims};`, comment: `${hex(node.offset)} ${cComment(node.description)}${note}` });
        position = node.offset + (node.dim ? node.dim.count * stride : memberSize);
      } else {
        const clusterType = `${name.replace(/_Type$/, '')}_${node.name}_Type`;
        const elementSize = node.dim ? node.dim.stride : node.extent;
        if (elementSize < node.extent || elementSize % alignmentOf(node) !== 0) {
          problem.text = `${node.path} elements are ${elementSize} bytes apart but span ${node.extent}`;
          return false;
        }
        if (!build(clusterType, cComment(node.description), (node as ClusterView).children, elementSize, `${path}.${node.name}`)) return false;
        members.push({ decl: `${clusterType} ${member}${dims};`, comment: hex(node.offset) });
        position = node.offset + (node.dim ? node.dim.count : 1) * elementSize;
      }
      asserts.push(`SD_STATIC_ASSERT(offsetof(${name}, ${member}) == ${lit(node.offset)}, ${name}_${member});`);
    }
    if (size !== undefined && size > position) members.push({ decl: `uint8_t reserved_${hex(position).slice(2)}[${size - position}];`, comment: '' });
    if (size !== undefined) asserts.push(`SD_STATIC_ASSERT(sizeof(${name}) == ${lit(size)}, ${name}_size);`);
    structs.push({ name, comment, members, asserts });
    return true;
  };
  // ISO C has no empty structs; a peripheral without registers gets only its base address.
  if (p.nodes.length === 0) return { structs: [], note: `No struct overlay for ${p.typeName}: it has no registers.` };
  const ok = build(`${p.typeName}_Type`, `${p.typeName} register layout`, p.nodes, undefined, p.name);
  return ok ? { structs, note: '' } : { structs: [], note: `No struct overlay for ${p.typeName}: ${cComment(problem.text)}. Use the macros.` };
}

function value(v: GenValue): string {
  if ('const' in v) return lit(v.const);
  if ('param' in v) return memberName(v.param, 'c');
  return memberName(v.local, 'c');
}

/** Statements of one step; nested statements (select cases) carry their own indentation. */
function stepLines(p: PeripheralView, step: ResolvedStep, returns: string | undefined): string[] {
  switch (step.kind) {
    case 'return':
      return returns ? [`if (sd_result != NULL) *sd_result = (${returns})(${value(step.value)});`, 'return SD_OK;'] : ['return SD_OK;'];
    case 'select':
      // Cast: a case value beyond the parameter's type would otherwise be a compiler warning.
      return [
        `switch ((uint32_t)(${value(step.on)})) {`,
        ...step.cases.flatMap((c) => [`case ${c.value}u:`, ...c.steps.flatMap((s) => stepLines(p, s, returns)).map((l) => `  ${l}`), '  break;']),
        'default:',
        // With a search, its result (found before the first write, product-search.ts) is written.
        ...(step.search
          ? [...step.search.factors.flatMap((f) => stepLines(p, f.write, returns)).map((l) => `  ${l}`), '  break;']
          : [`  return SD_ERR_UNSUPPORTED; /* no solved ${cComment(step.quantity)} for this value */`]),
        '}',
      ];
  }
  const sym = registerSymbol(p.typeName, step.register);
  const { type, width } = cType(step.register.size);
  // An array element passes its indices to the register's macros: `X_READ(base, 0u)`, `X_OFFSET(0u)`.
  const at = step.indices.map((i) => `, ${i}u`).join('');
  const offset = `${sym}_OFFSET${step.indices.length ? `(${step.indices.map((i) => `${i}u`).join(', ')})` : ''}`;
  switch (step.kind) {
    case 'divide': {
      // V was computed and checked before the first write (divideLines); its digits go in here.
      const parts = digits(
        step,
        (a, w) => `(${a} / ${w}u)`,
        (a, m) => `(${a} % ${m}u)`,
      );
      return [
        `${sym}_MODIFY(base, ${parts.map((d) => `SD_FIELD_SET(${sym}_${d.field}, ${d.value})`).join(' | ')}, ${parts.map((d) => `${sym}_${d.field}_Msk`).join(' | ')});`,
      ];
    }
    case 'write': {
      const mask = step.fields.map((f) => `${sym}_${f.field.name}_Msk`).join(' | ') || '0u';
      const parts = step.fields.map((f) => `SD_FIELD_SET(${sym}_${f.field.name}, ${value(f.value)})`).join(' | ') || '0u';
      return [`${sym}_WRITE(base${at}, (${type})((${sym}_WRITE_BASE & (${type})~(${mask})) | ${parts}));`];
    }
    case 'modify': {
      const mask = step.fields.map((f) => `${sym}_${f.field.name}_Msk`).join(' | ');
      const parts = step.fields.map((f) => `SD_FIELD_SET(${sym}_${f.field.name}, ${value(f.value)})`).join(' | ');
      return [`${sym}_MODIFY(base${at}, ${parts}, ${mask});`];
    }
    case 'read':
      return [`${memberName(step.into, 'c')} = (uint32_t)SD_FIELD_GET(${sym}_${step.field.name}, ${sym}_READ(base${at}));`];
    case 'wait':
      // On a time-out the field's current value is read once more, so the caller can say what it
      // waited on and what it found (the op runner prints it; src/scenarios explains it).
      return [
        `if (sd_wait${width}((uintptr_t)base + ${offset}, ${sym}_${step.field.name}_Msk, (${type})SD_FIELD_SET(${sym}_${step.field.name}, ${value(step.equals)}), ${value(step.timeoutMs)}) != 1)`,
        `  return sd_timed_out("${cString(stepFieldLabel(step))}", SD_FIELD_GET(${sym}_${step.field.name}, sd_read${width}((uintptr_t)base + ${offset})), (uint64_t)(${value(step.equals)}));`,
      ];
    case 'clear':
      return clearLines(sym, at, step.register, step.field, type);
  }
}

/** Clearing a flag without touching its neighbours; see docs/generators.md for the table. */
function clearLines(sym: string, at: string, reg: RegisterView, field: FieldView, type: string): string[] {
  const msk = `${sym}_${field.name}_Msk`;
  const canModify = reg.readable && reg.writable && !reg.readSideEffect;
  switch (field.clear) {
    case 'read':
      return [`(void)${sym}_READ(base${at});`];
    case 'any-write':
      return [`${sym}_WRITE(base${at}, ${sym}_WRITE_BASE);`];
    case 'write-one':
      return canModify
        ? [`${sym}_MODIFY(base${at}, ${msk}, ${msk});`]
        : [`${sym}_WRITE(base${at}, (${type})((${sym}_WRITE_BASE & (${type})~${msk}) | ${msk}));`];
    case 'write-zero':
    case 'plain':
      return canModify ? [`${sym}_MODIFY(base${at}, 0u, ${msk});`] : [`${sym}_WRITE(base${at}, (${type})(${sym}_WRITE_BASE & (${type})~${msk}));`];
  }
}

export const C_PARAM: Readonly<Record<string, string>> = { u8: 'uint8_t', u16: 'uint16_t', u32: 'uint32_t', bool: 'int' };

/** The C type of a parameter: an enum parameter has its own `T_op_param_t`. */
export function cParamType(typeName: string, op: GenOperation, param: GenParam): string {
  return param.type === 'enum' ? `${typeName}_${op.name}_${param.name}_t` : (C_PARAM[param.type] ?? 'uint32_t');
}

/**
 * Checks of every parameter, before the first write: a value outside an enum, a solved table or
 * the field it goes to returns SD_ERR_UNSUPPORTED with the peripheral untouched. A C `int` flag is
 * checked to be 0 or 1 too (C has no bool parameter that could not hold 5).
 */
/**
 * The run-time divider of a `divide` step, before the first write: V nearest (clock − offset·t) /
 * (unit·t) with a tie to the lower, refused unless within the tolerance — in 64-bit integers, which
 * hold every product (divider-form.ts bounds the unit, the clock and V).
 */
function divideLines(r: ResolvedOperation): string[] {
  return r.steps.flatMap((step) => {
    if (step.kind !== 'divide') return [];
    const t = value(step.on);
    const g = `${step.unit}`;
    const off = `(int64_t)${step.offset}`;
    return [
      `{ /* ${cComment(step.quantity)} = ${cComment(step.clock.name)} / (${step.unit} * V + ${step.offset}), ${cComment(step.clock.name)} = ${step.clock.hz} Hz, within ${step.ppm} ppm */`,
      `  const int64_t sd_clock = ${step.clock.hz};`,
      `  const int64_t sd_t = (int64_t)(${t});`,
      `  int64_t sd_num, sd_v, sd_div, sd_diff;`,
      `  if (sd_t < 1) return SD_ERR_UNSUPPORTED;`,
      `  sd_num = sd_clock - ${off} * sd_t;`,
      `  if (sd_num <= 0) return SD_ERR_UNSUPPORTED;`,
      `  sd_v = (2 * sd_num + ${g} * sd_t - 1) / (2 * ${g} * sd_t);`,
      `  if (sd_v > ${step.maxV}) return SD_ERR_UNSUPPORTED;`,
      `  sd_div = ${g} * sd_v + ${off};`,
      `  if (sd_div < 1) return SD_ERR_UNSUPPORTED;`,
      `  sd_diff = sd_clock > sd_t * sd_div ? sd_clock - sd_t * sd_div : sd_t * sd_div - sd_clock;`,
      `  if (sd_diff * 1000000 > (int64_t)${step.ppm} * sd_t * sd_div) return SD_ERR_UNSUPPORTED;`,
      `  ${step.local} = (uint32_t)sd_v;`,
      '}',
    ];
  });
}

function checkLines(r: ResolvedOperation): string[] {
  const lines: string[] = [];
  const searched = new Set(searchSelects(r).flatMap((s) => ('param' in s.on ? [s.on.param] : [])));
  for (const p of r.op.params) {
    const name = memberName(p.name, 'c');
    const check = r.checks.find((c) => c.param === p.name);
    if (check?.allowed && searched.has(p.name)) continue; // the search refuses what no setting reaches
    if (check?.allowed) {
      lines.push(`switch ((uint32_t)(${name})) { /* ${cComment(check.why)} */`);
      if (check.allowed.length) lines.push(`${check.allowed.map((v) => `case ${v}u:`).join(' ')}`, '  break;');
      lines.push('default:', '  return SD_ERR_UNSUPPORTED;', '}');
    } else if (check?.max !== undefined) lines.push(`if ((uint32_t)(${name}) > ${lit(check.max)}) return SD_ERR_UNSUPPORTED; /* ${cComment(check.why)} */`);
    else if (p.type === 'bool') lines.push(`if ((unsigned)(${name}) > 1u) return SD_ERR_UNSUPPORTED; /* a flag is 0 or 1 */`);
  }
  return lines;
}

/** The C function of an operation: `T_op`, returning an SD_* status. */
export function operationFunction(typeName: string, r: ResolvedOperation): string {
  return `${typeName}_${r.op.name}`;
}

/**
 * Operations return a status (SD_OK, SD_ERR_UNSUPPORTED for a value no solved case covers,
 * SD_ERR_TIMEOUT when a wait gives up) so a failure is never mistaken for a value; a result goes
 * through the last parameter, `sd_result` (may be NULL).
 */
function operationView(p: PeripheralView, r: ResolvedOperation): OperationView {
  const op = r.op;
  const ret = op.returns ? (C_PARAM[op.returns] ?? 'uint32_t') : undefined;
  const params = [
    'uintptr_t base',
    ...op.params.map((x) => `${cParamType(p.typeName, op, x)} ${memberName(x.name, 'c')}`),
    ...(ret ? [`${ret} *sd_result`] : []),
  ].join(', ');
  const lines = [
    ...r.locals.map((l) => `uint32_t ${memberName(l, 'c')} = 0u;`),
    ...r.steps.flatMap((s) => (s.kind === 'divide' ? [`uint32_t ${s.local} = 0u;`] : [])),
    ...searchSelects(r).flatMap((s) => [`uint32_t ${s.search.locals.x} = 0u;`, `uint32_t ${s.search.locals.y} = 0u;`]),
    ...checkLines(r),
    ...divideLines(r),
    ...searchLines(r, value),
    ...r.steps.flatMap((s) => stepLines(p, s, ret)),
  ];
  if (r.steps[r.steps.length - 1]?.kind !== 'return') {
    if (ret) lines.push(`if (sd_result != NULL) *sd_result = (${ret})0;`);
    lines.push('return SD_OK;');
  }
  // An unused parameter is an error under -Wextra -Werror (e.g. a contract parameter a step ignores).
  for (const name of ['base', ...op.params.map((x) => memberName(x.name, 'c'))]) {
    if (!lines.some((l) => new RegExp(`\\b${name}\\b`).test(l))) lines.unshift(`(void)${name};`);
  }
  // A local that is read into but never used again is -Wunused-but-set-variable under -Wall.
  for (const local of r.locals.map((l) => memberName(l, 'c'))) {
    const uses = lines.filter((l) => new RegExp(`\\b${local}\\b`).test(l) && !l.startsWith(`${local} = `) && !l.startsWith(`uint32_t ${local} = `));
    if (uses.length === 0) lines.splice(r.locals.length, 0, `(void)${local};`);
  }
  const enums = op.params.flatMap((x) =>
    x.type === 'enum'
      ? [
          {
            name: cParamType(p.typeName, op, x),
            members: x.values.map((v, i) => `${p.typeName}_${op.name}_${x.name}_${v.name} = ${v.value}${i < x.values.length - 1 ? ',' : ''}`),
          },
        ]
      : [],
  );
  return {
    comment: `${cComment(op.description)} (${cComment(op.origin)})`,
    enums,
    signature: `static inline int ${operationFunction(p.typeName, r)}(${params})`,
    lines,
  };
}

export function peripheralView(
  p: PeripheralView,
  ops: readonly ResolvedOperation[],
  ownerFile: string,
  diagnostics: Diagnostic[],
  ownerHasOverlay = false,
): PeripheralHeaderView {
  const symbols = new SymbolTable(`include/${fileStem(p.name)}.h`, diagnostics);
  const registers = p.ownsType ? p.registers.map((r) => registerBlock(p, r, symbols, diagnostics)) : [];
  const ov = p.ownsType ? overlay(p) : { structs: [], note: '' };
  const instance: Define[] = [];
  const claim = (name: string, value: string, comment?: string): void => {
    if (symbols.claim(name, p.path, p.span)) instance.push({ name, value, ...(comment ? { comment } : {}) });
  };
  claim(`${p.name}_BASE`, lit(p.baseAddress), cComment(p.description));
  // The overlay pointer is NAME_REGS, not NAME: a bare peripheral name as a macro would rewrite any
  // struct member of the same name in another header (nRF52840: POWER peripheral, RADIO.POWER).
  const pointer = p.ownsType ? ov.structs.length > 0 : ownerHasOverlay;
  if (pointer) symbols.claim(`${p.name}_REGS`, p.path, p.span);
  return {
    file: `include/${fileStem(p.name)}.h`,
    guard: `SD_${p.name.toUpperCase()}_H`,
    comment: `${p.name} at ${hex(p.baseAddress, 8)}${p.ownsType ? '' : `, layout ${p.typeName}_Type (defined in ${fileStem(p.typeOwner)}.h)`}: ${cComment(p.description)}`,
    ownsType: p.ownsType,
    typeHeader: ownerFile,
    registers,
    structs: ov.structs,
    overlayNote: ov.note,
    hasOverlay: ov.structs.length > 0,
    hasPointer: pointer,
    typeName: p.typeName,
    instanceName: p.name,
    instance,
    operations: p.ownsType ? ops.map((o) => operationView(p, o)) : [],
  };
}

export interface SelfTestView {
  readonly offsets: readonly { readonly label: string; readonly actual: string; readonly expected: string }[];
  readonly fields: readonly { readonly label: string; readonly pos: string; readonly width: string; readonly mask: string }[];
  readonly registers: readonly { readonly label: string; readonly fieldMasks: string; readonly fieldSum: string }[];
}

/**
 * The layout self-test compares what the compiler made of the structs (offsetof) with the offset
 * macros, each field's mask with its position and width, and that fields of a register are disjoint.
 */
export function selfTestView(analysis: DeviceAnalysis, headers: readonly PeripheralHeaderView[]): SelfTestView {
  const offsets: SelfTestView['offsets'][number][] = [];
  const fields: SelfTestView['fields'][number][] = [];
  const registers: SelfTestView['registers'][number][] = [];
  for (const p of analysis.types) {
    const header = headers.find((h) => h.typeName === p.typeName && h.ownsType);
    if (header?.hasOverlay) {
      for (const reg of p.registers) {
        if (reg.nameParts.length !== 1 || reg.arrayLevels.length > 1) continue;
        const member = memberName(reg.name, 'c');
        const struct = header.structs.find((s) => s.name === `${p.typeName}_Type`);
        if (!struct?.asserts.some((a) => a.includes(`offsetof(${p.typeName}_Type, ${member})`))) continue;
        const sym = registerSymbol(p.typeName, reg);
        offsets.push({
          label: cString(reg.path),
          actual: `offsetof(${p.typeName}_Type, ${member})`,
          expected: `${sym}_OFFSET${reg.arrayLevels.length ? '(0)' : ''}`,
        });
      }
    }
    for (const reg of p.registers) {
      const sym = registerSymbol(p.typeName, reg);
      for (const f of reg.fields.filter((x) => x.segments.length === 1))
        fields.push({ label: cString(f.path), pos: `${sym}_${f.name}_Pos`, width: `${sym}_${f.name}_Width`, mask: `${sym}_${f.name}_Msk` });
      if (reg.fields.length > 1) {
        // Deliberate read-only/write-only pairs share bits; disjointness is only checked where none do.
        const overlapping = reg.fields.some((a, i) => reg.fields.some((b, j) => i < j && andMask(a.mask, b.mask) !== 0));
        if (overlapping) continue;
        registers.push({
          label: cString(reg.path),
          fieldMasks: reg.fields.map((f) => `(uint64_t)${sym}_${f.name}_Msk`).join(' | '),
          fieldSum: reg.fields.map((f) => `(uint64_t)${sym}_${f.name}_Msk`).join(' + '),
        });
      }
    }
  }
  return { offsets, fields, registers };
}

export interface RunnerOpView {
  readonly index: string;
  readonly qualified: string;
  readonly short: string;
  readonly argc: string;
  readonly maxima: string;
  /** The statements of the `case` calling it (C89-style block: declarations first). */
  readonly call: readonly string[];
}

export interface RunnerView {
  readonly maxArgs: string;
  readonly ops: readonly RunnerOpView[];
}

/**
 * The op runner (test/op_runner.c): the line protocol of docs/generators.md over the host link,
 * calling each operation on the instance its contract bound (`GPIOB_BASE` for an operation of the
 * GPIOA layout bound to GPIOB).
 */
export function runnerView(entries: readonly RunnerEntry[]): RunnerView {
  const maxArgs = Math.max(1, ...entries.map((e) => e.resolved.op.params.length));
  const ops = entries.map((e, i): RunnerOpView => {
    const op = e.resolved.op;
    const args = [`${e.peripheral.name}_BASE`, ...op.params.map((x, k) => `(${cParamType(e.peripheral.typeName, op, x)})args[${k}]`)];
    const fn = operationFunction(e.peripheral.typeName, e.resolved);
    const ret = op.returns ? (C_PARAM[op.returns] ?? 'uint32_t') : undefined;
    const call = ret
      ? [`${ret} result = 0;`, `int rc = ${fn}(${[...args, '&result'].join(', ')});`, '*has_value = 1;', '*value = (uint32_t)result;', 'return rc;']
      : [`return ${fn}(${args.join(', ')});`];
    return {
      index: `${i}u`,
      qualified: cString(e.qualified),
      short: e.short === undefined ? 'NULL' : `"${cString(e.short)}"`,
      argc: `${op.params.length}u`,
      maxima: op.params.length ? op.params.map((x) => lit(paramMaximum(x.type))).join(', ') : '0u',
      call,
    };
  });
  return { maxArgs: `${maxArgs}u`, ops };
}
