import type { SourceText } from '../../diagnostics/source-text.ts';
import type { ImportLimits } from '../types.ts';
import { child, textRange, XmlConverter, type XmlElement } from '../xml/index.ts';
import type { SvdReader } from './cpu.ts';
import { Deriver } from './derive.ts';
import { parseSvdBigInt, parseSvdInteger } from './numbers.ts';

/**
 * What every pass of the SVD import shares (to-ir.ts runs them): the source, the diagnostics, the
 * limits and node budget, `derivedFrom` resolution, and the located reading of numbers.
 */
export class SvdContext extends XmlConverter {
  readonly deriver: Deriver;
  /** Array elements `expandCollidingArrays` may still create in this file (a hostile file must not multiply them). */
  expansionBudget: number;
  /** Cluster byte sizes specdrive's exporter keeps in <vendorExtensions> (SVD has no element for them). */
  readonly clusterSizes = new Map<string, number>();
  readonly reader: SvdReader;

  constructor(
    readonly device: XmlElement,
    source: SourceText,
    limits: ImportLimits,
  ) {
    super('svd', source, limits);
    this.expansionBudget = limits.maxNodes;
    this.deriver = new Deriver(device, source, this.diagnostics);
    this.reader = { source, diagnostics: this.diagnostics };
  }

  /** Reset values and masks: exact bigints (a 64-bit mask of all ones is above 2^53). A malformed number is a located error. */
  big(element: XmlElement, local: string): bigint | undefined {
    const c = child(element, local);
    if (c === undefined) return undefined;
    const value = parseSvdBigInt(c.text);
    if (value === undefined) this.badNumber(c, local);
    return value;
  }

  /** A number child; a malformed number is a located error and undefined. */
  int(element: XmlElement, local: string): number | undefined {
    const c = child(element, local);
    return c === undefined ? undefined : this.intOf(c, local);
  }

  /** The number an element holds (`local` names it in messages). */
  intOf(c: XmlElement, local: string): number | undefined {
    const value = parseSvdInteger(c.text);
    if (value === undefined) {
      this.badNumber(c, local);
      return undefined;
    }
    if (value > Number.MAX_SAFE_INTEGER) {
      this.diagnostics.warning('svd/imprecise-number', `<${local}> ${c.text.trim()} is above 2^53 and loses precision`, this.source.span(...textRange(c)));
    }
    return value;
  }

  private badNumber(c: XmlElement, local: string): void {
    this.diagnostics.error(
      'svd/bad-number',
      `<${local}> must be a number (decimal, 0x hex or # binary), got ${JSON.stringify(c.text.trim())}`,
      this.source.span(...textRange(c)),
    );
  }
}
