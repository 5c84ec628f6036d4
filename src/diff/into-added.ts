import type { Entity } from './entities.ts';
import { roleChanged } from './evidence.ts';
import { BY_CONTENT, pair, type Matching } from './matching.ts';
import { groupBy } from './group-by.ts';

/**
 * Registers re-organised as a set, and fields moved out into registers that are new:
 *
 * - `pairRegisterSets`: k unpaired old registers and k unpaired new registers of a peripheral pair
 *   where each old one keeps at least half of its field names in every new one of the set and in no
 *   register outside it (three PLL configuration registers `PLLCFGR`, `PLLSAI1CFGR`, `PLLSAI2CFGR`
 *   → `PLL1CFGR`, `PLL2CFGR`, `PLL3CFGR`): the contents cannot tell them apart, so the set keeps
 *   its order — the first continues the first. A set of one is left to the other passes.
 * - `pairFieldsIntoAddedRegisters`: a paired register whose fields that did not stay with its
 *   counterpart (two or more: unpaired, or paired by a weaker pass into some added register)
 *   reappear together in one added register of the new peripheral — under their names
 *   (`PLLCFGR.PLLN/PLLP/PLLQ/PLLR` → the new `PLL1DIVR`), or all with one short affix taken or
 *   dropped (`SR.EOP/WRPERR/…` → the new `ISR.EOPF/WRPERRF/…`; a flag suffix leaves the pairing
 *   uncertain, an enable taken is another bit and never counts): moved there together, not
 *   removed. When several added registers hold as many, the one where they keep their access, then
 *   the one whose name keeps most of the register's or its counterpart's name at either end
 *   (`PLL1CFGR` → `PLL1DIVR`, not `PLL2DIVR`; `SR` → `ISR`, not `ICR`) takes them; a tie pairs
 *   nothing.
 */
export function pairRegisterSets(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [op, np] of peripheralPairs) {
    const olds = op.children.filter((r) => unpaired(matching, r) && r.children.length >= 2);
    const news = np.children.filter((r) => !matching.byNew.has(r) && !matching.inArray.has(r) && r.children.length >= 2);
    if (olds.length < 2 || news.length < 2) continue;
    const namesOf = new Map<Entity, Set<string>>([...olds, ...news].map((r) => [r, new Set(r.children.map((f) => f.name))]));
    const keeps = (o: Entity, n: Entity): boolean => keepsHalf(namesOf.get(o)!, namesOf.get(n)!);
    // Of the new registers keeping half of its names, those keeping the most (a register that took
    // only its dividers is not its continuation when another took more).
    const candidates = new Map(
      olds.map((o) => [
        o,
        mostShared(
          namesOf.get(o)!,
          news.filter((n) => keeps(o, n)),
          namesOf,
        ),
      ]),
    );
    const done = new Set<Entity>();
    for (const o of olds) {
      if (done.has(o)) continue;
      const set = candidates.get(o)!;
      if (set.length < 2) continue;
      const peers = olds.filter((p) => sameList(candidates.get(p)!, set));
      // Every new register of the set is claimed by those old ones and no other.
      if (peers.length !== set.length || set.some((n) => olds.some((p) => !peers.includes(p) && keeps(p, n)))) continue;
      const byPosition = (a: Entity, b: Entity): number => a.position - b.position;
      const sortedNew = [...set].sort(byPosition);
      [...peers].sort(byPosition).forEach((p, i) => {
        done.add(p);
        pair(matching, p, sortedNew[i]!, BY_CONTENT);
      });
    }
  }
}

export function pairFieldsIntoAddedRegisters(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [op, np] of peripheralPairs) {
    const added = np.children.filter((r) => !matching.byNew.has(r) && !matching.inArray.has(r));
    if (added.length === 0) continue;
    const isAdded = new Set(added);
    const taken = new Set<Entity>();
    for (const register of op.children) {
      const counterpart = matching.byOld.get(register)?.to;
      if (!counterpart) continue;
      // Fields that did not stay with the register's counterpart: unpaired, or paired into an added register.
      const left = register.children.filter((f) => {
        const to = matching.byOld.get(f)?.to;
        return to ? isAdded.has(to.parent!) : !matching.inArray.has(f);
      });
      if (left.length < 2) continue;
      // A namesake another pass paired only uncertainly is free: that guess is no evidence.
      const free = (f: Entity, g: Entity): boolean => {
        const holder = matching.byNew.get(g);
        return !matching.inArray.has(g) && (holder === undefined || holder === f || matching.byOld.get(holder)?.uncertain === true);
      };
      const namesakes = (d: Entity): [Entity, Entity][] => {
        const candidates = left.flatMap((f) => d.children.map((g): [Entity, Entity] => [f, g]));
        const byAffix = groupBy(candidates, ([f, g]) => (free(f, g) ? affixBetween(f.squashed, g.squashed) : undefined));
        // The same names first, else the one affix most of them took (`EOP` → `EOPF`, `WRPERR` → `WRPERRF`).
        let best = byAffix.get('') ?? [];
        for (const affix of [...byAffix.keys()].sort()) if (byAffix.get(affix)!.length > best.length) best = byAffix.get(affix)!;
        return best;
      };
      const found = new Map(added.filter((d) => !taken.has(d)).map((d) => [d, namesakes(d)]));
      const most = Math.max(0, ...[...found.values()].map((p) => p.length));
      if (most < 2) continue;
      // Ties: the register where they keep their access (flags read in a status register, not
      // written in a clear one), then the name continuing the register's or its counterpart's.
      const sameAccess = (d: Entity): number => found.get(d)!.filter(([f, g]) => f.sw === g.sw).length;
      const holders = bestBy(
        [...found].filter(([, p]) => p.length === most).map(([d]) => d),
        sameAccess,
      );
      const target = holders.length === 1 ? holders[0] : soleBest(bestBy(holders, (d) => nameKept(d.name, [register.name, counterpart.name])));
      if (!target) continue;
      taken.add(target);
      for (const [f, g] of found.get(target)!) {
        // A flag suffix taken on the way is the same event named as a flag, for a person to confirm.
        pair(matching, f, g, roleChanged(f.squashed, g.squashed) ? { ...BY_CONTENT, uncertain: true } : BY_CONTENT);
      }
    }
  }
}

/** Longest affix a moved field may take or drop: a flag's `F`, an `IF`, a short prefix. */
const MAX_AFFIX = 3;

/**
 * How `b` differs from `a` by letters at one end (`''` when equal), if it does: `s+f` for `EOP` →
 * `EOPF`. An enable or DMA enable taken or dropped is another bit of the function, never the field.
 */
function affixBetween(a: string, b: string): string | undefined {
  if (a === b) return '';
  const [short, long, sign] = a.length < b.length ? [a, b, '+'] : [b, a, '-'];
  if (short.length < 2 || long.length - short.length > MAX_AFFIX) return undefined;
  const end = long.startsWith(short)
    ? `s${sign}${long.slice(short.length)}`
    : long.endsWith(short)
      ? `p${sign}${long.slice(0, long.length - short.length)}`
      : undefined;
  if (end === undefined) return undefined;
  return roleChanged(a, b) && !FLAG_AFFIXES.has(end.slice(2)) ? undefined : end;
}

const FLAG_AFFIXES: ReadonlySet<string> = new Set(['f', 'if']);

/** The registers scoring highest. */
function bestBy(registers: readonly Entity[], score: (r: Entity) => number): Entity[] {
  const scores = registers.map(score);
  const top = Math.max(...scores);
  return registers.filter((_, i) => scores[i] === top);
}

function unpaired(matching: Matching, e: Entity): boolean {
  return !matching.byOld.has(e) && !matching.inArray.has(e);
}

function mostShared(old: ReadonlySet<string>, news: readonly Entity[], namesOf: ReadonlyMap<Entity, ReadonlySet<string>>): Entity[] {
  const shared = new Map(news.map((n) => [n, [...old].filter((name) => namesOf.get(n)!.has(name)).length]));
  const most = Math.max(0, ...shared.values());
  return news.filter((n) => shared.get(n) === most);
}

/** At least half of the old register's field names, and two or more, are in the new one. */
function keepsHalf(old: ReadonlySet<string>, next: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const name of old) if (next.has(name)) shared++;
  return shared >= 2 && 2 * shared >= old.size;
}

function sameList(a: readonly Entity[], b: readonly Entity[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * How many letters of one of `names` the name keeps at its start or its end: `PLL1CFGR` →
 * `PLL1DIVR` 4 (`PLL2DIVR` 3), `SR` → `ISR` 2 (`ICR` 1).
 */
export function nameKept(name: string, names: readonly string[]): number {
  let best = 0;
  for (const other of names) {
    let start = 0;
    while (start < name.length && start < other.length && name[start] === other[start]) start++;
    let end = 0;
    while (end < name.length && end < other.length && name[name.length - 1 - end] === other[other.length - 1 - end]) end++;
    best = Math.max(best, start, end);
  }
  return best;
}

function soleBest(registers: readonly Entity[]): Entity | undefined {
  return registers.length === 1 ? registers[0] : undefined;
}
