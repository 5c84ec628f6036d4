import type { Diagnostic } from '../../diagnostics/types.ts';
import type { LocatedYaml } from '../../yaml/index.ts';
import { onesBig, resetFromFields } from '../../ir/bits.ts';
import type {
  Behaviour,
  Cluster,
  Cpu,
  Device,
  Dim,
  EnumSet,
  Field,
  FieldAccess,
  Interrupt,
  Peripheral,
  Quantity,
  Register,
  RegisterNode,
  SourceSpan,
  SwAccess,
  WriteConstraint,
} from '../../ir/types.ts';
import { integerBig, integerValue, type ClusterInput, type FieldInput, type HardwareSpecInput, type PeripheralInput, type RegisterInput } from './schema.ts';

/** Converts a schema-checked native spec into the IR, with the YAML span of every node. */
export function nativeToIr(spec: HardwareSpecInput, located: LocatedYaml, diagnostics: Diagnostic[]): Device {
  const width = spec.width ?? 32;
  const clocks = Object.entries(spec.clocks ?? {}).map(([name, hz]) => ({ name, hz: integerValue(hz), span: located.span(['clocks', name], 'key') }));
  const peripherals = Object.entries(spec.peripherals).map(([name, p]) => convertPeripheral(name, p, ['peripherals', name], width, located, diagnostics));
  return {
    kind: 'device',
    name: spec.name ?? spec.board,
    span: located.span(['board']),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(spec.vendor !== undefined ? { vendor: spec.vendor } : {}),
    ...(spec.version !== undefined || spec.revision !== undefined ? { version: spec.version ?? spec.revision } : {}),
    board: spec.board,
    ...(spec.revision !== undefined ? { revision: spec.revision } : {}),
    ...(spec.supersedes !== undefined ? { supersedes: spec.supersedes } : {}),
    width,
    addressUnitBits: spec.addressUnitBits ?? 8,
    ...(spec.usb ? { usb: { vendorId: integerValue(spec.usb.vendor), productId: integerValue(spec.usb.product) } } : {}),
    ...(spec.cpu ? { cpu: convertCpu(spec.cpu, located.span(['cpu'], 'key')) } : {}),
    ...definedOnly({
      series: spec.series,
      vendorID: spec.vendorID,
      licenseText: spec.licenseText,
      headerSystemFilename: spec.headerSystemFilename,
      headerDefinitionsPrefix: spec.headerDefinitionsPrefix,
    }),
    clocks,
    peripherals,
    sourceFormat: 'specdrive-yaml',
  };
}

function convertPeripheral(
  name: string,
  p: PeripheralInput,
  yamlPath: readonly string[],
  width: number,
  located: LocatedYaml,
  diagnostics: Diagnostic[],
): Peripheral {
  const interrupts: Interrupt[] =
    p.irq === undefined
      ? []
      : typeof p.irq === 'object'
        ? Object.entries(p.irq).map(([irqName, value]) => ({
            name: irqName,
            value: integerValue(typeof value === 'object' ? value.value : value),
            span: located.span([...yamlPath, 'irq', irqName], 'key'),
            ...(typeof value === 'object' && value.description !== undefined ? { description: value.description } : {}),
          }))
        : [{ name: `${name}_IRQ`, value: integerValue(p.irq), span: located.span([...yamlPath, 'irq']) }];
  const quantities: Quantity[] = Object.entries(p.quantities ?? {}).map(([qName, q]) => ({
    name: qName,
    span: located.span([...yamlPath, 'quantities', qName]),
    expression: typeof q === 'string' ? q : q.expr,
    ...(typeof q === 'object' && q.unit !== undefined ? { unit: q.unit } : {}),
  }));
  const behaviours: Behaviour[] = (p.behaviours ?? []).map((b, i) => ({ trigger: b.on, actions: b.do, span: located.span([...yamlPath, 'behaviours', i]) }));
  return {
    kind: 'peripheral',
    name,
    path: name,
    span: located.span(yamlPath, 'key'),
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.kind !== undefined ? { driverKind: p.kind } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
    ...(p.groupName !== undefined ? { groupName: p.groupName } : {}),
    ...definedOnly({
      alternateOf: p.alternateOf,
      addressSpace: p.addressSpace,
      prependToName: p.prependToName,
      appendToName: p.appendToName,
      headerStructName: p.headerStructName,
      disableCondition: p.disableCondition,
    }),
    baseAddress: integerValue(p.base),
    ...(p.dim ? { dim: convertDim(p.dim) } : {}),
    addressBlocks: p.addressBlocks
      ? p.addressBlocks.map((b) => ({
          offset: integerValue(b.offset),
          size: integerValue(b.size),
          usage: b.usage,
          ...definedOnly({ protection: b.protection }),
        }))
      : p.size !== undefined
        ? [{ offset: 0, size: integerValue(p.size), usage: 'registers' }]
        : [],
    interrupts,
    registers: convertNodes(p.registers, [...yamlPath, 'registers'], name, width, located, diagnostics),
    quantities,
    behaviours,
  };
}

function convertNodes(
  nodes: Record<string, RegisterInput | ClusterInput>,
  yamlPath: readonly string[],
  parentPath: string,
  width: number,
  located: LocatedYaml,
  diagnostics: Diagnostic[],
): RegisterNode[] {
  return Object.entries(nodes).map(([name, node]): RegisterNode => {
    const here = [...yamlPath, name];
    const path = `${parentPath}.${name}`;
    const dim = node.dim ? convertDim(node.dim) : undefined;
    if ('registers' in node) {
      const cluster: Cluster = {
        kind: 'cluster',
        name,
        path,
        span: located.span(here, 'key'),
        ...definedOnly({ description: node.description, alternateOf: node.alternateOf, headerStructName: node.headerStructName }),
        offset: integerValue(node.offset),
        ...(node.size !== undefined ? { byteSize: integerValue(node.size) } : {}),
        ...(dim ? { dim } : {}),
        children: convertNodes(node.registers, [...here, 'registers'], path, width, located, diagnostics),
      };
      return cluster;
    }
    return convertRegister(name, node, here, path, width, located, diagnostics, dim);
  });
}

function convertRegister(
  name: string,
  r: RegisterInput,
  here: readonly string[],
  path: string,
  width: number,
  located: LocatedYaml,
  diagnostics: Diagnostic[],
  dim: Register['dim'],
): Register {
  const size = r.size ?? width;
  // A field without its own access, side effects or write constraint takes the register's, as in SVD.
  const defaultAccess = r.access !== undefined ? swAccessOf(r.access) : 'rw';
  const inherited: Inherited = {
    sw: defaultAccess,
    ...(r.onwrite !== undefined ? { onWrite: r.onwrite } : {}),
    ...(r.onread !== undefined ? { onRead: r.onread === 'fifo' ? 'external' : r.onread } : {}),
    ...(r.writeConstraint !== undefined ? { writeConstraint: convertWriteConstraint(r.writeConstraint) } : {}),
  };
  const fields = Object.entries(r.fields).map(([fieldName, f]) =>
    convertField(fieldName, f, [...here, 'fields', fieldName], `${path}.${fieldName}`, located, diagnostics, inherited),
  );
  // The register reset is the fields' resets unless the register states one; unreset bits are masked out.
  const { resetValue, resetMask } =
    r.reset !== undefined || r.resetMask !== undefined
      ? { resetValue: integerBig(r.reset ?? 0), resetMask: r.resetMask !== undefined ? integerBig(r.resetMask) : onesBig(size) }
      : resetFromFields(fields);
  return {
    kind: 'register',
    name,
    path,
    span: located.span(here, 'key'),
    ...(r.description !== undefined ? { description: r.description } : {}),
    offset: integerValue(r.offset),
    size,
    resetValue,
    resetMask,
    ...(r.accessWidth !== undefined ? { accessWidth: r.accessWidth } : {}),
    ...(dim ? { dim } : {}),
    ...(r.alternateOf !== undefined ? { alternateOf: r.alternateOf } : {}),
    ...(r.alternateGroup !== undefined ? { alternateGroup: r.alternateGroup } : {}),
    ...(r.access !== undefined ? { access: defaultAccess } : {}),
    ...(inherited.writeConstraint !== undefined ? { writeConstraint: inherited.writeConstraint } : {}),
    ...(inherited.onWrite !== undefined ? { onWrite: inherited.onWrite } : {}),
    ...(inherited.onRead !== undefined ? { onRead: inherited.onRead } : {}),
    ...definedOnly({ protection: r.protection, displayName: r.displayName, dataType: r.dataType }),
    fields,
  };
}

const swAliases: Record<string, SwAccess> = { ro: 'r', wo: 'w' };

function swAccessOf(access: NonNullable<FieldInput['access']>): SwAccess {
  return swAliases[access] ?? (access as SwAccess);
}

/** The object without its undefined members, ready to spread into an IR node. */
function definedOnly<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function convertWriteConstraint(wc: NonNullable<FieldInput['writeConstraint']>): WriteConstraint {
  return typeof wc === 'string' ? { kind: wc } : { kind: 'range', min: integerValue(wc.min), max: integerValue(wc.max) };
}

function convertCpu(cpu: NonNullable<HardwareSpecInput['cpu']>, span: SourceSpan): Cpu {
  const { sauRegionsConfig, ...rest } = cpu;
  return {
    span,
    ...(definedOnly(rest) as Omit<Cpu, 'span' | 'sauRegionsConfig'>),
    ...(sauRegionsConfig
      ? {
          sauRegionsConfig: {
            ...definedOnly({ enabled: sauRegionsConfig.enabled, protectionWhenDisabled: sauRegionsConfig.protectionWhenDisabled }),
            regions: sauRegionsConfig.regions.map((r) => ({
              ...definedOnly({ name: r.name, enabled: r.enabled }),
              base: integerValue(r.base),
              limit: integerValue(r.limit),
              access: r.access,
            })),
          },
        }
      : {}),
  };
}

export function parseBits(bits: number | string): { lsb: number; width: number; reversed: boolean } {
  if (typeof bits === 'number') return { lsb: bits, width: 1, reversed: false };
  const [a, b] = bits.split(/\.\.|:/).map((s) => parseInt(s.trim(), 10)) as [number, number];
  return { lsb: Math.min(a, b), width: Math.abs(a - b) + 1, reversed: a < b };
}

/** What a register passes down to fields that do not say otherwise. */
interface Inherited {
  readonly sw: SwAccess;
  readonly onWrite?: FieldAccess['onWrite'];
  readonly onRead?: FieldAccess['onRead'];
  readonly writeConstraint?: WriteConstraint;
}

function convertField(
  name: string,
  f: FieldInput,
  here: readonly string[],
  path: string,
  located: LocatedYaml,
  diagnostics: Diagnostic[],
  inherited: Inherited,
): Field {
  const { lsb, width, reversed } = parseBits(f.bits);
  if (reversed) {
    diagnostics.push({
      code: 'hardware/bits-order',
      severity: 'warning',
      message: `bit range ${JSON.stringify(f.bits)} is written lsb first; write msb..lsb as datasheets do`,
      span: located.span([...here, 'bits']),
      path,
    });
  }
  const interrupt =
    f.interrupt === undefined
      ? undefined
      : f.interrupt === true
        ? { kind: 'level' as const, sticky: 'stickybit' as const }
        : {
            kind: f.interrupt.kind ?? 'level',
            sticky: f.interrupt.sticky ?? 'stickybit',
            ...(f.interrupt.enable !== undefined ? { enable: f.interrupt.enable } : {}),
            ...(f.interrupt.mask !== undefined ? { mask: f.interrupt.mask } : {}),
          };
  const counter = f.counter
    ? {
        ...(f.counter.incr !== undefined ? { incrValue: integerValue(f.counter.incr) } : {}),
        ...(f.counter.decr !== undefined ? { decrValue: integerValue(f.counter.decr) } : {}),
        ...(f.counter.saturate !== undefined ? { incrSaturate: f.counter.saturate === true ? (true as const) : integerValue(f.counter.saturate) } : {}),
        ...(f.counter.threshold !== undefined ? { incrThreshold: f.counter.threshold === true ? (true as const) : integerValue(f.counter.threshold) } : {}),
        ...(f.counter.overflow !== undefined ? { overflow: f.counter.overflow } : {}),
        ...(f.counter.underflow !== undefined ? { underflow: f.counter.underflow } : {}),
      }
    : undefined;
  const writeConstraint = f.writeConstraint === undefined ? inherited.writeConstraint : convertWriteConstraint(f.writeConstraint);
  const sw = f.access !== undefined ? swAccessOf(f.access) : inherited.sw;
  const onRead = f.onread !== undefined ? (f.onread === 'fifo' ? 'external' : f.onread) : inherited.onRead;
  const onWrite = f.onwrite ?? inherited.onWrite;
  const access: FieldAccess = {
    sw,
    // Hardware drives status fields (read-only to software) by default, as in SystemRDL.
    hw: f.hw ?? (sw === 'r' ? 'w' : 'r'),
    ...(onRead !== undefined ? { onRead } : {}),
    ...(onWrite !== undefined ? { onWrite } : {}),
    ...(f.singlepulse ? { singlePulse: true } : {}),
    ...(f.hwset ? { hwSet: true } : {}),
    ...(f.hwclr ? { hwClr: true } : {}),
    ...(f.precedence !== undefined ? { precedence: f.precedence } : {}),
    ...(counter ? { counter } : {}),
    ...(interrupt ? { interrupt } : {}),
    ...(writeConstraint ? { writeConstraint } : {}),
  };
  const enums: EnumSet[] | undefined = f.enums
    ? f.enums.map((set, i) => convertEnumSet(set, [...here, 'enums', i], path, located))
    : f.enum
      ? [
          {
            span: located.span([...here, 'enum'], 'key'),
            usage: 'read-write',
            values: Object.entries(f.enum).map(([valueName, value]) => ({
              name: valueName,
              path: `${path}.${valueName}`,
              span: located.span([...here, 'enum', valueName], 'key'),
              value: integerValue(value),
            })),
          },
        ]
      : undefined;
  return {
    kind: 'field',
    name,
    path,
    span: located.span(here, 'key'),
    ...(f.description !== undefined ? { description: f.description } : {}),
    lsb,
    width,
    access,
    ...(f.reset !== undefined ? { reset: integerBig(f.reset) } : {}),
    ...(enums ? { enums } : {}),
    ...(f.dim ? { dim: convertDim(f.dim) } : {}),
  };
}

function convertDim(d: NonNullable<RegisterInput['dim']>): Dim {
  return {
    count: integerValue(d.count),
    stride: integerValue(d.stride),
    ...(d.indices ? { indices: d.indices } : {}),
    ...(d.namePattern !== undefined ? { namePattern: d.namePattern } : {}),
    ...(d.offsets ? { offsets: d.offsets.map(integerValue) } : {}),
    ...(d.dimName !== undefined ? { dimName: d.dimName } : {}),
    ...(d.dimArrayIndex
      ? {
          dimArrayIndex: {
            ...definedOnly({ headerEnumName: d.dimArrayIndex.headerEnumName }),
            values: Object.entries(d.dimArrayIndex.values).map(([name, v]) =>
              typeof v === 'object' ? { name, value: integerValue(v.value), ...definedOnly({ description: v.description }) } : { name, value: integerValue(v) },
            ),
          },
        }
      : {}),
  };
}

/** The full enum form (imported maps): usage, set name, value descriptions, isDefault and don't-care bits. */
function convertEnumSet(set: NonNullable<FieldInput['enums']>[number], here: readonly (string | number)[], fieldPath: string, located: LocatedYaml): EnumSet {
  return {
    ...definedOnly({ name: set.name, headerEnumName: set.headerEnumName }),
    span: located.span(here),
    usage: set.usage ?? 'read-write',
    values: Object.entries(set.values).map(([valueName, v]) => {
      const detail = typeof v === 'object' ? v : { value: v };
      return {
        name: valueName,
        path: `${fieldPath}.${valueName}`,
        span: located.span([...here, 'values', valueName], 'key'),
        value: detail.value !== undefined ? integerValue(detail.value) : 0,
        ...(detail.description !== undefined ? { description: detail.description } : {}),
        ...(detail.default ? { isDefault: true } : {}),
        ...(detail.dontCare !== undefined ? { dontCareMask: integerValue(detail.dontCare) } : {}),
      };
    }),
  };
}
