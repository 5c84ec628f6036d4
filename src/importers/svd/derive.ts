import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceText } from '../../diagnostics/source-text.ts';
import type { SourceSpan } from '../../diagnostics/span.ts';
import { attribute, child, childText, elementRange, elementWithChildren, type XmlElement } from '../xml/index.ts';
import { stripDimPlaceholder } from './numbers.ts';

/**
 * CMSIS-SVD `derivedFrom` at every level (peripheral, cluster, register, field, enumeratedValues).
 *
 * A derived element is the base element with the derived element's own children laid over it: a child
 * tag the derived element writes replaces every child of that tag in the base (so `<fields>` or
 * `<registers>` replace the whole list, as svdconv and svd-rs do). Groups of tags that only make sense
 * together (the dim group, the bit-position forms, alternateGroup/alternateRegister) are replaced as a
 * group. Interrupts are never inherited: an IRQ number belongs to one peripheral.
 *
 * References are plain names (looked up in the enclosing scopes, innermost first) or dotted paths
 * (`PERIPH.REG`, `PERIPH.CLUSTER.REG`, `PERIPH.REG.FIELD`), absolute or relative to the peripheral.
 */

const TAG_GROUPS: readonly (readonly string[])[] = [
  ['dim', 'dimIncrement', 'dimIndex', 'dimName', 'dimArrayIndex'],
  ['bitOffset', 'bitWidth', 'lsb', 'msb', 'bitRange'],
  ['alternateGroup', 'alternateRegister'],
];
const GROUP_OF = new Map<string, readonly string[]>(TAG_GROUPS.flatMap((g) => g.map((tag) => [tag, g] as const)));
const NEVER_INHERITED = new Set(['interrupt']);

export function mergeDerived(base: XmlElement, derived: XmlElement): XmlElement {
  const replaced = new Set<string>(NEVER_INHERITED);
  for (const c of derived.children) {
    replaced.add(c.local);
    for (const tag of GROUP_OF.get(c.local) ?? []) replaced.add(tag);
  }
  const inherited = base.children.filter((c) => !replaced.has(c.local));
  // The derived element's own attributes win, but derivedFrom itself has been applied.
  return elementWithChildren(derived, [...inherited, ...derived.children]);
}

export type SvdKind = 'peripheral' | 'cluster' | 'register' | 'field' | 'enumeratedValues';

/** Elements a container holds, by the kind of container. */
function members(container: XmlElement): XmlElement[] {
  switch (container.local) {
    case 'device':
      // Raw peripherals: resolving them all here would make a peripheral's own lookup see itself as a cycle.
      return (child(container, 'peripherals')?.children ?? []).filter((c) => c.local === 'peripheral');
    case 'peripheral':
      return (child(container, 'registers')?.children ?? []).filter((c) => c.local === 'register' || c.local === 'cluster');
    case 'cluster':
      return container.children.filter((c) => c.local === 'register' || c.local === 'cluster');
    case 'register':
      return (child(container, 'fields')?.children ?? []).filter((c) => c.local === 'field');
    case 'field':
      return container.children.filter((c) => c.local === 'enumeratedValues');
    default:
      return [];
  }
}

function nameMatches(element: XmlElement, wanted: string): boolean {
  const name = childText(element, 'name');
  return name !== undefined && (name === wanted || stripDimPlaceholder(name) === wanted);
}

export interface Found {
  readonly element: XmlElement;
  /** The containers from the device down to the element's parent (its scopes). */
  readonly scopes: readonly XmlElement[];
}

function walk(
  container: XmlElement,
  chain: readonly XmlElement[],
  segments: readonly string[],
  kind: SvdKind,
  resolvePeripheral: (p: XmlElement) => XmlElement,
): Found | undefined {
  const [first, ...rest] = segments;
  if (first === undefined) return undefined;
  for (const m of members(container)) {
    if (!nameMatches(m, first)) continue;
    if (rest.length === 0) {
      if (m.local === kind) return { element: m, scopes: [...chain, container] };
      continue;
    }
    const found = walk(m.local === 'peripheral' ? resolvePeripheral(m) : m, [...chain, container], rest, kind, resolvePeripheral);
    if (found) return found;
  }
  return undefined;
}

/** Finds the element a `derivedFrom` names, searching the scopes innermost first. */
export function lookup(ref: string, scopes: readonly XmlElement[], kind: SvdKind, resolvePeripheral: (p: XmlElement) => XmlElement): Found | undefined {
  const segments = ref.split('.').map((s) => s.trim());
  for (let i = scopes.length - 1; i >= 0; i--) {
    const container = scopes[i] as XmlElement;
    const found = walk(container, scopes.slice(0, i), segments, kind, resolvePeripheral);
    if (found) return found;
  }
  return undefined;
}

/**
 * Resolves derivation for one element, recursively (the base may itself be derived). Reports unknown
 * references and cycles as located errors and falls back to the element as written.
 */
export class Deriver {
  private readonly resolved = new Map<XmlElement, XmlElement>();
  private readonly resolving = new Set<XmlElement>();
  private enumIndex: Map<string, Found> | undefined;
  /** Elements that were derived from another (for the derived-overlap check). */
  readonly derivedElements = new WeakSet<XmlElement>();

  constructor(
    private readonly device: XmlElement,
    private readonly source: SourceText,
    private readonly diagnostics: DiagnosticCollector,
  ) {}

  readonly resolvePeripheral = (p: XmlElement): XmlElement => this.resolve(p, [this.device], 'peripheral');

  resolve(element: XmlElement, scopes: readonly XmlElement[], kind: SvdKind): XmlElement {
    const ref = attribute(element, 'derivedFrom');
    if (ref === undefined) return element;
    const cached = this.resolved.get(element);
    if (cached) return cached;
    // Made only for a finding: a span looked up for every derived element sent the line lookups backwards.
    const span = (): SourceSpan => this.source.span(...elementRange(element));
    if (this.resolving.has(element)) {
      this.diagnostics.error('svd/derivation-cycle', `derivedFrom="${ref}" leads back to this ${kind}: the derivation is a cycle`, span());
      return element;
    }
    this.resolving.add(element);
    try {
      const found = lookup(ref, scopes, kind, this.resolvePeripheral) ?? (kind === 'enumeratedValues' ? this.enumByName(ref) : undefined);
      if (!found || found.element === element) {
        this.diagnostics.error('svd/unknown-derived-from', `derivedFrom="${ref}": no ${kind} of that name is visible from here`, span(), {
          hint: 'use the name of a sibling, or a dotted path such as PERIPHERAL.REGISTER',
        });
        this.resolved.set(element, element);
        return element;
      }
      const base = this.resolve(found.element, found.scopes, kind);
      const merged = mergeDerived(base, element);
      this.derivedElements.add(merged);
      this.resolved.set(element, merged);
      return merged;
    } finally {
      this.resolving.delete(element);
    }
  }

  /** Named enumeratedValues anywhere in the device, first in document order, for plain-name references. */
  private enumByName(ref: string): Found | undefined {
    if (!this.enumIndex) {
      const index = new Map<string, Found>();
      const visit = (element: XmlElement, chain: readonly XmlElement[]): void => {
        for (const c of element.children) {
          if (c.local === 'enumeratedValues') {
            const name = childText(c, 'name');
            if (name !== undefined && !index.has(name)) index.set(name, { element: c, scopes: [...chain, element] });
          } else if (c.children.length > 0) {
            // Wrapper elements (registers, fields) in the chain are harmless: they have no members.
            visit(c, [...chain, element]);
          }
        }
      };
      visit(this.device, []);
      this.enumIndex = index;
    }
    const last = ref.split('.').pop() ?? ref;
    return this.enumIndex.get(ref) ?? this.enumIndex.get(last);
  }
}
