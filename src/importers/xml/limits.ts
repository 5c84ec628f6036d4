import type { ImportLimits } from '../types.ts';
import type { XmlLimits } from './parser.ts';

/**
 * XML limits derived from the importer limits. A register or field takes a handful of elements
 * (name, offset, width, description...), so the element cap is a generous multiple of `maxNodes`:
 * STM32N657 has ≈0.9 M elements for ≈70 k registers + fields.
 */
export const ELEMENTS_PER_NODE = 16;

export function xmlLimitsFrom(limits: ImportLimits): XmlLimits {
  return { maxBytes: limits.maxBytes, maxDepth: limits.maxDepth, maxElements: limits.maxNodes * ELEMENTS_PER_NODE };
}
