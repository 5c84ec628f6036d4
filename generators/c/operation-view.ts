import { cComment, cString } from '../framework/escape.ts';
import type { FieldView, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { memberName } from '../framework/identifiers.ts';
import { digits, searchSelects, stepFieldLabel, type ResolvedOperation, type ResolvedStep } from '../framework/operations.ts';
import type { GenOperation, GenParam, GenValue } from '../framework/types.ts';
import { cType, lit, registerSymbol } from './c-syntax.ts';
import { searchLines } from './product-search.ts';

/** The C function of each operation: parameter checks, the run-time divider, then one statement per step. */

export interface OperationView {
  readonly comment: string;
  /** Typed enums of its enum parameters (`typedef enum {...} T_op_param_t;`). */
  readonly enums: readonly { readonly name: string; readonly members: readonly string[] }[];
  readonly signature: string;
  readonly lines: readonly string[];
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

/**
 * Checks of every parameter, before the first write: a value outside an enum, a solved table or
 * the field it goes to returns SD_ERR_UNSUPPORTED with the peripheral untouched. A C `int` flag is
 * checked to be 0 or 1 too (C has no bool parameter that could not hold 5).
 */
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
export function operationView(p: PeripheralView, r: ResolvedOperation): OperationView {
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
