import type { SourceText } from '../../diagnostics/source-text.ts';
import type { Diagnostic, StageResult } from '../../diagnostics/types.ts';
import { extractBig, ones, onesBig } from '../../ir/bits.ts';
import type {
  AddressBlock,
  Cluster,
  Cpu,
  Device,
  Dim,
  DimArrayIndex,
  EnumSet,
  EnumValue,
  Field,
  Interrupt,
  OnRead,
  OnWrite,
  Peripheral,
  Protection,
  SourceSpan,
  Register,
  RegisterNode,
  SwAccess,
  WriteConstraint,
} from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import {
  attribute,
  child,
  childText,
  childrenNamed,
  elementRange,
  normaliseText,
  optionalTexts,
  textRange,
  XmlConverter,
  type XmlElement,
} from '../xml/index.ts';
import { fieldAccess, NONSTANDARD_SVD_ACCESS, SVD_MODIFIED_WRITE, SVD_READ_ACTION, SW_TO_SVD, swAccessFromSvd } from './access.ts';
import { readCpu, readDeviceHeader, svdProtection, type SvdReader } from './cpu.ts';
import { Deriver } from './derive.ts';
import { expandCollidingArrays } from './expand.ts';
import { parseBitRange, parseDimIndex, parseEnumValue, parseSvdBigInt, parseSvdInteger, stripDimPlaceholder } from './numbers.ts';

/** The namespace of specdrive's own `<vendorExtensions>` content (written by src/exporters/svd.ts). */
export const SPECDRIVE_SVD_NAMESPACE = 'https://specdrive.dev/svd-extensions/1';

const PROPERTY_TAGS = new Set(['size', 'access', 'protection', 'resetValue', 'resetMask', 'modifiedWriteValues', 'readAction', 'writeConstraint']);

/** registerPropertiesGroup, inherited device → peripheral → cluster → register. */
interface Props {
  readonly size?: number;
  readonly access?: SwAccess;
  readonly protection?: Protection;
  readonly resetValue?: bigint;
  readonly resetMask?: bigint;
  /** Register-level write/read semantics that fields inherit (SVD 1.3 allows them on registers). */
  readonly onWrite?: OnWrite | null;
  readonly onRead?: OnRead;
  readonly writeConstraint?: WriteConstraint;
}

/** A function of the SVD that the register map itself fixes (shared with IP-XACT): reset of a field from its register. */
export function fieldReset(resetValue: bigint, resetMask: bigint, lsb: number, width: number): bigint | undefined {
  return extractBig(resetMask, lsb, width) === onesBig(width) ? extractBig(resetValue, lsb, width) : undefined;
}

/** What specdrive's exporter recorded in `<vendorExtensions>` about the device (see src/exporters/svd.ts). */
interface Extensions {
  name?: string;
  noDescription?: boolean;
  noVersion?: boolean;
  /** The core name when the schema's list has no such name (written `other`), and the cpu members written as defaults. */
  cpuName?: string;
  cpuAbsent?: string[];
}

class SvdConverter extends XmlConverter {
  private readonly deriver: Deriver;
  /** Array elements `expandCollidingArrays` may still create in this file (a hostile file must not multiply them). */
  private expansionBudget: number;
  /** Cluster byte sizes specdrive's exporter keeps in <vendorExtensions> (SVD has no element for them). */
  private readonly clusterSizes = new Map<string, number>();

  constructor(
    private readonly device: XmlElement,
    source: SourceText,
    limits: ImportLimits,
  ) {
    super('svd', source, limits);
    this.expansionBudget = limits.maxNodes;
    this.deriver = new Deriver(device, source, this.diagnostics);
  }

  private get reader(): SvdReader {
    return { source: this.source, diagnostics: this.diagnostics };
  }

  /** A number child; a malformed number is a located error and the fallback is used. */
  /** Reset values and masks: exact bigints (a 64-bit mask of all ones is above 2^53). */
  private big(element: XmlElement, local: string): bigint | undefined {
    const c = child(element, local);
    if (c === undefined) return undefined;
    const value = parseSvdBigInt(c.text);
    if (value === undefined)
      this.diagnostics.error(
        'svd/bad-number',
        `<${local}> must be a number (decimal, 0x hex or # binary), got ${JSON.stringify(c.text.trim())}`,
        this.source.span(...textRange(c)),
      );
    return value;
  }

  private int(element: XmlElement, local: string): number | undefined {
    const c = child(element, local);
    if (c === undefined) return undefined;
    const value = parseSvdInteger(c.text);
    if (value === undefined) {
      this.diagnostics.error(
        'svd/bad-number',
        `<${local}> must be a number (decimal, 0x hex or # binary), got ${JSON.stringify(c.text.trim())}`,
        this.source.span(...textRange(c)),
      );
      return undefined;
    }
    if (value > Number.MAX_SAFE_INTEGER) {
      this.diagnostics.warning('svd/imprecise-number', `<${local}> ${c.text.trim()} is above 2^53 and loses precision`, this.source.span(...textRange(c)));
    }
    return value;
  }

  private props(element: XmlElement, inherited: Props): Props {
    // Most registers and fields restate none of these; returning the inherited object as is saves
    // an allocation per node on 100 k-node files.
    if (!element.children.some((c) => PROPERTY_TAGS.has(c.local))) return inherited;
    const size = this.int(element, 'size');
    const accessText = childText(element, 'access');
    let access: SwAccess | undefined;
    if (accessText !== undefined) {
      access = swAccessFromSvd(accessText);
      const where = (): SourceSpan => this.source.span(...textRange(child(element, 'access') as XmlElement));
      if (access === undefined && NONSTANDARD_SVD_ACCESS[accessText] !== undefined) {
        access = NONSTANDARD_SVD_ACCESS[accessText];
        this.diagnostics.warning(
          'svd/nonstandard-access',
          `access ${JSON.stringify(accessText)} is not a CMSIS-SVD access; read as ${SW_TO_SVD[access as SwAccess]} (as cmsis-svd does)`,
          where(),
          {
            hint: 'write read-only, write-only, read-write, writeOnce or read-writeOnce',
          },
        );
      } else if (access === undefined) {
        this.diagnostics.warning('svd/bad-access', `unknown access ${JSON.stringify(accessText)}; read-write assumed`, where());
        access = 'rw';
      }
    }
    const protection = svdProtection(this.reader, element);
    const resetValue = this.big(element, 'resetValue');
    const resetMask = this.big(element, 'resetMask');
    const semantics = this.semantics(element);
    return {
      ...inherited,
      ...(size !== undefined ? { size } : {}),
      ...(access !== undefined ? { access } : {}),
      ...(protection !== undefined ? { protection } : {}),
      ...(resetValue !== undefined ? { resetValue } : {}),
      ...(resetMask !== undefined ? { resetMask } : {}),
      ...semantics,
    };
  }

  /** modifiedWriteValues / readAction / writeConstraint of a register or field. */
  private semantics(element: XmlElement): Pick<Props, 'onWrite' | 'onRead' | 'writeConstraint'> {
    const out: { onWrite?: OnWrite | null; onRead?: OnRead; writeConstraint?: WriteConstraint } = {};
    const mwv = child(element, 'modifiedWriteValues');
    if (mwv) {
      const text = mwv.text.trim();
      if (text in SVD_MODIFIED_WRITE) out.onWrite = SVD_MODIFIED_WRITE[text] ?? null;
      else
        this.diagnostics.warning(
          'svd/bad-modified-write-values',
          `unknown modifiedWriteValues ${JSON.stringify(text)}; treated as a plain write`,
          this.source.span(...textRange(mwv)),
        );
    }
    const readAction = child(element, 'readAction');
    if (readAction) {
      const text = readAction.text.trim();
      const onRead = SVD_READ_ACTION[text];
      if (onRead) out.onRead = onRead;
      else this.diagnostics.warning('svd/bad-read-action', `unknown readAction ${JSON.stringify(text)}; ignored`, this.source.span(...textRange(readAction)));
    }
    const wc = child(element, 'writeConstraint');
    if (wc) {
      const range = child(wc, 'range');
      if (childText(wc, 'writeAsRead') === 'true') out.writeConstraint = { kind: 'writeAsRead' };
      else if (childText(wc, 'useEnumeratedValues') === 'true') out.writeConstraint = { kind: 'useEnumeratedValues' };
      else if (range) {
        const min = this.int(range, 'minimum');
        const max = this.int(range, 'maximum');
        if (min !== undefined && max !== undefined) out.writeConstraint = { kind: 'range', min, max };
        else this.diagnostics.warning('svd/bad-write-constraint', 'a writeConstraint range needs <minimum> and <maximum>', this.span(wc));
      }
    }
    return out;
  }

  /** The dim group of an element, checked against its name. Returns the IR name and dim. */
  private dim(element: XmlElement, rawName: string, kind: string): { name: string; dim?: Dim } {
    const name = stripDimPlaceholder(rawName);
    const dimEl = child(element, 'dim');
    if (!dimEl) {
      if (rawName.includes('%s')) {
        this.diagnostics.warning(
          'svd/placeholder-without-dim',
          `${kind} name ${JSON.stringify(rawName)} has %s but no <dim>; the placeholder is dropped`,
          this.span(element),
        );
      }
      return { name };
    }
    const count = this.int(element, 'dim');
    const stride = this.int(element, 'dimIncrement');
    if (count === undefined) return { name };
    if (count > this.limits.maxDim) {
      this.diagnostics.error('limits/dim-too-large', `dim ${count} is larger than the limit ${this.limits.maxDim}`, this.source.span(...textRange(dimEl)));
      return { name };
    }
    if (stride === undefined) {
      this.diagnostics.warning('svd/missing-dim-increment', `<dim> without <dimIncrement>; a stride of 0 is assumed`, this.span(dimEl));
    }
    const indexEl = child(element, 'dimIndex');
    let indices: string[] | undefined;
    if (indexEl) {
      indices = parseDimIndex(indexEl.text);
      if (!indices) {
        this.diagnostics.warning(
          'svd/bad-dim-index',
          `dimIndex ${JSON.stringify(indexEl.text.trim())} is not a range (0-3, A-D) or a list (A,B,C); 0..${count - 1} used`,
          this.source.span(...textRange(indexEl)),
        );
      } else if (indices.length !== count) {
        this.diagnostics.warning(
          'svd/dim-index-count',
          `dimIndex has ${indices.length} entries but dim is ${count}; 0..${count - 1} used`,
          this.source.span(...textRange(indexEl)),
        );
        indices = undefined;
      }
    }
    if (!rawName.includes('%s')) {
      this.diagnostics.warning('svd/dim-without-placeholder', `${kind} ${JSON.stringify(rawName)} has <dim> but no %s in its name`, this.span(element));
    }
    // The default shapes (0..n-1 indices, `NAME[%s]`) are not stored, so every importer gives the same IR for the same array.
    const defaultIndices = indices?.every((s, i) => s === String(i)) ?? true;
    const keepPattern = rawName !== `${name}[%s]`;
    const dimName = normaliseText(child(element, 'dimName')?.text);
    const dimArrayIndex = this.dimArrayIndex(element);
    return {
      name,
      dim: {
        count,
        stride: stride ?? 0,
        ...(indices && !defaultIndices ? { indices } : {}),
        ...(keepPattern ? { namePattern: rawName } : {}),
        ...(dimName !== undefined ? { dimName } : {}),
        ...(dimArrayIndex ? { dimArrayIndex } : {}),
      },
    };
  }

  /** SVD `dimArrayIndex`: an enumeration naming the indices of an array. */
  private dimArrayIndex(element: XmlElement): DimArrayIndex | undefined {
    const el = child(element, 'dimArrayIndex');
    if (!el) return undefined;
    const headerEnumName = normaliseText(child(el, 'headerEnumName')?.text);
    const values = childrenNamed(el, 'enumeratedValue').flatMap((v) => {
      const name = childText(v, 'name');
      const value = this.int(v, 'value');
      if (!name || value === undefined) {
        this.diagnostics.warning('svd/bad-dim-array-index', 'a dimArrayIndex value needs <name> and <value>; ignored', this.span(v));
        return [];
      }
      return [{ name, value, ...optionalTexts(v, ['description']) }];
    });
    return { ...(headerEnumName !== undefined ? { headerEnumName } : {}), values };
  }

  /** specdrive's own `<vendorExtensions>` (see src/exporters/svd.ts): what SVD has no element for. */
  private readExtensions(): Extensions {
    const extensions = child(this.device, 'vendorExtensions');
    const out: Extensions = {};
    for (const group of extensions ? childrenNamed(extensions, 'ir') : []) {
      const prefix = group.name.includes(':') ? group.name.slice(0, group.name.indexOf(':')) : '';
      if (attribute(group, prefix ? `xmlns:${prefix}` : 'xmlns') !== SPECDRIVE_SVD_NAMESPACE) continue;
      for (const c of group.children) {
        if (c.local === 'cluster') {
          const path = attribute(c, 'path');
          const size = parseSvdInteger(attribute(c, 'size') ?? '');
          if (path !== undefined && size !== undefined) this.clusterSizes.set(path, size);
        } else if (c.local === 'device') {
          const name = attribute(c, 'name');
          if (name !== undefined) out.name = name;
          if (attribute(c, 'noDescription') === 'true') out.noDescription = true;
          if (attribute(c, 'noVersion') === 'true') out.noVersion = true;
        } else if (c.local === 'cpu') {
          const name = attribute(c, 'name');
          if (name !== undefined) out.cpuName = name;
          out.cpuAbsent = (attribute(c, 'absent') ?? '').split(' ').filter((k) => k !== '');
        }
      }
    }
    return out;
  }

  convert(): Device {
    const device = this.device;
    const extras = this.readExtensions();
    const name = extras.name ?? childText(device, 'name') ?? '';
    if (name === '') this.diagnostics.error('svd/missing-name', 'the device has no <name>', this.span(device));
    const width = this.int(device, 'width') ?? 32;
    const cpu = restoreCpu(readCpu(this.reader, device), extras);
    const props = this.props(device, { size: width });
    const peripherals: Peripheral[] = [];
    const seen = new Map<string, XmlElement>();
    const peripheralsEl = child(device, 'peripherals');
    for (const raw of peripheralsEl ? childrenNamed(peripheralsEl, 'peripheral') : []) {
      if (this.tooMany) break;
      const element = this.deriver.resolvePeripheral(raw);
      const p = this.peripheral(element, props);
      if (!p) continue;
      if (this.duplicate(seen, p.name, raw, 'peripheral')) continue;
      peripherals.push(p);
    }
    return {
      kind: 'device',
      name,
      span: this.span(device),
      ...optionalTexts(device, ['vendor', ...(extras.noDescription ? [] : ['description' as const]), ...(extras.noVersion ? [] : ['version' as const])]),
      board: name,
      width,
      addressUnitBits: this.int(device, 'addressUnitBits') ?? 8,
      ...(cpu ? { cpu } : {}),
      ...readDeviceHeader(device),
      clocks: [],
      peripherals,
      sourceFormat: 'svd',
    };
  }

  private peripheral(element: XmlElement, inherited: Props): Peripheral | undefined {
    const rawName = childText(element, 'name');
    if (!rawName) {
      this.diagnostics.error('svd/missing-name', 'a peripheral without <name>', this.span(element));
      return undefined;
    }
    const { name, dim } = this.dim(element, rawName, 'peripheral');
    const props = this.props(element, inherited);
    const baseAddress = this.int(element, 'baseAddress');
    if (baseAddress === undefined && !child(element, 'baseAddress')) {
      this.diagnostics.error('svd/missing-base-address', `peripheral ${name} has no <baseAddress>`, this.span(element));
    }
    const addressBlocks: AddressBlock[] = childrenNamed(element, 'addressBlock').map((b) => {
      const usage = childText(b, 'usage');
      const protection = svdProtection(this.reader, b);
      return {
        offset: this.int(b, 'offset') ?? 0,
        size: this.int(b, 'size') ?? 0,
        usage: usage === 'buffer' ? 'buffer' : usage === 'reserved' ? 'reserved' : 'registers',
        ...(protection !== undefined ? { protection } : {}),
      };
    });
    const seenInterrupts = new Map<string, XmlElement>();
    const interrupts: Interrupt[] = childrenNamed(element, 'interrupt').flatMap((i): Interrupt[] => {
      if (this.duplicate(seenInterrupts, childText(i, 'name') ?? '', i, 'interrupt')) return [];
      return [
        {
          name: childText(i, 'name') ?? '',
          span: this.span(i),
          value: this.int(i, 'value') ?? 0,
          ...optionalTexts(i, ['description']),
        },
      ];
    });
    const scopes = [this.device, element];
    const registers = this.nodes(this.registerElements(element, name), scopes, name, props, 1);
    const alternateOf = childText(element, 'alternatePeripheral');
    return {
      kind: 'peripheral',
      name,
      path: name,
      span: this.span(element),
      ...optionalTexts(element, ['description', 'groupName', 'version', 'prependToName', 'appendToName', 'headerStructName', 'disableCondition']),
      ...(alternateOf ? { alternateOf } : {}),
      baseAddress: baseAddress ?? 0,
      ...(dim ? { dim } : {}),
      addressBlocks,
      interrupts,
      registers,
      quantities: [],
      behaviours: [],
    };
  }

  /**
   * The register and cluster elements of a peripheral. The schema allows one `<registers>`; vendor
   * files (TI MSP432 SystemControlSpace has 7) repeat it. svd-rs and cmsis-svd read only the first;
   * dropping the rest silently loses registers, so all are kept (in document order) with a warning.
   */
  private registerElements(peripheral: XmlElement, name: string): XmlElement[] {
    const blocks = childrenNamed(peripheral, 'registers');
    for (const extra of blocks.slice(1)) {
      this.diagnostics.warning(
        'svd/extra-registers-block',
        `peripheral ${name} has more than one <registers> block (the schema allows one); its registers are kept`,
        this.span(extra),
        {
          related: [{ message: 'first <registers>', span: this.span(blocks[0] as XmlElement) }],
          hint: 'merge the blocks into one <registers>',
        },
      );
    }
    return blocks.flatMap((b) => b.children);
  }

  private nodes(elements: readonly XmlElement[], scopes: readonly XmlElement[], parentPath: string, props: Props, depth: number): RegisterNode[] {
    const out: RegisterNode[] = [];
    const seen = new Map<string, XmlElement>();
    const derived = new Set<RegisterNode>();
    const origin = new Map<RegisterNode, XmlElement>();
    const resolved = new Map<XmlElement, XmlElement>();
    for (const raw of elements) {
      if (raw.local !== 'register' && raw.local !== 'cluster') continue;
      const element = this.deriver.resolve(raw, scopes, raw.local === 'register' ? 'register' : 'cluster');
      resolved.set(element, raw);
    }
    const { elements: members, expanded, created } = expandCollidingArrays([...resolved.keys()], this.expansionBudget);
    this.expansionBudget -= created;
    for (const array of expanded) {
      this.diagnostics.info(
        'svd/array-expanded',
        `${array.local} array ${childText(array, 'name')} shares its base name with a sibling; its elements are imported one by one, with the names CMSIS-SVD gives them`,
        this.span(array),
        {
          path: `${parentPath}.${childText(array, 'name')}`,
        },
      );
    }
    for (const element of members) {
      if (this.tooMany) break;
      const raw = resolved.get(element) ?? element;
      const node = raw.local === 'register' ? this.register(element, scopes, parentPath, props) : this.cluster(element, scopes, parentPath, props, depth);
      if (!node) continue;
      if (this.duplicate(seen, node.name, raw, raw.local)) continue;
      if (this.deriver.derivedElements.has(element)) derived.add(node);
      origin.set(node, raw);
      out.push(node);
    }
    this.checkDerivedOverlap(out, derived, origin);
    return out;
  }

  /**
   * A derived register placed over the bytes of another register is almost always a copy-paste
   * mistake (the offset was not changed). Plain overlaps are left to validation, since vendors
   * overlap read-only/write-only pairs on purpose.
   */
  private checkDerivedOverlap(nodes: readonly RegisterNode[], derived: ReadonlySet<RegisterNode>, origin: ReadonlyMap<RegisterNode, XmlElement>): void {
    if (derived.size === 0) return;
    const extent = (n: RegisterNode): [number, number] => {
      const one = n.kind === 'register' ? Math.max(1, n.size / 8) : (n.byteSize ?? 1);
      const count = n.dim ? (n.dim.count - 1) * n.dim.stride + one : one;
      return [n.offset, n.offset + count];
    };
    for (const d of derived) {
      if (d.kind !== 'register' || d.alternateOf !== undefined || d.alternateGroup !== undefined) continue;
      const [a0, a1] = extent(d);
      for (const other of nodes) {
        if (other === d || other.kind !== 'register' || other.alternateOf !== undefined || other.alternateGroup !== undefined) continue;
        const [b0, b1] = extent(other);
        if (a0 < b1 && b0 < a1) {
          const rawD = origin.get(d) as XmlElement;
          const rawO = origin.get(other) as XmlElement;
          this.diagnostics.error(
            'svd/derived-overlap',
            `derived register ${d.name} overlaps register ${other.name} (bytes ${a0}..${a1 - 1} and ${b0}..${b1 - 1})`,
            this.span(rawD),
            {
              path: d.path,
              related: [{ message: `${other.name} is here`, span: this.span(rawO) }],
              hint: 'give the derived register its own <addressOffset>, or mark the overlap with <alternateRegister>',
            },
          );
          break;
        }
      }
    }
  }

  private cluster(element: XmlElement, scopes: readonly XmlElement[], parentPath: string, inherited: Props, depth: number): Cluster | undefined {
    const rawName = childText(element, 'name');
    if (!rawName) {
      this.diagnostics.error('svd/missing-name', 'a cluster without <name>', this.span(element));
      return undefined;
    }
    if (depth > this.limits.maxDepth) {
      this.diagnostics.error('limits/too-deep', `clusters nest deeper than ${this.limits.maxDepth} levels`, this.span(element));
      return undefined;
    }
    const { name, dim } = this.dim(element, rawName, 'cluster');
    const path = `${parentPath}.${name}`;
    const offset = this.int(element, 'addressOffset');
    if (offset === undefined && !child(element, 'addressOffset'))
      this.diagnostics.error('svd/missing-offset', `cluster ${name} has no <addressOffset>`, this.span(element));
    const props = this.props(element, inherited);
    const children = this.nodes(element.children, [...scopes, element], path, props, depth + 1);
    const alternateOf = childText(element, 'alternateCluster');
    return {
      kind: 'cluster',
      name,
      path,
      span: this.span(element),
      ...optionalTexts(element, ['description', 'headerStructName']),
      ...(alternateOf ? { alternateOf } : {}),
      offset: offset ?? 0,
      ...(this.clusterSizes.has(path) ? { byteSize: this.clusterSizes.get(path) } : {}),
      ...(dim ? { dim } : {}),
      children,
    };
  }

  private register(element: XmlElement, scopes: readonly XmlElement[], parentPath: string, inherited: Props): Register | undefined {
    const rawName = childText(element, 'name');
    if (!rawName) {
      this.diagnostics.error('svd/missing-name', 'a register without <name>', this.span(element));
      return undefined;
    }
    if (!this.countNode(element)) return undefined;
    const { name, dim } = this.dim(element, rawName, 'register');
    const path = `${parentPath}.${name}`;
    const offset = this.int(element, 'addressOffset');
    if (offset === undefined && !child(element, 'addressOffset'))
      this.diagnostics.error('svd/missing-offset', `register ${name} has no <addressOffset>`, this.span(element), { path });
    const props = this.props(element, inherited);
    const size = props.size ?? 32;
    const resetValue = props.resetValue ?? 0n;
    // No reset value anywhere means the reset is unknown; a value without a mask defines every bit.
    const resetMask = props.resetValue === undefined && props.resetMask === undefined ? 0n : (props.resetMask ?? onesBig(size));
    const fields: Field[] = [];
    const seen = new Map<string, XmlElement>();
    const fieldsEl = child(element, 'fields');
    const fieldScopes = [...scopes, element];
    for (const raw of fieldsEl ? childrenNamed(fieldsEl, 'field') : []) {
      if (this.tooMany) break;
      const f = this.field(this.deriver.resolve(raw, fieldScopes, 'field'), [...fieldScopes, fieldsEl as XmlElement], path, size, props, resetValue, resetMask);
      if (!f || this.duplicate(seen, f.name, raw, 'field')) continue;
      fields.push(f);
    }
    const alternateOf = childText(element, 'alternateRegister');
    const alternateGroup = childText(element, 'alternateGroup');
    return {
      kind: 'register',
      name,
      path,
      span: this.span(element),
      ...optionalTexts(element, ['description', 'displayName', 'dataType']),
      offset: offset ?? 0,
      size,
      resetValue: resetMask === 0n ? 0n : resetValue,
      resetMask,
      ...(dim ? { dim } : {}),
      ...(alternateOf ? { alternateOf } : {}),
      ...(alternateGroup ? { alternateGroup } : {}),
      // Register-level properties as stated here or inherited: what a register without fields has.
      ...(props.access !== undefined ? { access: props.access } : {}),
      ...(props.writeConstraint !== undefined ? { writeConstraint: props.writeConstraint } : {}),
      ...(props.onWrite ? { onWrite: props.onWrite } : {}),
      ...(props.onRead !== undefined ? { onRead: props.onRead } : {}),
      ...(props.protection !== undefined ? { protection: props.protection } : {}),
      fields,
    };
  }

  private bits(element: XmlElement, name: string, path: string): { lsb: number; width: number } | undefined {
    const bitOffset = this.int(element, 'bitOffset');
    if (bitOffset !== undefined) return { lsb: bitOffset, width: this.int(element, 'bitWidth') ?? 1 };
    const lsb = this.int(element, 'lsb');
    const msb = this.int(element, 'msb');
    if (lsb !== undefined && msb !== undefined) {
      if (msb < lsb) this.diagnostics.warning('svd/msb-below-lsb', `field ${name}: msb ${msb} is below lsb ${lsb}; swapped`, this.span(element), { path });
      return { lsb: Math.min(lsb, msb), width: Math.abs(msb - lsb) + 1 };
    }
    const rangeEl = child(element, 'bitRange');
    if (rangeEl) {
      const range = parseBitRange(rangeEl.text);
      if (range && range.msb >= range.lsb) return { lsb: range.lsb, width: range.msb - range.lsb + 1 };
      this.diagnostics.error(
        'svd/bad-bit-range',
        `bitRange ${JSON.stringify(rangeEl.text.trim())} must be [msb:lsb] with msb ≥ lsb`,
        this.source.span(...textRange(rangeEl)),
        { path },
      );
      return undefined;
    }
    if (!child(element, 'bitOffset') && !child(element, 'lsb')) {
      this.diagnostics.error('svd/missing-bits', `field ${name} has no bit position (bitOffset/bitWidth, lsb/msb or bitRange)`, this.span(element), { path });
    }
    return undefined;
  }

  private field(
    element: XmlElement,
    scopes: readonly XmlElement[],
    registerPath: string,
    registerSize: number,
    registerProps: Props,
    resetValue: bigint,
    resetMask: bigint,
  ): Field | undefined {
    const rawName = childText(element, 'name');
    if (!rawName) {
      this.diagnostics.error('svd/missing-name', 'a field without <name>', this.span(element));
      return undefined;
    }
    if (!this.countNode(element)) return undefined;
    const { name, dim } = this.dim(element, rawName, 'field');
    const path = `${registerPath}.${name}`;
    const bits = this.bits(element, name, path);
    if (!bits) return undefined;
    const top = bits.lsb + (dim ? (dim.count - 1) * dim.stride : 0) + bits.width;
    if (top > registerSize) {
      this.diagnostics.warning(
        'svd/field-outside-register',
        `field ${name} (bits ${bits.lsb}..${top - 1}) does not fit in the ${registerSize}-bit register`,
        this.span(element),
        { path },
      );
    }
    const props = this.props(element, { ...registerProps, size: registerSize });
    const sw = props.access ?? 'rw';
    const access = fieldAccess(sw, props.onWrite ?? undefined, props.onRead, props.writeConstraint);
    const enums = childrenNamed(element, 'enumeratedValues')
      .map((raw) => this.enumSet(this.deriver.resolve(raw, [...scopes, element], 'enumeratedValues'), path, bits.width))
      .filter((e): e is EnumSet => e !== undefined);
    const description = optionalTexts(element, ['description']);
    const reset = fieldReset(resetValue, resetMask, bits.lsb, bits.width);
    return {
      kind: 'field',
      name,
      path,
      span: this.span(element),
      ...description,
      lsb: bits.lsb,
      width: bits.width,
      access,
      ...(reset !== undefined ? { reset } : {}),
      ...(enums.length > 0 ? { enums } : {}),
      ...(dim ? { dim } : {}),
    };
  }

  private enumSet(element: XmlElement, fieldPath: string, width: number): EnumSet | undefined {
    const usageText = childText(element, 'usage') ?? 'read-write';
    const usage = usageText === 'read' || usageText === 'write' || usageText === 'read-write' ? usageText : undefined;
    if (!usage)
      this.diagnostics.warning('svd/bad-enum-usage', `unknown enumeratedValues usage ${JSON.stringify(usageText)}; read-write assumed`, this.span(element));
    const values: EnumValue[] = [];
    const seen = new Map<string, XmlElement>();
    for (const v of childrenNamed(element, 'enumeratedValue')) {
      const name = childText(v, 'name');
      if (!name) {
        this.diagnostics.warning('svd/missing-name', 'an enumeratedValue without <name> is ignored', this.span(v));
        continue;
      }
      const description = optionalTexts(v, ['description']);
      const isDefault = childText(v, 'isDefault') === 'true';
      const valueEl = child(v, 'value');
      let value = 0;
      let dontCareMask = 0;
      if (valueEl) {
        const parsed = parseEnumValue(valueEl.text);
        if (!parsed) {
          this.diagnostics.error(
            'svd/bad-number',
            `enumerated value ${name}: ${JSON.stringify(valueEl.text.trim())} is not a number (decimal, 0x hex, #/0b binary with x for don't care)`,
            this.source.span(...textRange(valueEl)),
          );
          continue;
        }
        ({ value, dontCareMask } = parsed);
        if (value + dontCareMask > ones(width)) {
          this.diagnostics.warning(
            'svd/enum-value-too-wide',
            `enumerated value ${name} = ${valueEl.text.trim()} does not fit in ${width} bit(s)`,
            this.source.span(...textRange(valueEl)),
            { path: `${fieldPath}.${name}` },
          );
        }
      } else if (!isDefault) {
        this.diagnostics.warning('svd/enum-without-value', `enumerated value ${name} has neither <value> nor <isDefault>; ignored`, this.span(v));
        continue;
      }
      if (this.duplicate(seen, name, v, 'enumerated value')) continue;
      values.push({
        name,
        path: `${fieldPath}.${name}`,
        span: this.span(v),
        value: isDefault ? 0 : value,
        ...description,
        ...(isDefault ? { isDefault: true } : {}),
        ...(dontCareMask !== 0 && !isDefault ? { dontCareMask } : {}),
      });
    }
    const setName = childText(element, 'name');
    const headerEnumName = childText(element, 'headerEnumName');
    return {
      ...(setName ? { name: setName } : {}),
      ...(headerEnumName ? { headerEnumName } : {}),
      span: this.span(element),
      usage: usage ?? 'read-write',
      values,
    };
  }
}

/** The cpu as the IR had it before specdrive's export filled in what the schema requires. */
function restoreCpu(cpu: Cpu | undefined, extras: Extensions): Cpu | undefined {
  if (!cpu || (extras.cpuName === undefined && !extras.cpuAbsent?.length)) return cpu;
  const out: Record<string, unknown> = { ...cpu, ...(extras.cpuName !== undefined ? { name: extras.cpuName } : {}) };
  for (const key of extras.cpuAbsent ?? []) delete out[key];
  return out as unknown as Cpu;
}

export function svdToIr(root: XmlElement, source: SourceText, limits: ImportLimits): StageResult<Device> {
  const converter = new SvdConverter(root, source, limits);
  if (root.local !== 'device') {
    converter.diagnostics.error('svd/not-svd', `the root element is <${root.name}>, expected <device>`, source.span(...elementRange(root)));
    return { value: undefined, diagnostics: converter.diagnostics.diagnostics };
  }
  if (attribute(root, 'derivedFrom') !== undefined) {
    converter.diagnostics.warning('svd/unexpected-attribute', 'derivedFrom on <device> means nothing and is ignored', source.span(...elementRange(root)));
  }
  const device = converter.convert();
  return { value: device, diagnostics: uniqueDiagnostics(converter.diagnostics.diagnostics) };
}

/**
 * Derived registers and peripherals re-read their base's XML, so a mistake in the base would be
 * reported once per copy at the same place; one report per place and message is enough.
 */
function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.span?.line}:${d.span?.column}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
