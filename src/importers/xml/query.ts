import type { XmlElement } from './parser.ts';

/**
 * Small lookups over the element tree. Matching is on the local name so one importer reads
 * `ipxact:register`, `spirit:register` and plain `register` alike.
 *
 * Indexed loops, not `for…of`: these run millions of times in a command that lasts a second or two,
 * mostly before the optimizing compiler has taken them, and unoptimized `for…of` allocates an
 * iterator and a result object per step (40 MB of garbage on STM32N657).
 */

export function child(element: XmlElement, local: string): XmlElement | undefined {
  const children = element.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i] as XmlElement;
    if (c.local === local) return c;
  }
  return undefined;
}

export function childrenNamed(element: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const children = element.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i] as XmlElement;
    if (c.local === local) out.push(c);
  }
  return out;
}

/** Trimmed text of the first child with that local name, or undefined when absent. */
export function childText(element: XmlElement, local: string): string | undefined {
  const c = child(element, local);
  return c === undefined ? undefined : c.text.trim();
}

export function attribute(element: XmlElement, name: string): string | undefined {
  return element.attributes?.[name];
}

/** Offset span of an element's start tag name, for diagnostics that point at the element. */
export function elementRange(element: XmlElement): [number, number] {
  return [element.start, element.start + element.name.length + 1];
}

/** Offset range of an element's text (what a bad value diagnostic points at). */
export function textRange(element: XmlElement): [number, number] {
  const trimmed = element.text.trim();
  return trimmed.length === 0 ? elementRange(element) : [element.textStart, element.textStart + trimmed.length];
}
