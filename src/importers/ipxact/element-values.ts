import type { SourceText } from '../../diagnostics/source-text.ts';
import type { Dim, SwAccess } from '../../ir/types.ts';
import { swAccessFromSvd } from '../xml/access-vocabulary.ts';
import type { ImportLimits } from '../types.ts';
import { attribute, child, childText, childrenNamed, textRange, XmlConverter, type XmlElement } from '../xml/index.ts';
import { parameterResolver } from '../../expr/constant/index.ts';
import { evaluate, IPXACT_GRAMMAR } from './expr.ts';

export interface Inherited {
  readonly access?: SwAccess;
}

/**
 * How IP-XACT elements give values: parameters (evaluated once, over each other), SystemVerilog
 * expressions exact in bigint, `isPresent`, access inherited from blocks to registers to fields,
 * and array dimensions. Errors are located at the element's text.
 */
export class IpxactValues extends XmlConverter {
  protected readonly parameters = new Map<string, XmlElement>();
  /** A parameter's value: its `value` text evaluated once, over the other parameters. */
  protected readonly parameter = parameterResolver((name) => {
    const element = this.parameters.get(name);
    return element ? child(element, 'value')?.text.trim() : undefined;
  }, IPXACT_GRAMMAR);

  constructor(source: SourceText, limits: ImportLimits) {
    super('ipxact', source, limits);
  }

  /**
   * Component, module and address-block parameters, by parameterId (2014+) and by name (2009, SPIRIT).
   * Scoping is flattened (first definition wins): the files in use never shadow a name.
   */
  protected collectParameters(element: XmlElement): void {
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
  protected big(element: XmlElement | undefined): bigint | undefined {
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
  protected value(element: XmlElement | undefined): number | undefined {
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
  protected present(element: XmlElement): boolean {
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

  protected int(element: XmlElement, local: string): number | undefined {
    return this.value(child(element, local));
  }

  /** `access` directly (2009/2014) or inside accessPolicies/fieldAccessPolicies (2022). */
  protected accessElement(element: XmlElement): XmlElement | undefined {
    const direct = child(element, 'access');
    if (direct) return direct;
    const policy = child(element, 'accessPolicies') ?? child(element, 'fieldAccessPolicies');
    const first = policy?.children[0];
    return first ? child(first, 'access') : undefined;
  }

  /** The fieldAccessPolicy (2022) or the field itself (earlier) holds modifiedWriteValue etc. */
  protected policyHolder(field: XmlElement): XmlElement {
    return child(field, 'fieldAccessPolicies')?.children[0] ?? field;
  }

  protected access(element: XmlElement, inherited: Inherited): Inherited {
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
  protected dim(element: XmlElement, defaultStride: number): Dim | undefined {
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
}
