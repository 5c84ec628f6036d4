import type { XmlElement } from '../xml/index.ts';
import { child, childText } from '../xml/index.ts';
import { parseDimIndex, parseSvdInteger, stripDimPlaceholder } from './numbers.ts';

/**
 * Arrays whose IR name would collide with a sibling's, expanded into their elements.
 *
 * The IR names an array by its pattern without `%s` (`MR%s` → `MR`), but CMSIS-SVD names an array's
 * registers after expansion (`MR0`…`MR3`). Two siblings can therefore share a base name without any
 * clash in the spec: LPC176x PWM1 has `MR%s` with dimIndex 0-3 and another `MR%s` with 4-6, and its
 * GPDMA has `CONFIG%s` next to a plain `CONFIG`. Keeping the second as an array would make it a
 * duplicate; instead every `%s` array of a colliding group becomes its elements (`MR4`, `MR5`,
 * `MR6`), exactly the registers cmsis-svd and svdconv produce. `[%s]` arrays have no element names
 * of their own and are left alone.
 */
export function expandCollidingArrays(
  elements: readonly XmlElement[],
  maxElements: number,
): { elements: readonly XmlElement[]; expanded: XmlElement[]; created: number } {
  // Each name read once (one step per register of the device, mostly before the code is optimized).
  const raws: string[] = [];
  let candidates = false;
  for (let i = 0; i < elements.length; i++) {
    const raw = childText(elements[i] as XmlElement, 'name') ?? '';
    raws.push(raw);
    if (!candidates && isNamedArray(raw)) candidates = true;
  }
  // Most levels have no `%s` array: no names to count (a map entry per register of the device).
  if (!candidates) return { elements, expanded: [], created: 0 };
  const byName = new Map<string, number>();
  for (let i = 0; i < raws.length; i++) {
    const name = stripDimPlaceholder(raws[i] as string);
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  const out: XmlElement[] = [];
  const expanded: XmlElement[] = [];
  // Hostile files could repeat a large colliding array many times: past the node budget the arrays stay
  // arrays (and the importer drops the repeats as duplicates, with a warning).
  let budget = maxElements;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i] as XmlElement;
    const raw = raws[i] as string;
    const elementNames = isNamedArray(raw) && (byName.get(stripDimPlaceholder(raw)) ?? 0) > 1 ? arrayElements(e, raw, budget) : undefined;
    if (elementNames) budget -= elementNames.length;
    if (!elementNames) {
      out.push(e);
      continue;
    }
    expanded.push(e);
    out.push(...elementNames);
  }
  return { elements: out, expanded, created: maxElements - budget };
}

/** A `%s` array whose elements have names of their own (`MR%s`; `MR[%s]` has none). */
const isNamedArray = (raw: string): boolean => raw.includes('%s') && !raw.includes('[%s]');

const DIM_TAGS = new Set(['dim', 'dimIncrement', 'dimIndex', 'dimName', 'dimArrayIndex']);

/** The elements of one `%s` array as plain registers/clusters, or undefined when the dim cannot be read. */
function arrayElements(element: XmlElement, rawName: string, budget: number): XmlElement[] | undefined {
  const count = parseSvdInteger(childText(element, 'dim') ?? '');
  const stride = parseSvdInteger(childText(element, 'dimIncrement') ?? '0') ?? 0;
  const offset = parseSvdInteger(childText(element, 'addressOffset') ?? '0') ?? 0;
  if (count === undefined || count > budget) return undefined;
  const indexText = childText(element, 'dimIndex');
  const indices = indexText !== undefined ? parseDimIndex(indexText) : Array.from({ length: count }, (_, i) => String(i));
  if (!indices || indices.length !== count) return undefined;
  const nameEl = child(element, 'name') as XmlElement;
  const offsetEl = child(element, 'addressOffset');
  return indices.map((index, i) => ({
    ...element,
    attributes: undefined,
    children: element.children
      .filter((c) => !DIM_TAGS.has(c.local))
      .map((c) =>
        c === nameEl ? { ...c, text: rawName.replace('%s', index) } : c === offsetEl ? { ...c, text: `0x${(offset + i * stride).toString(16)}` } : c,
      ),
  }));
}
