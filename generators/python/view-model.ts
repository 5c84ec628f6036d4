import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { hex } from '../../src/ir/bits.ts';
import type { ClusterView, DeviceAnalysis, EnumValueView, FieldView, NodeView, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { pyComment, pyString } from '../framework/escape.ts';
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
 * View-model of the Python SDK: class names, Literal enums, TypedDicts (functional form, so any
 * field name is a valid key), keyword parameters (reserved words get `_`) and operation bodies.
 */

export interface PyRegister {
  readonly className: string;
  readonly comment: string;
  readonly enums: readonly { readonly name: string; readonly literal: string }[];
  readonly readType: string;
  readonly readTypeString: string;
  readonly readDict: string;
  readonly spec: string;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly modifiable: boolean;
  /** Writable, or cleared by reading: `clear()` exists. */
  readonly clearable: boolean;
  /** Quoted names `clear()` accepts (Literal members). */
  readonly clearNames: string;
  readonly kwargs: string;
  readonly mapping: string;
  readonly fieldNames: string;
}

export interface PyContainer {
  readonly className: string;
  readonly comment: string;
  readonly members: readonly { readonly name: string; readonly annotation: string; readonly init: string }[];
  readonly ops: readonly {
    readonly name: string;
    readonly params: string;
    readonly returns: string;
    readonly comment: string;
    readonly lines: readonly string[];
  }[];
  /** Enum parameters as `IntEnum` classes (`UART0_init_parity.EVEN`). */
  readonly paramEnums: readonly { readonly name: string; readonly members: readonly string[] }[];
}

export interface PyInstance {
  /** The peripheral's class (and Device property): `class UART0(UART_Peripheral)`. */
  readonly className: string;
  readonly name: string;
  readonly peripheralType: string;
  readonly base: string;
  readonly comment: string;
  /** Its layout module under `_layouts/`, and that module's alias in device.py. */
  readonly file: string;
  readonly alias: string;
}

/** One module `_layouts/<file>.py`: a layout type's registers, clusters, peripheral class, instances. */
export interface PyLayout {
  readonly name: string;
  readonly file: string;
  readonly alias: string;
  readonly comment: string;
  readonly instances: string;
  readonly registers: readonly PyRegister[];
  readonly containers: readonly PyContainer[];
  readonly peripherals: readonly PyInstance[];
}

export interface PyView {
  readonly board: string;
  readonly revision: string;
  readonly specHash: string;
  readonly comment: string;
  readonly layouts: readonly PyLayout[];
  readonly peripherals: readonly PyInstance[];
  /** Names the package exports lazily: peripherals, peripheral classes, enum parameters. */
  readonly exports: readonly { readonly name: string; readonly file: string; readonly quoted: string; readonly quotedFile: string }[];
  /** A peripheral for the package docstring's example. */
  readonly example: string;
  readonly config: readonly { readonly key: string; readonly value: string }[];
}

const regSym = (typeName: string, reg: RegisterView): string => [typeName, ...reg.nameParts].join('_');

function fieldType(f: FieldView, enumType: string | undefined, reading: boolean): string {
  if (!enumType) return 'int';
  return reading && f.enumComplete ? enumType : `Union[${enumType}, int]`;
}

function registerItem(typeName: string, reg: RegisterView, symbols: SymbolTable): PyRegister {
  const sym = regSym(typeName, reg);
  symbols.claim(sym, reg.path, reg.span);
  symbols.claim(`${sym}_Read`, reg.path, reg.span);
  const enums: PyRegister['enums'][number][] = [];
  const readEntries: string[] = [];
  const kwargs: string[] = [];
  const mapping: string[] = [];
  const fieldSpecs: string[] = [];
  const params = new SymbolTable(`${sym}.write`, []);
  for (const f of reg.fields) {
    // Read and write values are separate namespaces; one Literal when they are the same names.
    const literal = (values: readonly EnumValueView[]): string => `Literal[${values.map((e) => pyString(e.name)).join(', ')}]`;
    const sameNames = literal(f.readEnum) === literal(f.writeEnum);
    const readType = f.readEnum.length > 0 ? `${sym}_${f.name}` : undefined;
    const writeType = f.writeEnum.length > 0 ? (sameNames ? `${sym}_${f.name}` : `${sym}_${f.name}_Write`) : undefined;
    for (const [type, values] of [
      [readType, f.readEnum],
      [writeType, f.writeEnum],
    ] as const) {
      if (type && !enums.some((e) => e.name === type) && symbols.claim(type, f.path, f.span)) enums.push({ name: type, literal: literal(values) });
    }
    if (f.readable) readEntries.push(`${pyString(f.name)}: ${fieldType(f, readType, true)}`);
    if (f.writable || f.clear === 'read') {
      const param = memberName(f.name, 'py');
      params.claim(param, f.path, f.span);
      kwargs.push(`${param}: Optional[${fieldType(f, writeType, false)}] = None`);
      mapping.push(`${pyString(f.name)}: ${param}`);
    }
    const dict = (values: readonly EnumValueView[]): string => `{${values.map((e) => `${pyString(e.name)}: ${e.value}`).join(', ')}}`;
    const enumArg =
      f.writeEnum.length > 0 || f.readEnum.length > 0
        ? `, ${f.writeEnum.length > 0 ? dict(f.writeEnum) : 'None'}${f.readEnum.length > 0 && dict(f.readEnum) !== dict(f.writeEnum) ? `, ${dict(f.readEnum)}` : ''}`
        : '';
    fieldSpecs.push(
      `${pyString(f.name)}: FieldSpec(${f.lsb}, ${f.width}, ${f.readable ? 'True' : 'False'}, ${f.writable ? 'True' : 'False'}, ${pyString(f.clear)}${enumArg})`,
    );
  }
  const spec = `RegisterSpec(${hex(reg.absOffset)}, ${reg.byteSize * 8}, ${hex(reg.neutralMask)}, ${hex(reg.neutralValue)}, ${hex(reg.writeBase)}, ${reg.readSideEffect ? 'True' : 'False'}, {${fieldSpecs.join(', ')}})`;
  const fieldNames = reg.fields.map((f) => pyString(f.name)).join(', ');
  // clear() takes only fields whose access says how they clear; a plain field is set with modify.
  const clearNames = reg.fields.filter((f) => f.clear !== 'plain' && (f.writable || f.clear === 'read')).map((f) => pyString(f.name));
  return {
    className: sym,
    comment: pyComment(`${reg.nameParts.join('.')} at +${hex(reg.absOffset)}: ${reg.description ?? ''}`),
    enums,
    readType: `${sym}_Read`,
    readTypeString: pyString(`${sym}_Read`),
    readDict: `{${readEntries.join(', ')}}`,
    spec,
    readable: reg.readable,
    writable: reg.writable && kwargs.length > 0,
    modifiable: reg.readable && reg.writable && !reg.readSideEffect && kwargs.length > 0,
    clearable: clearNames.length > 0,
    clearNames: clearNames.join(', '),
    kwargs: kwargs.length > 0 ? `*, ${kwargs.join(', ')}` : '',
    mapping: `{${mapping.join(', ')}}`,
    fieldNames: `Literal[${fieldNames || '""'}]`,
  };
}

function pyValue(v: GenValue, boolParams: ReadonlySet<string>): string {
  if ('const' in v) return String(v.const);
  if ('param' in v) return boolParams.has(v.param) ? `int(${memberName(v.param, 'py')})` : memberName(v.param, 'py');
  return memberName(v.local, 'py');
}

/** Statements of one step; nested statements (select cases) carry their own indentation. */
function stepLines(step: ResolvedStep, opName: string, boolParams: ReadonlySet<string>, returns: string | undefined): string[] {
  // An array element is indexed where the path names it: `self.CC[0]` (a tuple of registers).
  const reg = (s: { readonly element: readonly PathSegment[] }): string =>
    `self.${s.element.map((e) => `${memberName(e.name, 'py')}${e.index === undefined ? '' : `[${e.index}]`}`).join('.')}`;
  switch (step.kind) {
    case 'write':
    case 'modify':
      return [`${reg(step)}.${step.kind}(${step.fields.map((f) => `${memberName(f.field.name, 'py')}=${pyValue(f.value, boolParams)}`).join(', ')})`];
    case 'read':
      return [`${memberName(step.into, 'py')} = ${reg(step)}.read_field(${pyString(step.field.name)})`];
    case 'wait': {
      // The message names the field and the value it has after the time-out (read once more).
      const what = `${pyString(`${stepFieldLabel(step)} is `)} + str(${reg(step)}.read_field(${pyString(step.field.name)})) + ${pyString(', waited for ')} + str(${pyValue(step.equals, boolParams)})`;
      return [
        `if not ${reg(step)}.wait_field(${pyString(step.field.name)}, ${pyValue(step.equals, boolParams)}, ${pyValue(step.timeoutMs, boolParams)}):`,
        `    raise OperationError("timeout", ${opName}, ${what})`,
      ];
    }
    case 'divide':
      return [
        `${reg(step)}.modify(${digits(
          step,
          (a, w) => `${a} // ${w}`,
          (a, m) => `${a} % ${m}`,
        )
          .map((d) => `${memberName(d.field, 'py')}=${d.value}`)
          .join(', ')})`,
      ];
    case 'clear':
      // A plain field has no clear semantics: clearing it is writing 0 (as the C target does).
      if (step.field.clear === 'plain')
        return [`${reg(step)}.${step.register.readable && !step.register.readSideEffect ? 'modify' : 'write'}(${memberName(step.field.name, 'py')}=0)`];
      return [`${reg(step)}.clear(${pyString(step.field.name)})`];
    case 'select': {
      const on = pyValue(step.on, boolParams);
      const unsupported = `raise OperationError("unsupported", ${opName}, ${pyString(`no solved ${step.quantity} for `)} + str(${on}))`;
      // With a search, its result (found before the first write) is written; else nothing fits.
      const otherwise = step.search ? step.search.factors.flatMap((f) => stepLines(f.write, opName, boolParams, returns)) : [unsupported];
      if (step.cases.length === 0) return otherwise;
      return [
        ...step.cases.flatMap((c, i) => [
          `${i === 0 ? 'if' : 'elif'} ${on} == ${c.value}:`,
          ...c.steps.flatMap((s) => stepLines(s, opName, boolParams, returns)).map((l) => `    ${l}`),
        ]),
        'else:',
        ...otherwise.map((l) => `    ${l}`),
      ];
    }
    case 'return':
      return [returns === 'bool' ? `return ${pyValue(step.value, boolParams)} != 0` : `return ${pyValue(step.value, boolParams)}`];
  }
}

/** The run-time divider before the first write (see the C target); Python ints do not overflow. */
function divideLines(r: ResolvedOperation, opName: string, boolParams: ReadonlySet<string>): string[] {
  return r.steps.flatMap((step) => {
    if (step.kind !== 'divide') return [];
    const t = pyValue(step.on, boolParams);
    const refuse = `    raise OperationError("unsupported", ${opName}, ${pyString(`no ${step.quantity} setting within tolerance for `)} + str(${t}))`;
    return [
      `# ${pyComment(`${step.quantity} = ${step.clock.name} / (${step.unit} * V + ${step.offset}), ${step.clock.name} = ${step.clock.hz} Hz, within ${step.ppm} ppm`)}`,
      `sd_num = ${step.clock.hz} - ${step.offset} * ${t}`,
      `if ${t} < 1 or sd_num <= 0:`,
      refuse,
      `${step.local} = (2 * sd_num + ${step.unit} * ${t} - 1) // (2 * ${step.unit} * ${t})`,
      `sd_div = ${step.unit} * ${step.local} + ${step.offset}`,
      `if ${step.local} > ${step.maxV} or sd_div < 1 or abs(${step.clock.hz} - ${t} * sd_div) * 1000000 > ${step.ppm} * ${t} * sd_div:`,
      refuse,
    ];
  });
}

/**
 * The run-time search of a product-form divider before the first write, for a value the table
 * lacks (the if/elif table is faster where it has the value). Mirrors searchProductDivider in
 * src/pipeline/product-divider.ts (Python ints are exact).
 */
function searchLines(r: ResolvedOperation, opName: string, boolParams: ReadonlySet<string>): string[] {
  return searchSelects(r).flatMap((step) => {
    const { search } = step;
    const [outer, inner] = search.factors;
    const t = pyValue(step.on, boolParams);
    const tabulated = step.cases.map((c) => c.value);
    const { x, y } = search.locals;
    return [
      `${x} = 0`,
      `${y} = 0`,
      `if ${t} not in (${tabulated.join(', ')}${tabulated.length === 1 ? ',' : ''}):`,
      `    # ${pyComment(`${step.quantity} = ${search.clock.name} / (${search.coef} * (${outer.field} + ${outer.offset}) * (${inner.field} + ${inner.offset})), ${search.clock.name} = ${search.clock.hz} Hz, within ${search.ppm} ppm: least error, searched over ${outer.field}`)}`,
      `    sd_best = -1`,
      `    sd_x = max(${Math.max(1, outer.offset)}, ${search.clock.hz} // ${t} // ${inner.max + inner.offset} // ${search.coef}) if ${t} > 0 else ${outer.max + outer.offset + 1}`,
      `    while sd_x <= ${outer.max + outer.offset}:`,
      `        sd_step = ${search.coef} * sd_x * ${t}`,
      `        if sd_step > 2 * ${search.clock.hz}:`,
      '            break',
      `        sd_nearest = ${search.clock.hz} // sd_step`,
      '        for sd_candidate in (sd_nearest, sd_nearest + 1):',
      `            sd_y = min(${inner.max + inner.offset}, max(${Math.max(1, inner.offset)}, sd_candidate))`,
      '            sd_achieved = sd_step * sd_y',
      `            sd_error = abs(${search.clock.hz} - sd_achieved)`,
      `            if 2 * sd_error <= sd_achieved and sd_error * 1000000 <= ${search.ppm} * sd_achieved and (sd_best < 0 or sd_error < sd_best):`,
      '                sd_best = sd_error',
      `                ${x} = sd_x - ${outer.offset}`,
      `                ${y} = sd_y - ${inner.offset}`,
      `        if sd_best == 0 or sd_step * ${Math.max(1, inner.offset)} >= ${search.clock.hz}:`,
      '            break',
      '        sd_x += 1',
      '    if sd_best < 0:',
      `        raise OperationError("unsupported", ${opName}, ${pyString(`no ${step.quantity} setting within tolerance for `)} + str(${t}))`,
    ];
  });
}

/** Every int parameter checked before the first write: in range, one of its values. */
function checkLines(r: ResolvedOperation, opName: string): string[] {
  const searched = new Set(searchSelects(r).flatMap((s) => ('param' in s.on ? [s.on.param] : [])));
  return r.op.params.flatMap((p) => {
    if (p.type === 'bool') return [];
    const n = memberName(p.name, 'py');
    const range = searched.has(p.name) ? { max: paramMaximum(p.type), message: ` is outside 0..${paramMaximum(p.type)}` } : paramRange(r, p);
    const test = range.allowed ? `int(${n}) not in (${range.allowed.join(', ')}${range.allowed.length === 1 ? ',' : ''})` : `not 0 <= ${n} <= ${range.max}`;
    return [`if ${test}:`, `    raise OperationError("unsupported", ${opName}, ${pyString(`${p.name} `)} + str(int(${n})) + ${pyString(range.message)})`];
  });
}

function paramEnumItems(typeName: string, r: ResolvedOperation): PyContainer['paramEnums'] {
  return r.op.params.flatMap((p) =>
    p.type === 'enum' ? [{ name: paramEnumName(typeName, r.op, p), members: p.values.map((v) => `${memberName(v.name, 'py')} = ${v.value}`) }] : [],
  );
}

function opItem(typeName: string, r: ResolvedOperation): PyContainer['ops'][number] {
  const boolParams = new Set(r.op.params.filter((x) => x.type === 'bool').map((x) => x.name));
  const params = [
    'self',
    ...r.op.params.map((x) => `${memberName(x.name, 'py')}: ${x.type === 'bool' ? 'bool' : x.type === 'enum' ? paramEnumName(typeName, r.op, x) : 'int'}`),
  ].join(', ');
  const returns = r.op.returns === undefined ? 'None' : r.op.returns === 'bool' ? 'bool' : 'int';
  const opName = pyString(r.op.name);
  const lines = [
    ...r.locals.map((l) => `${memberName(l, 'py')} = 0`),
    ...checkLines(r, opName),
    ...divideLines(r, opName, boolParams),
    ...searchLines(r, opName, boolParams),
    ...r.steps.flatMap((s) => stepLines(s, opName, boolParams, r.op.returns)),
  ];
  if (r.op.returns && r.steps[r.steps.length - 1]?.kind !== 'return') lines.push(r.op.returns === 'bool' ? 'return False' : 'return 0');
  if (lines.length === 0) lines.push('pass');
  return { name: memberName(r.op.name, 'py'), params, returns, comment: pyComment(`${r.op.description ?? ''} (${r.op.origin})`), lines };
}

function member(typeName: string, node: NodeView, containers: PyContainer[], symbols: SymbolTable): PyContainer['members'][number] {
  const name = memberName(node.name, 'py');
  const cls = node.kind === 'register' ? regSym(typeName, node) : clusterContainer(typeName, node, containers, symbols).className;
  const at = node.kind === 'register' ? `base + ${hex(node.absOffset)}` : 'base';
  if (!node.dim) return { name, annotation: cls, init: `${cls}(io, ${at})` };
  return { name, annotation: `tuple[${cls}, ...]`, init: `tuple(${cls}(io, ${at} + i * ${hex(node.dim.stride)}) for i in range(${node.dim.count}))` };
}

function clusterContainer(typeName: string, cluster: ClusterView, containers: PyContainer[], symbols: SymbolTable): PyContainer {
  const className = `${typeName}_${cluster.path.split('.').slice(1).join('_')}_Cluster`;
  symbols.claim(className, cluster.path, cluster.span);
  const members = cluster.children.map((c) => member(typeName, c, containers, symbols));
  const item: PyContainer = { className, comment: pyComment(cluster.description), members, ops: [], paramEnums: [] };
  containers.push(item);
  return item;
}

export function pythonView(model: GeneratorModel, analysis: DeviceAnalysis, ops: Map<string, ResolvedOperation[]>, diagnostics: Diagnostic[]): PyView {
  const symbols = new SymbolTable('device.py', diagnostics);
  for (const reserved of [
    'IDENTITY',
    'CONFIG',
    'Device',
    'open_device',
    'Register',
    'RegisterIo',
    'RegisterSpec',
    'FieldSpec',
    'Link',
    'Transport',
    'OperationError',
    'DeviceError',
    'HelloMismatch',
    'LinkError',
    'SerialTransport',
    'SocketTransport',
    'Literal',
    'Optional',
    'TypedDict',
    'Union',
    'cast',
  ])
    symbols.claim(reserved, `(runtime ${reserved})`, undefined);
  const deviceNames = new SymbolTable('Device', diagnostics);
  deviceNames.claim('io', '(Device.io)', undefined);
  const files = moduleFileNames(analysis.types.map((t) => t.typeName));
  const fileOf = (typeName: string): string => files.get(typeName) ?? typeName;
  const instances: PyInstance[] = analysis.peripherals
    .filter((p) => deviceNames.claim(memberName(p.name, 'py'), p.path, p.span) && symbols.claim(memberName(p.name, 'py'), p.path, p.span))
    .map((p) => ({
      className: memberName(p.name, 'py'),
      name: memberName(p.name, 'py'),
      peripheralType: `${p.typeName}_Peripheral`,
      base: hex(p.baseAddress),
      comment: pyComment(p.description),
      file: fileOf(p.typeName),
      alias: `_layout_${fileOf(p.typeName)}`,
    }));
  const layouts: PyLayout[] = [];
  const exports: { name: string; file: string }[] = [];
  for (const p of analysis.types as readonly PeripheralView[]) {
    const registers = p.registers.map((r) => registerItem(p.typeName, r, symbols));
    const containers: PyContainer[] = [];
    const members = p.nodes.map((n) => member(p.typeName, n, containers, symbols));
    const names = new SymbolTable(`${p.typeName}_Peripheral`, diagnostics);
    for (const m of members) names.claim(m.name, `${p.name}.${m.name}`, p.span);
    const resolvedOps = ops.get(p.typeName) ?? [];
    const opItems = resolvedOps.map((r) => opItem(p.typeName, r)).filter((o) => names.claim(o.name, `${p.name} operation ${o.name}`, p.span));
    const paramEnums = resolvedOps.flatMap((r) => paramEnumItems(p.typeName, r));
    symbols.claim(`${p.typeName}_Peripheral`, p.path, p.span);
    containers.push({ className: `${p.typeName}_Peripheral`, comment: pyComment(p.description), members, ops: opItems, paramEnums });
    const file = fileOf(p.typeName);
    const own = instances.filter((i) => i.peripheralType === `${p.typeName}_Peripheral`);
    layouts.push({
      name: p.typeName,
      file,
      alias: `_layout_${file}`,
      comment: pyComment(p.description),
      instances: pyComment(own.map((i) => i.name).join(', ')),
      registers,
      containers,
      peripherals: own,
    });
    for (const name of [...own.map((i) => i.className), `${p.typeName}_Peripheral`, ...paramEnums.map((e) => e.name)]) exports.push({ name, file });
  }
  return {
    board: pyString(model.device.board ?? model.device.name),
    revision: pyString(model.device.revision ?? model.device.version ?? ''),
    specHash: pyString(model.specHash),
    comment: pyComment(model.device.description),
    layouts,
    peripherals: instances,
    exports: exports.map((e) => ({ ...e, quoted: pyString(e.name), quotedFile: pyString(e.file) })),
    example: instances[0]?.className ?? 'Device',
    config: (model.config?.values ?? []).map((v) => ({ key: pyString(v.path), value: String(v.value) })),
  };
}

export interface PyRunnerView {
  readonly packageName: string;
  readonly ops: readonly { readonly fn: string; readonly names: string; readonly maxima: string; readonly lines: readonly string[] }[];
}

/**
 * The op runner (op_runner.py beside the package): one function per operation calling it on the
 * instance its contract bound, registered under its qualified and (when unambiguous) bare name.
 */
export function pyRunnerView(packageName: string, entries: readonly RunnerEntry[]): PyRunnerView {
  return {
    packageName,
    ops: entries.map((e, i) => {
      const op = e.resolved.op;
      // An enum argument is passed as its number (cast): the operation checks it before any write.
      const args = op.params
        .map((x, k) =>
          x.type === 'bool' ? `a[${k}] != 0` : x.type === 'enum' ? `cast(_sdk.${paramEnumName(e.peripheral.typeName, op, x)}, a[${k}])` : `a[${k}]`,
        )
        .join(', ');
      const invoke = `d.${memberName(e.peripheral.name, 'py')}.${memberName(op.name, 'py')}(${args})`;
      const lines = op.returns === undefined ? [invoke, 'return None'] : [`return int(${invoke})`];
      const tuple = (items: readonly string[]): string => `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
      return {
        fn: `_op_${i}`,
        names: tuple([e.qualified, ...(e.short !== undefined ? [e.short] : [])].map((n) => pyString(n))),
        maxima: tuple(op.params.map((x) => String(paramMaximum(x.type)))),
        lines,
      };
    }),
  };
}
