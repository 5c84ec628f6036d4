import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { hex } from '../../src/ir/bits.ts';
import type { ClusterView, DeviceAnalysis, EnumValueView, FieldView, NodeView, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { tsComment, tsString } from '../framework/escape.ts';
import { memberName, SymbolTable } from '../framework/identifiers.ts';
import { moduleFileNames } from '../framework/module-files.ts';
import {
  digits,
  paramEnumName,
  paramMaximum,
  paramRange,
  searchSelects,
  stepFieldLabel,
  type ResolvedOperation,
  type ResolvedStep,
  type RunnerEntry,
} from '../framework/operations.ts';
import type { PathSegment } from '../../src/ir/element-path.ts';
import type { GenValue, GeneratorModel } from '../framework/types.ts';

/**
 * View-model of the TypeScript SDK: type names, literal unions, register spec literals and the
 * statements of operations. Property keys go through memberName (reserved words get `_`).
 */

export interface RegisterItem {
  readonly comment: string;
  readonly enums: readonly { readonly name: string; readonly union: string }[];
  readonly readType: string;
  readonly writeType: string;
  readonly readFields: readonly { readonly key: string; readonly type: string; readonly comment: string }[];
  readonly writeFields: readonly { readonly key: string; readonly type: string }[];
  readonly specConst: string;
  readonly specLiteral: string;
}

export interface MemberItem {
  readonly key: string;
  readonly type: string;
  readonly init: string;
  readonly comment: string;
}

export interface ContainerItem {
  readonly typeName: string;
  readonly factory: string;
  readonly comment: string;
  readonly members: readonly MemberItem[];
  readonly ops: readonly {
    readonly name: string;
    readonly signature: string;
    readonly params: string;
    readonly returns: string;
    readonly comment: string;
    readonly lines: readonly string[];
  }[];
  /** Enum parameters: `export const X = { NONE: 0, … } as const` and the union of its values. */
  readonly paramEnums: readonly { readonly name: string; readonly literal: string }[];
}

export interface TypeItem {
  readonly name: string;
  /** Module of this layout: `src/layouts/<file>.ts`. */
  readonly file: string;
  readonly factory: string;
  readonly peripheralType: string;
  /** The peripherals of this layout, for the module's comment. */
  readonly instances: string;
  readonly registers: readonly RegisterItem[];
  /** Clusters first (children before parents), the peripheral last. */
  readonly containers: readonly ContainerItem[];
}

export interface PeripheralItem {
  readonly key: string;
  readonly type: string;
  readonly peripheralType: string;
  readonly factory: string;
  readonly base: string;
  readonly comment: string;
  /** Module of this peripheral (`src/peripherals/<file>.ts`) and of its layout. */
  readonly file: string;
  readonly layoutFile: string;
}

export interface DeviceView {
  readonly board: string;
  readonly revision: string;
  readonly specHash: string;
  readonly comment: string;
  readonly title: string;
  readonly types: readonly TypeItem[];
  readonly peripherals: readonly PeripheralItem[];
  readonly config: readonly { readonly key: string; readonly value: string }[];
}

const regSym = (typeName: string, reg: RegisterView): string => [typeName, ...reg.nameParts].join('_');

function fieldValueType(f: FieldView, enumType: string | undefined, reading: boolean): string {
  if (!enumType) return 'number';
  return reading && f.enumComplete ? enumType : `${enumType} | number`;
}

/** Fields `clear()` accepts: those whose access says how they clear (w1c, w0c, read-to-clear, any write). */
export function clearableFields(reg: RegisterView): FieldView[] {
  return reg.fields.filter((f) => f.clear !== 'plain' && (f.writable || f.clear === 'read'));
}

function registerMethods(reg: RegisterView): string {
  const methods: string[] = [];
  if (reg.readable) methods.push("'read'", "'readRaw'", "'readField'", "'decode'", "'waitField'");
  if (reg.writable) methods.push("'write'", "'writeRaw'");
  if (reg.readable && reg.writable && !reg.readSideEffect) methods.push("'modify'");
  if (clearableFields(reg).length > 0) methods.push("'clear'");
  return methods.join(' | ') || 'never';
}

/** The union of clearable field names, or `never`. */
function clearUnion(reg: RegisterView): string {
  return (
    clearableFields(reg)
      .map((f) => tsString(memberName(f.name, 'ts')))
      .join(' | ') || 'never'
  );
}

function registerItem(typeName: string, reg: RegisterView, symbols: SymbolTable): RegisterItem {
  const sym = regSym(typeName, reg);
  for (const suffix of ['_Read', '_Write', '_SPEC']) symbols.claim(sym + suffix, reg.path, reg.span);
  const enums: RegisterItem['enums'][number][] = [];
  const readFields: RegisterItem['readFields'][number][] = [];
  const writeFields: RegisterItem['writeFields'][number][] = [];
  const fieldSpecs: string[] = [];
  const keys = new SymbolTable(`${sym}_Read`, []);
  for (const f of reg.fields) {
    const key = memberName(f.name, 'ts');
    keys.claim(key, f.path, f.span);
    // Read and write values are separate namespaces; one type when they are the same names.
    const union = (values: readonly EnumValueView[]): string => values.map((e) => tsString(e.name)).join(' | ');
    const sameNames = union(f.readEnum) === union(f.writeEnum);
    const readType = f.readEnum.length > 0 ? `${sym}_${f.name}` : undefined;
    const writeType = f.writeEnum.length > 0 ? (sameNames ? `${sym}_${f.name}` : `${sym}_${f.name}_Write`) : undefined;
    for (const [type, values] of [
      [readType, f.readEnum],
      [writeType, f.writeEnum],
    ] as const) {
      if (type && !enums.some((e) => e.name === type) && symbols.claim(type, f.path, f.span)) enums.push({ name: type, union: union(values) });
    }
    if (f.readable) readFields.push({ key, type: fieldValueType(f, readType, true), comment: tsComment(`${f.accessLabel} ${f.description ?? ''}`) });
    if (f.writable || f.clear === 'read') writeFields.push({ key, type: fieldValueType(f, writeType, false) });
    const literal = (values: readonly EnumValueView[]): string => `{ ${values.map((e) => `${tsString(e.name)}: ${e.value}`).join(', ')} }`;
    const enumLiteral =
      (f.writeEnum.length > 0 ? `, enums: ${literal(f.writeEnum)}` : '') +
      (f.readEnum.length > 0 && literal(f.readEnum) !== literal(f.writeEnum) ? `, readEnums: ${literal(f.readEnum)}` : '');
    fieldSpecs.push(
      `${tsString(key)}: { lsb: ${f.lsb}, width: ${f.width}, readable: ${f.readable}, writable: ${f.writable}, clear: '${f.clear}'${enumLiteral} }`,
    );
  }
  const specLiteral = `{ offset: ${hex(reg.absOffset)}, width: ${reg.byteSize * 8}, neutralMask: ${hex(reg.neutralMask)}, neutralValue: ${hex(reg.neutralValue)}, writeBase: ${hex(reg.writeBase)}, readSideEffect: ${reg.readSideEffect}, fields: { ${fieldSpecs.join(', ')} } }`;
  return {
    comment: tsComment(`${reg.nameParts.join('.')} at +${hex(reg.absOffset)}: ${reg.description ?? ''}`),
    enums,
    readType: `${sym}_Read`,
    writeType: `${sym}_Write`,
    readFields,
    writeFields,
    specConst: `${sym}_SPEC`,
    specLiteral,
  };
}

function tsValue(v: GenValue, boolParams: ReadonlySet<string>): string {
  if ('const' in v) return String(v.const);
  if ('param' in v) return boolParams.has(v.param) ? `(${memberName(v.param, 'ts')} ? 1 : 0)` : memberName(v.param, 'ts');
  return memberName(v.local, 'ts');
}

/** Statements of one step; nested statements (select cases) carry their own indentation. */
function stepLines(step: ResolvedStep, opName: string, boolParams: ReadonlySet<string>, returns: string | undefined): string[] {
  // An array element is indexed where the path names it: `p.CC[0]!` (a ReadonlyArray of registers).
  const reg = (s: { readonly element: readonly PathSegment[] }): string =>
    `p.${s.element.map((e) => `${memberName(e.name, 'ts')}${e.index === undefined ? '' : `[${e.index}]!`}`).join('.')}`;
  const fieldKey = (f: FieldView): string => tsString(memberName(f.name, 'ts'));
  switch (step.kind) {
    case 'write':
    case 'modify':
      return [
        `await ${reg(step)}.${step.kind}({ ${step.fields.map((f) => `${memberName(f.field.name, 'ts')}: ${tsValue(f.value, boolParams)}`).join(', ')} });`,
      ];
    case 'read':
      return [`${memberName(step.into, 'ts')} = await ${reg(step)}.readField(${fieldKey(step.field)});`];
    case 'wait': {
      // The message names the field and the value it has after the time-out (read once more).
      const what = `${tsString(`${stepFieldLabel(step)} is `)} + String(await ${reg(step)}.readField(${fieldKey(step.field)})) + ${tsString(', waited for ')} + String(${tsValue(step.equals, boolParams)})`;
      return [
        `if (!(await ${reg(step)}.waitField(${fieldKey(step.field)}, ${tsValue(step.equals, boolParams)}, ${tsValue(step.timeoutMs, boolParams)}))) throw new OperationError('timeout', ${opName}, ${what});`,
      ];
    }
    case 'divide':
      return [
        `await ${reg(step)}.modify({ ${digits(
          step,
          (a, w) => `Math.floor(${a} / ${w})`,
          (a, m) => `${a} % ${m}`,
        )
          .map((d) => `${memberName(d.field, 'ts')}: ${d.value}`)
          .join(', ')} });`,
      ];
    case 'clear':
      // A plain field has no clear semantics: clearing it is writing 0 (as the C target does).
      if (step.field.clear === 'plain')
        return [
          `await ${reg(step)}.${step.register.readable && !step.register.readSideEffect ? 'modify' : 'write'}({ ${memberName(step.field.name, 'ts')}: 0 });`,
        ];
      return [`await ${reg(step)}.clear(${fieldKey(step.field)});`];
    case 'select': {
      const on = tsValue(step.on, boolParams);
      return [
        `switch (${on}) {`,
        ...step.cases.flatMap((c) => [
          `  case ${c.value}:`,
          ...c.steps.flatMap((s) => stepLines(s, opName, boolParams, returns)).map((l) => `    ${l}`),
          '    break;',
        ]),
        '  default:',
        // With a search, its result (found before the first write) is written; else nothing fits.
        ...(step.search
          ? [...step.search.factors.flatMap((f) => stepLines(f.write, opName, boolParams, returns)).map((l) => `    ${l}`), '    break;']
          : [`    throw new OperationError('unsupported', ${opName}, ${tsString(`no solved ${step.quantity} for `)} + String(${on}));`]),
        '}',
      ];
    }
    case 'return':
      return [returns === 'bool' ? `return ${tsValue(step.value, boolParams)} !== 0;` : `return ${tsValue(step.value, boolParams)};`];
  }
}

const TS_RETURN: Readonly<Record<string, string>> = { bool: 'boolean', u8: 'number', u16: 'number', u32: 'number' };

/** The run-time divider before the first write (see the C target): BigInt, so no product loses bits. */
function divideLines(r: ResolvedOperation, opName: string, boolParams: ReadonlySet<string>): string[] {
  return r.steps.flatMap((step) => {
    if (step.kind !== 'divide') return [];
    const t = tsValue(step.on, boolParams);
    const refuse = `throw new OperationError('unsupported', ${opName}, ${tsString(`no ${step.quantity} setting within tolerance for `)} + String(${t}));`;
    return [
      `let ${step.local} = 0;`,
      `{ // ${tsComment(`${step.quantity} = ${step.clock.name} / (${step.unit} * V + ${step.offset}), ${step.clock.name} = ${step.clock.hz} Hz, within ${step.ppm} ppm`)}`,
      `  const clock = ${step.clock.hz}n;`,
      `  const t = BigInt(${t});`,
      `  const num = clock - ${step.offset}n * t;`,
      `  if (t < 1n || num <= 0n) ${refuse}`,
      `  const v = (2n * num + ${step.unit}n * t - 1n) / (2n * ${step.unit}n * t);`,
      `  const div = ${step.unit}n * v + ${step.offset}n;`,
      `  const diff = clock > t * div ? clock - t * div : t * div - clock;`,
      `  if (v > ${step.maxV}n || div < 1n || diff * 1000000n > ${step.ppm}n * t * div) ${refuse}`,
      `  ${step.local} = Number(v);`,
      '}',
    ];
  });
}

/**
 * The run-time search of a product-form divider before the first write, for a value the table
 * lacks (the table is a switch: faster where it has the value). Mirrors searchProductDivider in
 * src/pipeline/product-divider.ts: every product stays below 2⁵³, so doubles are exact.
 */
function searchLines(r: ResolvedOperation, opName: string, boolParams: ReadonlySet<string>): string[] {
  return searchSelects(r).flatMap((step) => {
    const { search } = step;
    const [outer, inner] = search.factors;
    const t = tsValue(step.on, boolParams);
    const tabulated = step.cases.map((c) => c.value);
    const { x, y } = search.locals;
    return [
      `let ${x} = 0;`,
      `let ${y} = 0;`,
      `if (!(${JSON.stringify(tabulated)} as readonly number[]).includes(${t})) {`,
      `  // ${tsComment(`${step.quantity} = ${search.clock.name} / (${search.coef} * (${outer.field} + ${outer.offset}) * (${inner.field} + ${inner.offset})), ${search.clock.name} = ${search.clock.hz} Hz, within ${search.ppm} ppm: least error, searched over ${outer.field}`)}`,
      `  const clock = ${search.clock.hz};`,
      '  let best = -1;',
      `  for (let fx = Math.max(${Math.max(1, outer.offset)}, Math.floor(Math.floor(Math.floor(clock / ${t}) / ${inner.max + inner.offset}) / ${search.coef})); fx <= ${outer.max + outer.offset}; fx++) {`,
      `    const step = ${search.coef} * fx * ${t};`,
      '    if (step > 2 * clock) break;',
      '    const nearest = Math.floor(clock / step);',
      '    for (const candidate of [nearest, nearest + 1]) {',
      `      const fy = Math.min(${inner.max + inner.offset}, Math.max(${Math.max(1, inner.offset)}, candidate));`,
      '      const achieved = step * fy;',
      '      const error = Math.abs(clock - achieved);',
      `      if (2 * error <= achieved && error * 1000000 <= ${search.ppm} * achieved && (best < 0 || error < best)) {`,
      '        best = error;',
      `        ${x} = fx - ${outer.offset};`,
      `        ${y} = fy - ${inner.offset};`,
      '      }',
      '    }',
      `    if (best === 0 || step * ${Math.max(1, inner.offset)} >= clock) break;`,
      '  }',
      `  if (best < 0) throw new OperationError('unsupported', ${opName}, ${tsString(`no ${step.quantity} setting within tolerance for `)} + String(${t}));`,
      '}',
    ];
  });
}

/** Every number parameter checked before the first write: integer, in range, one of its values. */
function checkLines(r: ResolvedOperation, opName: string): string[] {
  const searched = new Set(searchSelects(r).flatMap((s) => ('param' in s.on ? [s.on.param] : [])));
  return r.op.params.flatMap((p) => {
    if (p.type === 'bool') return [];
    const n = memberName(p.name, 'ts');
    const range = searched.has(p.name) ? { max: paramMaximum(p.type), message: ` is outside 0..${paramMaximum(p.type)}` } : paramRange(r, p);
    const test = range.allowed
      ? `!(${JSON.stringify(range.allowed)} as readonly number[]).includes(${n})`
      : `!Number.isInteger(${n}) || ${n} < 0 || ${n} > ${range.max}`;
    return [`if (${test}) throw new OperationError('unsupported', ${opName}, ${tsString(`${p.name} `)} + String(${n}) + ${tsString(range.message)});`];
  });
}

function paramEnumItems(typeName: string, r: ResolvedOperation): ContainerItem['paramEnums'] {
  return r.op.params.flatMap((p) =>
    p.type === 'enum'
      ? [{ name: paramEnumName(typeName, r.op, p), literal: `{ ${p.values.map((v) => `${memberName(v.name, 'ts')}: ${v.value}`).join(', ')} }` }]
      : [],
  );
}

function opItem(typeName: string, r: ResolvedOperation): ContainerItem['ops'][number] {
  const boolParams = new Set(r.op.params.filter((x) => x.type === 'bool').map((x) => x.name));
  const params = r.op.params
    .map((x) => `${memberName(x.name, 'ts')}: ${x.type === 'bool' ? 'boolean' : x.type === 'enum' ? paramEnumName(typeName, r.op, x) : 'number'}`)
    .join(', ');
  const returns = r.op.returns === undefined ? 'void' : (TS_RETURN[r.op.returns] ?? 'number');
  const opName = tsString(r.op.name);
  const lines = [
    ...r.locals.map((l) => `let ${memberName(l, 'ts')} = 0;`),
    ...checkLines(r, opName),
    ...divideLines(r, opName, boolParams),
    ...searchLines(r, opName, boolParams),
    ...r.steps.flatMap((s) => stepLines(s, opName, boolParams, r.op.returns)),
  ];
  if (r.op.returns && r.steps[r.steps.length - 1]?.kind !== 'return') lines.push(r.op.returns === 'bool' ? 'return false;' : 'return 0;');
  const name = memberName(r.op.name, 'ts');
  return {
    name,
    params,
    returns: `Promise<${returns}>`,
    signature: `${name}(${params}): Promise<${returns}>`,
    comment: tsComment(`${r.op.description ?? ''} (${r.op.origin})`),
    lines,
  };
}

function nodeMember(typeName: string, node: NodeView, offsetExpr: string, containers: ContainerItem[]): MemberItem {
  const key = memberName(node.name, 'ts');
  let elementType: string;
  let make: (base: string) => string;
  if (node.kind === 'register') {
    const sym = regSym(typeName, node);
    elementType = `RegisterApi<${sym}_Read, ${sym}_Write, ${registerMethods(node)}, ${clearUnion(node)}>`;
    make = (addr) => `new Register<${sym}_Read, ${sym}_Write, ${clearUnion(node)}>(io, ${addr}, ${sym}_SPEC)`;
  } else {
    const container = clusterContainer(typeName, node, containers);
    elementType = container.typeName;
    make = (addr) => `${container.factory}(io, ${addr})`;
  }
  const comment = tsComment(node.description);
  // Register offsets are absolute within the peripheral (every index 0), so a cluster factory gets the
  // peripheral base shifted only by the strides of the elements chosen so far.
  const at = node.kind === 'register' ? `${offsetExpr} + ${hex(node.absOffset)}` : offsetExpr;
  if (!node.dim) return { key, type: elementType, init: make(at), comment };
  return {
    key,
    type: `ReadonlyArray<${elementType}>`,
    init: `Array.from({ length: ${node.dim.count} }, (_, i) => ${make(`${at} + i * ${hex(node.dim.stride)}`)})`,
    comment,
  };
}

function clusterContainer(typeName: string, cluster: ClusterView, containers: ContainerItem[]): ContainerItem {
  const name = `${typeName}_${cluster.path.split('.').slice(1).join('_')}`;
  const members = cluster.children.map((c) => nodeMember(typeName, c, 'base', containers));
  const item: ContainerItem = {
    typeName: `${name}_Cluster`,
    factory: `make_${name}`,
    comment: tsComment(cluster.description),
    members,
    ops: [],
    paramEnums: [],
  };
  containers.push(item);
  return item;
}

export function deviceView(model: GeneratorModel, analysis: DeviceAnalysis, ops: Map<string, ResolvedOperation[]>, diagnostics: Diagnostic[]): DeviceView {
  const symbols = new SymbolTable('src/device.ts', diagnostics);
  for (const reserved of ['IDENTITY', 'Device', 'createDevice', 'openDevice', 'CONFIG', 'OperationError'])
    symbols.claim(reserved, `(generated ${reserved})`, undefined);
  const deviceKeys = new SymbolTable('Device', diagnostics);
  const instances = analysis.peripherals.filter((p) => deviceKeys.claim(memberName(p.name, 'ts'), p.path, p.span));
  const layoutFiles = moduleFileNames(analysis.types.map((t) => t.typeName));
  const peripheralFiles = moduleFileNames(instances.map((p) => memberName(p.name, 'ts')));
  const types: TypeItem[] = analysis.types.map((p: PeripheralView) => {
    const registers = new Map(p.registers.map((r) => [r.path, registerItem(p.typeName, r, symbols)]));
    const containers: ContainerItem[] = [];
    const members = p.nodes.map((n) => nodeMember(p.typeName, n, 'base', containers));
    const memberKeys = new SymbolTable(`${p.typeName}_Peripheral`, diagnostics);
    for (const m of members) memberKeys.claim(m.key, `${p.name}.${m.key}`, p.span);
    const resolvedOps = ops.get(p.typeName) ?? [];
    const opItems = resolvedOps.map((r) => opItem(p.typeName, r)).filter((o) => memberKeys.claim(o.name, `${p.name} operation ${o.name}`, p.span));
    const paramEnums = resolvedOps.flatMap((r) => paramEnumItems(p.typeName, r));
    symbols.claim(`${p.typeName}_Peripheral`, p.path, p.span);
    containers.push({
      typeName: `${p.typeName}_Peripheral`,
      factory: `make_${p.typeName}`,
      comment: tsComment(p.description),
      members,
      ops: opItems,
      paramEnums,
    });
    return {
      name: p.typeName,
      file: layoutFiles.get(p.typeName) ?? p.typeName,
      factory: `make_${p.typeName}`,
      peripheralType: `${p.typeName}_Peripheral`,
      instances: tsComment(
        instances
          .filter((i) => i.typeName === p.typeName)
          .map((i) => i.name)
          .join(', '),
      ),
      registers: [...registers.values()],
      containers,
    };
  });
  const peripherals = instances.map((p) => {
    const key = memberName(p.name, 'ts');
    return {
      key,
      type: `${p.typeName}_Peripheral`,
      peripheralType: `${p.typeName}_Peripheral`,
      factory: `make_${p.typeName}`,
      base: hex(p.baseAddress),
      comment: tsComment(p.description),
      file: peripheralFiles.get(key) ?? key,
      layoutFile: layoutFiles.get(p.typeName) ?? p.typeName,
    };
  });
  return {
    board: tsString(model.device.board ?? model.device.name),
    revision: tsString(model.device.revision ?? model.device.version ?? ''),
    specHash: tsString(model.specHash),
    comment: tsComment(model.device.description),
    title: tsComment(`${model.device.board ?? model.device.name} ${model.device.revision ?? ''}`),
    types,
    peripherals,
    config: (model.config?.values ?? []).map((v) => ({ key: tsString(v.path), value: String(v.value) })),
  };
}

export interface TsRunnerView {
  readonly ops: readonly { readonly names: string; readonly maxima: string; readonly call: string }[];
}

/**
 * The op runner (op-runner.ts at the package root): one table entry per operation, reached by its
 * qualified and (when unambiguous) bare name, calling it on the instance its contract bound.
 */
export function tsRunnerView(entries: readonly RunnerEntry[]): TsRunnerView {
  return {
    ops: entries.map((e) => {
      const op = e.resolved.op;
      // An enum argument is passed as its number; the operation checks it before any write.
      const args = op.params
        .map((x, i) =>
          x.type === 'bool' ? `a[${i}] !== 0` : x.type === 'enum' ? `(a[${i}] ?? 0) as sdk.${paramEnumName(e.peripheral.typeName, op, x)}` : `a[${i}] ?? 0`,
        )
        .join(', ');
      const invoke = `await d.${memberName(e.peripheral.name, 'ts')}.${memberName(op.name, 'ts')}(${args})`;
      const call =
        op.returns === undefined
          ? `async (d, a) => { ${invoke}; return undefined; }`
          : op.returns === 'bool'
            ? `async (d, a) => ((${invoke}) ? 1 : 0)`
            : `async (d, a) => ${invoke}`;
      return {
        names: `[${[e.qualified, ...(e.short !== undefined ? [e.short] : [])].map((n) => tsString(n)).join(', ')}]`,
        maxima: `[${op.params.map((x) => String(paramMaximum(x.type))).join(', ')}]`,
        call,
      };
    }),
  };
}
