import type { SourceText } from '../../diagnostics/source-text.ts';
import type { StageResult } from '../../diagnostics/types.ts';
import { onesBig } from '../../ir/bits.ts';
import type { AddressBlock, Cluster, Device, Field, Peripheral, Register, RegisterNode } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { attribute, child, childText, childrenNamed, elementRange, optionalTexts, type XmlElement } from '../xml/index.ts';
import type { Inherited } from './element-values.ts';
import { IpxactFields } from './fields.ts';

/** Namespace URIs of the IP-XACT generations (the prefix varies; the URI says which schema). */
export const IPXACT_NAMESPACES: Readonly<Record<string, string>> = {
  'http://www.spiritconsortium.org/XMLSchema/SPIRIT/1.4': 'SPIRIT 1.4',
  'http://www.spiritconsortium.org/XMLSchema/SPIRIT/1.5': 'SPIRIT 1.5',
  'http://www.accellera.org/XMLSchema/SPIRIT/1685-2009': 'IEEE 1685-2009',
  'http://www.accellera.org/XMLSchema/IPXACT/1685-2014': 'IEEE 1685-2014',
  'http://www.accellera.org/XMLSchema/IPXACT/1685-2022': 'IEEE 1685-2022',
};

/** The schema generation named by the root element's namespace, or undefined when unknown. */
export function ipxactVersion(root: XmlElement): string | undefined {
  const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':')) : '';
  const uri = attribute(root, prefix ? `xmlns:${prefix}` : 'xmlns');
  return uri === undefined ? undefined : IPXACT_NAMESPACES[uri.trim()];
}

class IpxactConverter extends IpxactFields {
  private addressUnitBits = 8;

  constructor(
    private readonly root: XmlElement,
    source: SourceText,
    limits: ImportLimits,
  ) {
    super(source, limits);
    this.collectParameters(root);
  }

  convert(): Device {
    const root = this.root;
    const name = childText(root, 'name') ?? '';
    if (name === '') this.diagnostics.error('ipxact/missing-name', 'the component has no <name>', this.span(root));
    const peripherals: Peripheral[] = [];
    const maps = childrenNamed(child(root, 'memoryMaps') ?? root, 'memoryMap');
    const blocks: { map: string; block: XmlElement; base: number }[] = [];
    let width = 0;
    for (const map of maps) {
      if (!this.present(map)) continue;
      const aub = this.int(map, 'addressUnitBits');
      if (aub !== undefined) this.addressUnitBits = aub;
      this.collectBlocks(map, childText(map, 'name') ?? '', 0, blocks);
    }
    const names = new Map<string, number>();
    for (const { block } of blocks) {
      const n = childText(block, 'name') ?? '';
      names.set(n, (names.get(n) ?? 0) + 1);
    }
    for (const { map, block, base } of blocks) {
      if (this.tooMany) break;
      const blockName = childText(block, 'name') ?? '';
      // Block names repeat across memory maps (one map per bus interface); the map name then tells them apart.
      const pName = (names.get(blockName) ?? 0) > 1 ? `${map}_${blockName}` : blockName;
      const blockWidth = this.int(block, 'width');
      if (blockWidth !== undefined) width = Math.max(width, blockWidth);
      peripherals.push(this.peripheral(block, pName, base));
    }
    return {
      kind: 'device',
      name,
      span: this.span(root),
      ...optionalTexts(root, ['description', 'vendor', 'version']),
      board: name,
      width: width || 32,
      addressUnitBits: this.addressUnitBits,
      clocks: [],
      peripherals,
      sourceFormat: 'ipxact',
    };
  }

  /** Address blocks, also inside banks: a serial bank lays its blocks one after another, a parallel one at the same address. */
  private collectBlocks(container: XmlElement, mapName: string, base: number, out: { map: string; block: XmlElement; base: number }[]): void {
    const serial = container.local === 'bank' && attribute(container, 'bankAlignment') === 'serial';
    let next = base;
    for (const c of container.children) {
      if (c.local !== 'addressBlock' && c.local !== 'bank') continue;
      if (!this.present(c)) continue;
      const own = this.int(c, 'baseAddress');
      const at = own !== undefined ? base + own : next;
      if (c.local === 'bank') this.collectBlocks(c, mapName, at, out);
      else out.push({ map: mapName, block: c, base: at });
      if (serial) next = at + (this.int(c, 'range') ?? 0);
    }
  }

  private peripheral(block: XmlElement, name: string, baseAddress: number): Peripheral {
    const inherited = this.access(block, {});
    const usageText = childText(block, 'usage');
    const range = this.int(block, 'range') ?? 0;
    const addressBlocks: AddressBlock[] = [
      { offset: 0, size: range, usage: usageText === 'memory' ? 'buffer' : usageText === 'reserved' ? 'reserved' : 'registers' },
    ];
    const description = optionalTexts(block, ['description']);
    return {
      kind: 'peripheral',
      name,
      path: name,
      span: this.span(block),
      ...description,
      baseAddress,
      addressBlocks,
      interrupts: [],
      registers: this.nodes(block, name, inherited, 1),
      quantities: [],
      behaviours: [],
    };
  }

  private nodes(container: XmlElement, parentPath: string, inherited: Inherited, depth: number): RegisterNode[] {
    const out: RegisterNode[] = [];
    const seen = new Map<string, XmlElement>();
    for (const c of container.children) {
      if (this.tooMany) break;
      if (c.local !== 'register' && c.local !== 'registerFile') continue;
      if (!this.present(c)) continue;
      const node = c.local === 'register' ? this.register(c, parentPath, inherited) : this.registerFile(c, parentPath, inherited, depth);
      if (!node) continue;
      if (this.duplicate(seen, node.name, c, c.local)) continue;
      out.push(node);
    }
    return out;
  }

  private registerFile(element: XmlElement, parentPath: string, inherited: Inherited, depth: number): Cluster | undefined {
    const name = childText(element, 'name');
    if (!name) {
      this.diagnostics.error('ipxact/missing-name', 'a registerFile without <name>', this.span(element));
      return undefined;
    }
    if (depth > this.limits.maxDepth) {
      this.diagnostics.error('limits/too-deep', `register files nest deeper than ${this.limits.maxDepth} levels`, this.span(element));
      return undefined;
    }
    const path = `${parentPath}.${name}`;
    const byteSize = this.int(element, 'range');
    const dim = this.dim(element, byteSize ?? 0);
    const description = optionalTexts(element, ['description']);
    return {
      kind: 'cluster',
      name,
      path,
      span: this.span(element),
      ...description,
      offset: this.int(element, 'addressOffset') ?? 0,
      ...(byteSize !== undefined ? { byteSize } : {}),
      ...(dim ? { dim } : {}),
      children: this.nodes(element, path, this.access(element, inherited), depth + 1),
    };
  }

  private register(element: XmlElement, parentPath: string, inherited: Inherited): Register | undefined {
    const name = childText(element, 'name');
    if (!name) {
      this.diagnostics.error('ipxact/missing-name', 'a register without <name>', this.span(element));
      return undefined;
    }
    if (!this.countNode(element)) return undefined;
    const path = `${parentPath}.${name}`;
    const size = this.int(element, 'size') ?? 32;
    if (!this.representable(element, path, 'register', 1, size)) return undefined;
    const dim = this.dim(element, Math.max(1, size / this.addressUnitBits));
    const access = this.access(element, inherited);
    // 2009 and SPIRIT put the reset on the register; 2014+ on each field. Both fill one register value and mask.
    let resetValue = 0n;
    let resetMask = 0n;
    const registerReset = child(element, 'reset');
    if (registerReset) {
      resetValue = this.big(child(registerReset, 'value')) ?? 0n;
      resetMask = child(registerReset, 'mask') ? (this.big(child(registerReset, 'mask')) ?? 0n) : onesBig(size);
      resetValue &= resetMask;
    }
    const rawFields: { element: XmlElement; name: string; lsb: number; width: number }[] = [];
    for (const f of childrenNamed(element, 'field')) {
      if (!this.present(f)) continue;
      const fieldName = childText(f, 'name');
      if (!fieldName) {
        this.diagnostics.error('ipxact/missing-name', 'a field without <name>', this.span(f));
        continue;
      }
      const lsb = this.int(f, 'bitOffset');
      const width = this.int(f, 'bitWidth');
      if (lsb === undefined || width === undefined) {
        if (!child(f, 'bitOffset') || !child(f, 'bitWidth'))
          this.diagnostics.error('ipxact/missing-bits', `field ${fieldName} needs <bitOffset> and <bitWidth>`, this.span(f), { path: `${path}.${fieldName}` });
        continue;
      }
      if (!this.representable(f, `${path}.${fieldName}`, 'field', lsb + 1, lsb + width)) continue;
      if (lsb + width > size)
        this.diagnostics.warning(
          'ipxact/field-outside-register',
          `field ${fieldName} (bits ${lsb}..${lsb + width - 1}) does not fit in the ${size}-bit register`,
          this.span(f),
          { path: `${path}.${fieldName}` },
        );
      const reset = child(child(f, 'resets') ?? f, 'reset');
      if (reset) {
        const fieldMask = onesBig(width);
        const value = (this.big(child(reset, 'value')) ?? 0n) & fieldMask;
        const mask = child(reset, 'mask') ? (this.big(child(reset, 'mask')) ?? 0n) & fieldMask : fieldMask;
        const shift = BigInt(lsb);
        resetMask = (resetMask & ~(fieldMask << shift)) | (mask << shift);
        resetValue = (resetValue & ~(fieldMask << shift)) | ((value & mask) << shift);
      }
      rawFields.push({ element: f, name: fieldName, lsb, width });
    }
    const fields: Field[] = [];
    const seen = new Map<string, XmlElement>();
    for (const raw of rawFields) {
      if (!this.countNode(raw.element)) break;
      if (this.duplicate(seen, raw.name, raw.element, 'field')) continue;
      fields.push(this.field(raw.element, raw.name, `${path}.${raw.name}`, raw.lsb, raw.width, access, resetValue, resetMask));
    }
    const description = optionalTexts(element, ['description']);
    return {
      kind: 'register',
      name,
      path,
      span: this.span(element),
      ...description,
      offset: this.int(element, 'addressOffset') ?? 0,
      size,
      resetValue,
      resetMask,
      ...(dim ? { dim } : {}),
      fields,
    };
  }
}

export function ipxactToIr(root: XmlElement, source: SourceText, limits: ImportLimits): StageResult<Device> {
  const converter = new IpxactConverter(root, source, limits);
  if (root.local !== 'component') {
    converter.diagnostics.error(
      'ipxact/not-component',
      `the root element is <${root.name}>; only IP-XACT components hold register maps`,
      source.span(...elementRange(root)),
    );
    return { value: undefined, diagnostics: converter.diagnostics.diagnostics };
  }
  if (ipxactVersion(root) === undefined) {
    converter.diagnostics.warning(
      'ipxact/unknown-namespace',
      `the namespace of <${root.name}> is not SPIRIT 1.4/1.5 or IEEE 1685-2009/2014/2022; reading it as IP-XACT anyway`,
      source.span(...elementRange(root)),
    );
  }
  return { value: converter.convert(), diagnostics: converter.diagnostics.diagnostics };
}
