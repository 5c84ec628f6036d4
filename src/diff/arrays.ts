import type { ArrayElement, Entity } from './entities.ts';
import { describedAlikeBy, nameEvidence } from './evidence.ts';
import { squash } from './names.ts';
import { groupBy } from './group-by.ts';

/** Scalars gathered into one array at the addresses of its elements, or the reverse. */
export interface ArrayGroup {
  readonly direction: 'collected' | 'expanded';
  /** The array node: new when collected, old when expanded. */
  readonly array: Entity;
  /** The scalar nodes, in element order, with the element index each sits at. */
  readonly scalars: readonly { readonly entity: Entity; readonly index: number }[];
}

/**
 * One scalar alone at an element is that element only when it is named so, its name without index
 * digits is the array's (`CH0` and `CH[n]`), or a resembling name is backed by agreeing wording: a
 * position and a resemblance alone collect unrelated bits (`TAMP1INSEL` 'Tamper 1 mapping' is not
 * the first `TAMPXIE` 'Tamper interrupt enable').
 */
function sameThingAsElement(scalar: Entity, elementName: string, array: Entity): boolean {
  return namedAsElement(scalar, elementName, array) || (nameEvidence(scalar, array) && describedAlikeBy(scalar, array));
}

/** The scalar carries the element's name, or the array's without index digits (`CH0` and `CH[n]`). */
function namedAsElement(scalar: Entity, elementName: string, array: Entity): boolean {
  return scalar.squashed === squash(elementName) || scalar.squashed.replace(/[0-9]+/g, '') === array.squashed.replace(/[0-9]+/g, '');
}

/**
 * Both scalars, both arrays, a scalar re-shaped (wider than an element: `WRPROT[32]` of one bit each
 * → `WRP2[31:0]`), or a scalar that is the array's element at its position by `sameThingAsElement`.
 */
export function shapesAgree(a: Entity, b: Entity): boolean {
  if ((a.dims.length === 0) === (b.dims.length === 0)) return true;
  const [scalar, array] = a.dims.length === 0 ? [a, b] : [b, a];
  if (scalar.width !== array.width) return true;
  const element = array.elements.find((e) => e.position === scalar.position);
  return element !== undefined && sameThingAsElement(scalar, element.name, array);
}

/**
 * Scalars ↔ array at unchanged addresses with unchanged contents: every scalar sits exactly at one
 * element's position (base + offset for registers), has the array's width and the same content
 * (fields, bits, access, reset). One scalar alone is accepted only under the element's name (or
 * the array's without index digits); two or more are enough on addresses and layout.
 */
export function arrayGroups(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): ArrayGroup[] {
  const groups: ArrayGroup[] = [];
  const taken = new Set<Entity>();
  const find = (arrays: readonly Entity[], scalars: readonly Entity[], direction: ArrayGroup['direction']): void => {
    const scalarsAt = groupBy(scalars, (s) => (s.dims.length > 0 ? undefined : s.absolute));
    if (scalarsAt.size === 0) return;
    for (const array of arrays) {
      if (array.kind === 'enum-value' || taken.has(array)) continue;
      const found: { entity: Entity; index: number }[] = [];
      array.elements.forEach((element, index) => {
        const address = addressOf(array, element);
        const here = (scalarsAt.get(address) ?? []).filter((s) => {
          if (taken.has(s) || s.width !== array.width || s.layout !== array.layout) return false;
          return direction === 'collected' ? parentsMatched(s, array) : parentsMatched(array, s);
        });
        // Several same-content scalars at one address (alternates): the one named like the element.
        const pick = here.find((s) => s.squashed === element.name.toLowerCase().replace(/[^a-z0-9]/g, '')) ?? (here.length === 1 ? here[0] : undefined);
        if (pick) found.push({ entity: pick, index });
      });
      if (found.length === 0) continue;
      // One scalar is an element only under the element's name: under another name (ALRE[2] → ALRAE at
      // ALRE0's bit) the array shrank to that scalar, a rename and a re-shape the other passes pair.
      if (found.length === 1 && !namedAsElement(found[0]!.entity, array.elements[found[0]!.index]!.name, array)) continue;
      // One scalar at a later element while another scalar holds the first (SMPR1, SMPR2 → SMPR[2] with
      // SMPR1's bits re-laid): the first continues the array, re-shaped; the other passes pair it.
      if (found.length === 1 && found[0]!.index > 0 && scalarsAt.has(addressOf(array, array.elements[0]!))) continue;
      taken.add(array);
      found.forEach((f) => taken.add(f.entity));
      groups.push({ direction, array, scalars: found });
    }
  };
  find(news, olds, 'collected');
  find(olds, news, 'expanded');
  return groups;
}

/** Where an element sits: absolute for registers (a re-based peripheral with compensating offsets moved nothing). */
function addressOf(array: Entity, element: ArrayElement): number {
  return array.kind === 'register' && array.parent ? array.parent.position + element.position : element.position;
}

/**
 * An array expanded into scalars at only some of its elements (rtc BKPR[20] → RTC_BKP0R, RTC_BKP1R):
 * the other elements are gone and no one scalar continues the array, so the expansion is uncertain
 * and graded as the removal it may hide.
 */
export function partialExpansion(group: ArrayGroup): boolean {
  return group.direction === 'expanded' && group.scalars.length < group.array.elements.length;
}

/**
 * The one scalar ↔ array pair of each group whose children are compared (old node first): the first
 * scalar stands for the collected ones, and an expanded array continues in its first element. Their
 * fields or enumerated values are paired like any paired parent's, so what changed under the array
 * (renamed values, new wording) is reported once, under that pair.
 */
export function representativePairs(groups: readonly ArrayGroup[]): Map<Entity, Entity> {
  const out = new Map<Entity, Entity>();
  for (const g of groups) {
    const first = g.scalars[0]!.entity;
    if (g.direction === 'collected') out.set(first, g.array);
    else out.set(g.array, first);
  }
  return out;
}
