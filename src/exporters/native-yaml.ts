import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import { hex } from '../ir/bits.ts';
import { sortDevice } from '../ir/canonical.ts';
import type { Cluster, Cpu, Device, Dim, EnumSet, Field, Peripheral, Register, RegisterNode, SwAccess, WriteConstraint } from '../ir/types.ts';
import { HARDWARE_SPEC_ID } from '../importers/native-yaml/schema.ts';
import { defaultHwAccess } from '../ir/access.ts';

/**
 * Canonical native YAML (`specdrive/hardware@1`), loadable by src/importers/native-yaml.
 *
 * Written by hand rather than through a YAML library: the output shape is fixed (block mappings down
 * to registers, one flow mapping per field), a 24 MB SVD becomes ≈80 k lines, and a direct emitter is
 * both fast and byte-for-byte deterministic. Children are written in canonical order (`sortDevice`),
 * numbers that are addresses in hex. What the native format cannot say is an
 * `export/yaml-lossy` info diagnostic.
 */

const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A YAML scalar: plain when it is a simple identifier, else JSON (valid YAML double-quoted). */
function str(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

function flow(entries: readonly (readonly [string, string | undefined])[]): string {
  const parts = entries.filter((e): e is readonly [string, string] => e[1] !== undefined).map(([k, v]) => `${k}: ${v}`);
  return `{ ${parts.join(', ')} }`;
}

const opt = (s: string | undefined): string | undefined => (s !== undefined ? str(s) : undefined);

function dimFlow(d: Dim): string {
  const index = d.dimArrayIndex;
  return flow([
    ['count', String(d.count)],
    ['stride', hex(d.stride)],
    ['indices', d.indices ? `[${d.indices.map(str).join(', ')}]` : undefined],
    ['namePattern', opt(d.namePattern)],
    ['offsets', d.offsets ? `[${d.offsets.map((o) => hex(o)).join(', ')}]` : undefined],
    ['dimName', opt(d.dimName)],
    [
      'dimArrayIndex',
      index
        ? flow([
            ['headerEnumName', opt(index.headerEnumName)],
            [
              'values',
              flow(
                index.values.map(
                  (v) =>
                    [
                      str(v.name),
                      v.description === undefined
                        ? String(v.value)
                        : flow([
                            ['value', String(v.value)],
                            ['description', str(v.description)],
                          ]),
                    ] as const,
                ),
              ),
            ],
          ])
        : undefined,
    ],
  ]);
}

function writeConstraintText(wc: WriteConstraint | undefined): string | undefined {
  return wc === undefined
    ? undefined
    : wc.kind === 'range'
      ? flow([
          ['min', String(wc.min)],
          ['max', String(wc.max)],
        ])
      : wc.kind;
}

/** The `cpu` block: one key per line, in the order of the SVD schema. */
function cpuLines(cpu: Cpu): string[] {
  const lines = [`name: ${str(cpu.name)}`];
  const { span: _span, name: _name, sauRegionsConfig, ...rest } = cpu;
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) lines.push(`${key}: ${typeof value === 'string' ? str(value) : String(value)}`);
  if (sauRegionsConfig) {
    const regions = sauRegionsConfig.regions.map((r) =>
      flow([
        ['name', opt(r.name)],
        ['enabled', r.enabled !== undefined ? String(r.enabled) : undefined],
        ['base', hex(r.base, 8)],
        ['limit', hex(r.limit, 8)],
        ['access', r.access],
      ]),
    );
    lines.push(
      `sauRegionsConfig: ${flow([
        ['enabled', sauRegionsConfig.enabled !== undefined ? String(sauRegionsConfig.enabled) : undefined],
        ['protectionWhenDisabled', sauRegionsConfig.protectionWhenDisabled],
        ['regions', `[${regions.join(', ')}]`],
      ])}`,
    );
  }
  return lines;
}

class YamlExporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lines: string[] = [];

  private line(depth: number, text: string): void {
    this.lines.push('  '.repeat(depth) + text);
  }

  private lossy(what: string, node: { span?: Diagnostic['span']; path?: string }): void {
    this.diagnostics.push({
      code: 'export/yaml-lossy',
      severity: 'info',
      message: `the native format cannot say ${what}; it is left out`,
      ...(node.span ? { span: node.span } : {}),
      ...(node.path ? { path: node.path } : {}),
    });
  }

  run(device: Device): string {
    this.line(0, `# ${device.name}: exported by specdrive from ${device.sourceFormat}`);
    this.line(0, `spec: ${HARDWARE_SPEC_ID}`);
    const board = device.board ?? device.name;
    this.line(0, `board: ${str(board)}`);
    if (device.name !== board) this.line(0, `name: ${str(device.name)}`);
    if (device.revision !== undefined) this.line(0, `revision: ${str(device.revision)}`);
    if (device.version !== undefined && device.version !== device.revision) this.line(0, `version: ${str(device.version)}`);
    if (device.supersedes !== undefined) this.line(0, `supersedes: ${str(device.supersedes)}`);
    if (device.description !== undefined) this.line(0, `description: ${str(device.description)}`);
    if (device.vendor !== undefined) this.line(0, `vendor: ${str(device.vendor)}`);
    this.line(0, `width: ${device.width}`);
    if (device.addressUnitBits !== 8) this.line(0, `addressUnitBits: ${device.addressUnitBits}`);
    if (device.usb) this.line(0, `usb: { vendor: ${hex(device.usb.vendorId, 4)}, product: ${hex(device.usb.productId, 4)} }`);
    for (const key of ['series', 'vendorID', 'licenseText', 'headerSystemFilename', 'headerDefinitionsPrefix'] as const) {
      const value = device[key];
      if (value !== undefined) this.line(0, `${key}: ${str(value)}`);
    }
    if (device.cpu) {
      this.line(0, 'cpu:');
      for (const l of cpuLines(device.cpu)) this.line(1, l);
    }
    if (device.clocks.length > 0) {
      this.line(0, 'clocks:');
      for (const c of device.clocks) this.line(1, `${str(c.name)}: ${c.hz}`);
    }
    this.line(0, device.peripherals.length > 0 ? 'peripherals:' : 'peripherals: {}');
    for (const p of device.peripherals) this.peripheral(p);
    return this.lines.join('\n') + '\n';
  }

  private peripheral(p: Peripheral): void {
    this.line(1, `${str(p.name)}:`);
    if (p.driverKind !== undefined) this.line(2, `kind: ${str(p.driverKind)}`);
    this.line(2, `base: ${hex(p.baseAddress, 8)}`);
    if (p.description !== undefined) this.line(2, `description: ${str(p.description)}`);
    if (p.version !== undefined) this.line(2, `version: ${str(p.version)}`);
    if (p.groupName !== undefined) this.line(2, `groupName: ${str(p.groupName)}`);
    for (const key of ['alternateOf', 'addressSpace', 'prependToName', 'appendToName', 'headerStructName', 'disableCondition'] as const) {
      const value = p[key];
      if (value !== undefined) this.line(2, `${key}: ${str(value)}`);
    }
    if (p.dim) this.line(2, `dim: ${dimFlow(p.dim)}`);
    if (p.addressBlocks.length > 0) {
      this.line(2, 'addressBlocks:');
      for (const b of p.addressBlocks)
        this.line(
          3,
          `- ${flow([
            ['offset', hex(b.offset)],
            ['size', hex(b.size)],
            ['usage', b.usage],
            ['protection', b.protection],
          ])}`,
        );
    }
    if (p.interrupts.length > 0) {
      this.line(2, 'irq:');
      for (const i of p.interrupts) {
        this.line(
          3,
          `${str(i.name)}: ${
            i.description !== undefined
              ? flow([
                  ['value', String(i.value)],
                  ['description', str(i.description)],
                ])
              : i.value
          }`,
        );
      }
    }
    this.nodes(p.registers, 2);
    if (p.quantities.length > 0) {
      this.line(2, 'quantities:');
      for (const q of p.quantities)
        this.line(
          3,
          `${str(q.name)}: ${
            q.unit !== undefined
              ? flow([
                  ['expr', str(q.expression)],
                  ['unit', str(q.unit)],
                ])
              : str(q.expression)
          }`,
        );
    }
    if (p.behaviours.length > 0) {
      this.line(2, 'behaviours:');
      for (const b of p.behaviours)
        this.line(
          3,
          `- ${flow([
            ['on', str(b.trigger)],
            ['do', `[${b.actions.map(str).join(', ')}]`],
          ])}`,
        );
    }
  }

  private nodes(nodes: readonly RegisterNode[], depth: number): void {
    if (nodes.length === 0) {
      this.line(depth, 'registers: {}');
      return;
    }
    this.line(depth, 'registers:');
    for (const n of nodes) {
      if (n.kind === 'cluster') this.cluster(n, depth + 1);
      else this.register(n, depth + 1);
    }
  }

  private cluster(c: Cluster, depth: number): void {
    this.line(depth, `${str(c.name)}:`);
    this.line(depth + 1, `offset: ${hex(c.offset)}`);
    if (c.description !== undefined) this.line(depth + 1, `description: ${str(c.description)}`);
    if (c.alternateOf !== undefined) this.line(depth + 1, `alternateOf: ${str(c.alternateOf)}`);
    if (c.headerStructName !== undefined) this.line(depth + 1, `headerStructName: ${str(c.headerStructName)}`);
    if (c.dim) this.line(depth + 1, `dim: ${dimFlow(c.dim)}`);
    if (c.byteSize !== undefined) this.line(depth + 1, `size: ${hex(c.byteSize)}`);
    this.nodes(c.children, depth + 1);
  }

  private register(r: Register, depth: number): void {
    this.line(depth, `${str(r.name)}:`);
    const d = depth + 1;
    this.line(d, `offset: ${hex(r.offset)}`);
    this.line(d, `size: ${r.size}`);
    // Both are written so the reset survives exactly, including bits no field covers.
    this.line(d, `reset: ${hex(r.resetValue, Math.ceil(r.size / 4))}`);
    this.line(d, `resetMask: ${hex(r.resetMask, Math.ceil(r.size / 4))}`);
    if (r.accessWidth !== undefined) this.line(d, `accessWidth: ${r.accessWidth}`);
    if (r.description !== undefined) this.line(d, `description: ${str(r.description)}`);
    if (r.dim) this.line(d, `dim: ${dimFlow(r.dim)}`);
    if (r.alternateOf !== undefined) this.line(d, `alternateOf: ${str(r.alternateOf)}`);
    if (r.alternateGroup !== undefined) this.line(d, `alternateGroup: ${str(r.alternateGroup)}`);
    if (r.access !== undefined) this.line(d, `access: ${r.access}`);
    const wc = writeConstraintText(r.writeConstraint);
    if (wc !== undefined) this.line(d, `writeConstraint: ${wc}`);
    if (r.onWrite !== undefined) this.line(d, `onwrite: ${r.onWrite}`);
    if (r.onRead !== undefined) this.line(d, `onread: ${r.onRead}`);
    if (r.protection !== undefined) this.line(d, `protection: ${r.protection}`);
    if (r.displayName !== undefined) this.line(d, `displayName: ${str(r.displayName)}`);
    if (r.dataType !== undefined) this.line(d, `dataType: ${str(r.dataType)}`);
    if (r.fields.length === 0) {
      this.line(d, 'fields: {}');
      return;
    }
    this.line(d, 'fields:');
    // A field without `access` takes the register's (as in SVD), so a field's own access is written whenever it differs.
    for (const f of r.fields) this.line(d + 1, `${str(f.name)}: ${this.field(f, r)}`);
  }

  /** A field's access, side effects and write constraint default to its register's: written only where they differ. */
  private field(f: Field, r: Register): string {
    const a = f.access;
    const defaultAccess: SwAccess = r.access ?? 'rw';
    if (
      (a.onWrite === undefined && r.onWrite !== undefined) ||
      (a.onRead === undefined && r.onRead !== undefined) ||
      (a.writeConstraint === undefined && r.writeConstraint !== undefined)
    ) {
      this.lossy('a field without the side effect or write constraint its register gives all fields', f);
    }
    const own = <T>(value: T | undefined, registerValue: T | undefined): T | undefined =>
      JSON.stringify(value) === JSON.stringify(registerValue) ? undefined : value;
    if (f.segments && f.segments.length > 1) this.lossy('a field split over several bit ranges (written as its whole span)', f);
    if (a.swMod || a.swAcc || a.counter?.decrSaturate !== undefined || a.counter?.decrThreshold !== undefined || a.interrupt?.nonMaskable) {
      this.lossy('swmod/swacc strobes, decrement limits or non-maskable interrupts', f);
    }
    const counter = a.counter
      ? flow([
          ['incr', a.counter.incrValue !== undefined ? String(a.counter.incrValue) : undefined],
          ['decr', a.counter.decrValue !== undefined ? String(a.counter.decrValue) : undefined],
          ['saturate', a.counter.incrSaturate !== undefined ? String(a.counter.incrSaturate) : undefined],
          ['threshold', a.counter.incrThreshold !== undefined ? String(a.counter.incrThreshold) : undefined],
          ['overflow', a.counter.overflow !== undefined ? String(a.counter.overflow) : undefined],
          ['underflow', a.counter.underflow !== undefined ? String(a.counter.underflow) : undefined],
        ])
      : undefined;
    const interrupt = a.interrupt
      ? a.interrupt.kind === 'level' && a.interrupt.sticky === 'stickybit' && a.interrupt.enable === undefined && a.interrupt.mask === undefined
        ? 'true'
        : flow([
            ['kind', a.interrupt.kind],
            ['sticky', a.interrupt.sticky],
            ['enable', a.interrupt.enable !== undefined ? str(a.interrupt.enable) : undefined],
            ['mask', a.interrupt.mask !== undefined ? str(a.interrupt.mask) : undefined],
          ])
      : undefined;
    return flow([
      ['bits', f.width === 1 ? String(f.lsb) : `"${f.lsb + f.width - 1}..${f.lsb}"`],
      ['access', a.sw === defaultAccess ? undefined : a.sw],
      ['hw', a.hw === defaultHwAccess(a.sw) ? undefined : a.hw],
      ['reset', f.reset !== undefined ? hex(f.reset) : undefined],
      ['onwrite', own(a.onWrite, r.onWrite)],
      ['onread', own(a.onRead, r.onRead)],
      ['singlepulse', a.singlePulse ? 'true' : undefined],
      ['hwset', a.hwSet ? 'true' : undefined],
      ['hwclr', a.hwClr ? 'true' : undefined],
      ['precedence', a.precedence],
      ['counter', counter],
      ['interrupt', interrupt],
      ['writeConstraint', writeConstraintText(own(a.writeConstraint, r.writeConstraint))],
      ...this.enums(f.enums),
      ['dim', f.dim ? dimFlow(f.dim) : undefined],
      ['description', f.description !== undefined ? str(f.description) : undefined],
    ]);
  }

  /** The `enum` shorthand when it says everything, else the full `enums` list. */
  private enums(sets: readonly EnumSet[] | undefined): [string, string | undefined][] {
    if (!sets || sets.length === 0) return [];
    const plain = (s: EnumSet): boolean =>
      s.name === undefined &&
      s.headerEnumName === undefined &&
      s.usage === 'read-write' &&
      s.values.every((v) => v.description === undefined && !v.isDefault && !v.dontCareMask);
    const only = sets[0];
    if (sets.length === 1 && only && plain(only)) {
      return [['enum', flow(only.values.map((v) => [str(v.name), String(v.value)] as const))]];
    }
    const full = sets.map((s) =>
      flow([
        ['name', opt(s.name)],
        ['headerEnumName', opt(s.headerEnumName)],
        ['usage', s.usage],
        [
          'values',
          flow(
            s.values.map(
              (v) =>
                [
                  str(v.name),
                  v.description === undefined && !v.isDefault && !v.dontCareMask
                    ? String(v.value)
                    : flow([
                        ['value', v.isDefault ? undefined : String(v.value)],
                        ['description', v.description !== undefined ? str(v.description) : undefined],
                        ['default', v.isDefault ? 'true' : undefined],
                        ['dontCare', v.dontCareMask ? hex(v.dontCareMask) : undefined],
                      ]),
                ] as const,
            ),
          ),
        ],
      ]),
    );
    return [['enums', `[${full.join(', ')}]`]];
  }
}

/** Writes a device as native YAML. Diagnostics (info) list what the native format cannot hold. */
export function exportNativeYaml(device: Device): StageResult<string> {
  const exporter = new YamlExporter();
  // Canonical order everywhere (peripherals, registers, fields, enum sets and values), as canonicalJson has it.
  const text = exporter.run(sortDevice(device));
  return { value: text, diagnostics: exporter.diagnostics };
}
