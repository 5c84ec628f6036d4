import { MAX_REGISTER_BITS } from '../../validate/rules/representable.ts';
import type { EnumSet, EnumValue, Field, OnRead, OnWrite, SourceSpan, WriteConstraint } from '../../ir/types.ts';
import { fieldAccess } from '../../ir/access.ts';
import { SVD_MODIFIED_WRITE, SVD_READ_ACTION } from '../xml/access-vocabulary.ts';
import { fieldResetFromRegister } from '../../ir/bits.ts';
import { attribute, child, childText, childrenNamed, optionalTexts, textRange, type XmlElement } from '../xml/index.ts';

import { type Inherited, IpxactValues } from './element-values.ts';

/** Fields of a register: bit ranges, access, side effects, write constraints, resets and enumerated values. */
export class IpxactFields extends IpxactValues {
  /**
   * Widths and bit positions past 64 bits are refused where they are read, with the code validation
   * uses for them (src/validate/rules/representable.ts): the reset arithmetic below cannot hold them.
   */
  protected representable(element: XmlElement, path: string, what: 'register' | 'field', lowestBit: number, highestBit: number): boolean {
    if (lowestBit >= 1 && highestBit <= MAX_REGISTER_BITS && highestBit >= lowestBit) return true;
    this.diagnostics.error(
      'validate/too-wide',
      `${what} ${path} reaches bit ${highestBit - 1}; ${what}s must lie within bits 0..${MAX_REGISTER_BITS - 1}`,
      this.span(element),
      { path },
    );
    return false;
  }

  protected field(
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
    const reset = fieldResetFromRegister(resetValue, resetMask, lsb, width);
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
  protected enums(field: XmlElement, path: string): EnumSet[] {
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
