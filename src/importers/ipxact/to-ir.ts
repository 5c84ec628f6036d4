import type { SourceText } from '../../diagnostics/source-text.ts';
import { MAX_REGISTER_BITS } from '../../validate/rules/representable.ts';
import type { StageResult } from '../../diagnostics/types.ts';
import { onesBig } from '../../ir/bits.ts';
import type {
  AddressBlock,
  Cluster,
  Device,
  Dim,
  EnumSet,
  EnumValue,
  Field,
  OnRead,
  OnWrite,
  Peripheral,
  Register,
  RegisterNode,
  SourceSpan,
  SwAccess,
  WriteConstraint,
} from '../../ir/types.ts';
import { fieldAccess, SVD_MODIFIED_WRITE, SVD_READ_ACTION, swAccessFromSvd } from '../svd/access.ts';
import { fieldReset } from '../svd/to-ir.ts';
import type { ImportLimits } from '../types.ts';
import { attribute, child, childText, childrenNamed, elementRange, optionalTexts, textRange, XmlConverter, type XmlElement } from '../xml/index.ts';
import { parameterResolver } from '../../expr/constant/index.ts';
import { evaluate, IPXACT_GRAMMAR } from './expr.ts';

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

interface Inherited {
  readonly access?: SwAccess;
}

class IpxactConverter extends XmlConverter {
  private readonly parameters = new Map<string, XmlElement>();
  /** A parameter's value: its `value` text evaluated once, over the other parameters. */
  private readonly parameter = parameterResolver((name) => {
    const element = this.parameters.get(name);
    return element ? child(element, 'value')?.text.trim() : undefined;
  }, IPXACT_GRAMMAR);
  private addressUnitBits = 8;

  constructor(
    private readonly root: XmlElement,
    source: SourceText,
    limits: ImportLimits,
  ) {
    super('ipxact', source, limits);
    this.collectParameters(root);
  }

  /**
   * Component, module and address-block parameters, by parameterId (2014+) and by name (2009, SPIRIT).
   * Scoping is flattened (first definition wins): the files in use never shadow a name.
   */
  private collectParameters(element: XmlElement): void {
    for (const c of element.children) {
      if (c.local === 'parameter' || c.local === 'moduleParameter') {
        const id = attribute(c, 'parameterId') ?? attribute(c, 'spirit:id');
        const name = childText(c, 'name');
        for (const key of [id, name]) if (key !== undefined && !this.parameters.has(key)) this.parameters.set(key, c);
      } else if (c.children.length > 0) {
        this.collectParameters(c);
      }
    }
  }

  /** Evaluates the value of an element exactly (reset values and masks); errors are located at its text. */
  private big(element: XmlElement | undefined): bigint | undefined {
    if (!element) return undefined;
    const text = element.text.trim();
    const result = evaluate(text, this.parameter);
    if (!result.ok) {
      this.diagnostics.error('ipxact/bad-expression', `cannot evaluate ${JSON.stringify(text)}: ${result.error}`, this.source.span(...textRange(element)));
      return undefined;
    }
    if (result.value < 0n) {
      this.diagnostics.error('ipxact/negative-value', `${JSON.stringify(text)} is negative`, this.source.span(...textRange(element)));
      return undefined;
    }
    return result.value;
  }

  /** Evaluates an address, size or count (numbers in the IR). */
  private value(element: XmlElement | undefined): number | undefined {
    const value = this.big(element);
    if (value === undefined || !element) return undefined;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.diagnostics.warning(
        'ipxact/imprecise-number',
        `${JSON.stringify(element.text.trim())} is above 2^53 and loses precision`,
        this.source.span(...textRange(element)),
      );
    }
    return Number(value);
  }

  /**
   * `isPresent` (1685-2009 on, an expression from 2014): an element whose value is 0 or false does
   * not exist in this configuration and is left out with everything inside it.
   */
  private present(element: XmlElement): boolean {
    const flag = child(element, 'isPresent');
    if (!flag) return true;
    const text = flag.text.trim();
    if (text === 'true') return true;
    if (text === 'false') return false;
    const result = evaluate(text, this.parameter);
    if (!result.ok) {
      this.diagnostics.error(
        'ipxact/bad-expression',
        `cannot evaluate isPresent ${JSON.stringify(text)}: ${result.error}`,
        this.source.span(...textRange(flag)),
      );
      return true;
    }
    return result.value !== 0n;
  }

  private int(element: XmlElement, local: string): number | undefined {
    return this.value(child(element, local));
  }

  /** `access` directly (2009/2014) or inside accessPolicies/fieldAccessPolicies (2022). */
  private accessElement(element: XmlElement): XmlElement | undefined {
    const direct = child(element, 'access');
    if (direct) return direct;
    const policy = child(element, 'accessPolicies') ?? child(element, 'fieldAccessPolicies');
    const first = policy?.children[0];
    return first ? child(first, 'access') : undefined;
  }

  /** The fieldAccessPolicy (2022) or the field itself (earlier) holds modifiedWriteValue etc. */
  private policyHolder(field: XmlElement): XmlElement {
    return child(field, 'fieldAccessPolicies')?.children[0] ?? field;
  }

  private access(element: XmlElement, inherited: Inherited): Inherited {
    const accessEl = this.accessElement(element);
    if (!accessEl) return inherited;
    const text = accessEl.text.trim();
    const access = swAccessFromSvd(text);
    if (!access) {
      this.diagnostics.warning('ipxact/bad-access', `unknown access ${JSON.stringify(text)}; read-write assumed`, this.source.span(...textRange(accessEl)));
      return { access: 'rw' };
    }
    return { access };
  }

  /** 2009/2014 repeat `dim`; 2022 wraps them in `array` with an optional `stride`. Several dims become one. */
  private dim(element: XmlElement, defaultStride: number): Dim | undefined {
    const array = child(element, 'array');
    const holder = array ?? element;
    const dims = childrenNamed(holder, 'dim');
    if (dims.length === 0) return undefined;
    let count = 1;
    for (const d of dims) count *= this.value(d) ?? 1;
    if (dims.length > 1) this.diagnostics.warning('ipxact/multi-dim', `${dims.length}-dimensional array kept as one dimension of ${count}`, this.span(element));
    if (count > this.limits.maxDim) {
      this.diagnostics.error('limits/dim-too-large', `dim ${count} is larger than the limit ${this.limits.maxDim}`, this.span(dims[0] as XmlElement));
      return undefined;
    }
    const strideEl = array ? child(array, 'stride') : undefined;
    const stride = strideEl ? (this.value(strideEl) ?? defaultStride) : defaultStride;
    return { count, stride };
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

  /**
   * Widths and bit positions past 64 bits are refused where they are read, with the code validation
   * uses for them (src/validate/rules/representable.ts): the reset arithmetic below cannot hold them.
   */
  private representable(element: XmlElement, path: string, what: 'register' | 'field', lowestBit: number, highestBit: number): boolean {
    if (lowestBit >= 1 && highestBit <= MAX_REGISTER_BITS && highestBit >= lowestBit) return true;
    this.diagnostics.error(
      'validate/too-wide',
      `${what} ${path} reaches bit ${highestBit - 1}; ${what}s must lie within bits 0..${MAX_REGISTER_BITS - 1}`,
      this.span(element),
      { path },
    );
    return false;
  }

  private field(
    element: XmlElement,
    name: string,
    path: string,
    lsb: number,
    width: number,
    inherited: Inherited,
    resetValue: bigint,
    resetMask: bigint,
  ): Field {
    const sw = this.access(element, inherited).access ?? 'rw';
    const holder = this.policyHolder(element);
    let onWrite: OnWrite | undefined;
    const mwv = child(holder, 'modifiedWriteValue') ?? child(element, 'modifiedWriteValue');
    if (mwv) {
      const text = mwv.text.trim();
      if (text in SVD_MODIFIED_WRITE) onWrite = SVD_MODIFIED_WRITE[text] ?? undefined;
      else
        this.diagnostics.warning(
          'ipxact/bad-modified-write-value',
          `unknown modifiedWriteValue ${JSON.stringify(text)}; treated as a plain write`,
          this.source.span(...textRange(mwv)),
        );
    }
    let onRead: OnRead | undefined;
    const readAction = child(holder, 'readAction') ?? child(element, 'readAction');
    if (readAction) {
      const text = readAction.text.trim();
      onRead = SVD_READ_ACTION[text];
      if (!onRead)
        this.diagnostics.warning('ipxact/bad-read-action', `unknown readAction ${JSON.stringify(text)}; ignored`, this.source.span(...textRange(readAction)));
    }
    const wc = child(holder, 'writeValueConstraint') ?? child(element, 'writeValueConstraint');
    let writeConstraint: WriteConstraint | undefined;
    if (wc) {
      if (childText(wc, 'writeAsRead') === 'true') writeConstraint = { kind: 'writeAsRead' };
      else if (childText(wc, 'useEnumeratedValues') === 'true') writeConstraint = { kind: 'useEnumeratedValues' };
      else {
        const min = this.int(wc, 'minimum');
        const max = this.int(wc, 'maximum');
        if (min !== undefined && max !== undefined) writeConstraint = { kind: 'range', min, max };
      }
    }
    const enums = this.enums(element, path);
    const description = optionalTexts(element, ['description']);
    const reset = fieldReset(resetValue, resetMask, lsb, width);
    return {
      kind: 'field',
      name,
      path,
      span: this.span(element),
      ...description,
      lsb,
      width,
      access: fieldAccess(sw, onWrite, onRead, writeConstraint),
      ...(reset !== undefined ? { reset } : {}),
      ...(enums.length > 0 ? { enums } : {}),
    };
  }

  /**
   * IP-XACT gives usage per value (`<enumeratedValue usage="read">`); the IR groups values by usage,
   * one set each. SPIRIT-era generators (csrCompile) also write `<values><value/><name/></values>`.
   */
  private enums(field: XmlElement, path: string): EnumSet[] {
    const sets = new Map<EnumSet['usage'], EnumValue[]>();
    const setSpan = new Map<EnumSet['usage'], SourceSpan>();
    const add = (usage: EnumSet['usage'], v: XmlElement, name: string | undefined, valueEl: XmlElement | undefined): void => {
      if (!name || !valueEl) {
        this.diagnostics.warning('ipxact/bad-enumerated-value', 'an enumerated value needs a <name> and a <value>; ignored', this.span(v));
        return;
      }
      const value = this.value(valueEl);
      if (value === undefined) return;
      const list = sets.get(usage) ?? [];
      if (list.some((e) => e.name === name)) {
        this.diagnostics.warning('ipxact/duplicate-name', `a second enumerated value named ${name}; it is ignored`, this.span(v));
        return;
      }
      list.push({ name, path: `${path}.${name}`, span: this.span(v), value, ...optionalTexts(v, ['description']) });
      sets.set(usage, list);
      if (!setSpan.has(usage)) setSpan.set(usage, this.span(v));
    };
    for (const group of childrenNamed(field, 'enumeratedValues')) {
      for (const v of childrenNamed(group, 'enumeratedValue')) {
        const usageText = attribute(v, 'usage') ?? attribute(v, 'spirit:usage') ?? 'read-write';
        const usage = usageText === 'read' || usageText === 'write' ? usageText : 'read-write';
        add(usage, v, childText(v, 'name'), child(v, 'value'));
      }
    }
    for (const v of childrenNamed(field, 'values')) add('read-write', v, childText(v, 'name'), child(v, 'value'));
    return [...sets.entries()].map(([usage, values]) => ({ span: setSpan.get(usage) as SourceSpan, usage, values }));
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
