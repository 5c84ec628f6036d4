import type { Entity } from './entities.ts';
import { describedAlikeBy, describedApart, nameEvidence } from './evidence.ts';

/**
 * A register renamed in place with every field renamed: its name, its description and its fields'
 * names all changed, but it sits alone at its address on both sides and its fields occupy the same
 * bits with the same widths and access (a field array counts as its elements, so `ALRDPROT[2]` at
 * bits 0..1 lays out like the scalars `ALRASEC`, `ALRBSEC`). The layout is the content evidence the
 * names no longer give; inside such a register pair, a field pairs with the one field at its bits.
 */

/** Distinct field bits a layout needs to identify a register by itself: one or two flags say little. */
const MIN_LAYOUT_FIELDS = 3;

/** Letters two field names must share at their start to count as one name re-suffixed (`WUTDPROT` → `WUTSEC`). */
const MIN_SHARED_STEM = 2;

/** Every occupied bit range of a register with its access, field arrays expanded, in bit order. */
export function expandedLayout(register: Entity): string {
  const slots: { bit: number; key: string }[] = [];
  for (const f of register.children) {
    const bits = f.elements.length > 0 ? f.elements.map((e) => e.position) : [f.position];
    for (const bit of bits) slots.push({ bit, key: `${bit}:${f.width}:${f.access}` });
  }
  return slots
    .sort((a, b) => a.bit - b.bit)
    .map((s) => s.key)
    .join(',');
}

function layoutSize(register: Entity): number {
  return register.children.reduce((n, f) => n + Math.max(1, f.elements.length), 0);
}

/**
 * Unpaired scalar registers alone at their address (and size) on both sides of a peripheral pair, with
 * other names and identical field layouts: paired when the layout has at least three fields or the descriptions
 * agree, and the descriptions are not apart.
 */
export function sameLayoutRegisters(olds: readonly Entity[], news: readonly Entity[]): [Entity, Entity][] {
  const alone = (list: readonly Entity[]): Map<string, Entity> => {
    const seen = new Map<string, Entity | null>();
    for (const e of list) {
      if (e.kind !== 'register' || e.dims.length > 0 || e.children.length === 0) continue;
      const key = `${e.absolute}:${e.width}`;
      seen.set(key, seen.has(key) ? null : e);
    }
    return new Map([...seen].filter((entry): entry is [string, Entity] => entry[1] !== null));
  };
  const newAt = alone(news);
  const pairs: [Entity, Entity][] = [];
  for (const [key, o] of alone(olds)) {
    const n = newAt.get(key);
    if (!n || n.squashed === o.squashed || describedApart(o, n) || expandedLayout(o) !== expandedLayout(n)) continue;
    if (layoutSize(o) >= MIN_LAYOUT_FIELDS || describedAlikeBy(o, n)) pairs.push([o, n]);
  }
  return pairs;
}

/** Both registers of a pair renamed with every field renamed, laid out bit for bit alike. */
function renamedWholesale(o: Entity, n: Entity): boolean {
  if (o.squashed === n.squashed) return false;
  for (const name of o.childNames) if (n.childNames.has(name)) return false;
  return expandedLayout(o) === expandedLayout(n);
}

/**
 * Inside a register pair renamed wholesale (`renamedWholesale`), the one unpaired field at each bit
 * pairs with the one at the same bit, width and access on the other side. The caller marks a pair
 * uncertain unless `sameStem` also holds.
 */
export function sameLayoutFields(olds: readonly Entity[], news: readonly Entity[], counterpart: (e: Entity) => Entity | undefined): [Entity, Entity][] {
  const slot = (e: Entity): string => `${e.parent?.path}:${e.position}:${e.width}:${e.access}:${e.shape}`;
  const unique = (list: readonly Entity[]): Map<string, Entity> => {
    const seen = new Map<string, Entity | null>();
    for (const e of list) if (e.kind === 'field') seen.set(slot(e), seen.has(slot(e)) ? null : e);
    return new Map([...seen].filter((entry): entry is [string, Entity] => entry[1] !== null));
  };
  const newAt = unique(news);
  const verdicts = new Map<Entity, boolean>();
  const pairs: [Entity, Entity][] = [];
  for (const o of unique(olds).values()) {
    const register = o.parent;
    const other = register ? counterpart(register) : undefined;
    if (!register || !other) continue;
    let wholesale = verdicts.get(register);
    if (wholesale === undefined) verdicts.set(register, (wholesale = renamedWholesale(register, other)));
    if (!wholesale) continue;
    const n = newAt.get(`${other.path}:${o.position}:${o.width}:${o.access}:${o.shape}`);
    if (n) pairs.push([o, n]);
  }
  return pairs;
}

/**
 * The names still say the same thing: related names, descriptions that agree, a shared stem
 * (`WUTDPROT` → `WUTSEC`), or each named after its own register (`CMP.CMP` → `CCR.CCR`).
 */
export function sameStem(o: Entity, n: Entity): boolean {
  if (nameEvidence(o, n) || describedAlikeBy(o, n)) return true;
  if (o.parent && n.parent && o.squashed === o.parent.squashed && n.squashed === n.parent.squashed) return true;
  let shared = 0;
  while (shared < o.squashed.length && o.squashed[shared] === n.squashed[shared]) shared++;
  return shared >= MIN_SHARED_STEM && /[a-z]/.test(o.squashed.slice(0, shared));
}
