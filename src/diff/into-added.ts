import type { Entity } from './entities.ts';
import { BY_CONTENT, pair, type Matching } from './matching.ts';

/**
 * Registers re-organised as a set, and fields moved out into registers that are new:
 *
 * - `pairRegisterSets`: k unpaired old registers and k unpaired new registers of a peripheral pair
 *   where each old one keeps at least half of its field names in every new one of the set and in no
 *   register outside it (three PLL configuration registers `PLLCFGR`, `PLLSAI1CFGR`, `PLLSAI2CFGR`
 *   → `PLL1CFGR`, `PLL2CFGR`, `PLL3CFGR`): the contents cannot tell them apart, so the set keeps
 *   its order — the first continues the first. A set of one is left to the other passes.
 * - `pairFieldsIntoAddedRegisters`: a paired register whose unpaired fields (two or more of them)
 *   (unpaired, or paired by a weaker pass into some added register) reappear together, by name, in
 *   one added register of the new peripheral (`PLLCFGR.PLLN/PLLP/PLLQ/PLLR`
 *   → the new `PLL1DIVR`): moved there together, not removed. When several added registers hold
 *   those names (`PLL1DIVR`…`PLL3DIVR`), the one whose name shares the longest start with the
 *   counterpart's name (`PLL1CFGR` → `PLL1DIVR`) takes them; a tie decides nothing and nothing is
 *   paired.
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
      const namesakes = (d: Entity): [Entity, Entity][] =>
        left.flatMap((f): [Entity, Entity][] => {
          const g = d.children.find((c) => c.name === f.name && !matching.inArray.has(c));
          // A namesake another pass paired only uncertainly is free: that guess is no evidence.
          const holder = g ? matching.byNew.get(g) : undefined;
          return g && (holder === undefined || holder === f || matching.byOld.get(holder)?.uncertain) ? [[f, g]] : [];
        });
      const found = new Map(added.filter((d) => !taken.has(d)).map((d) => [d, namesakes(d)]));
      const most = Math.max(0, ...[...found.values()].map((p) => p.length));
      if (most < 2) continue;
      const holders = [...found].filter(([, p]) => p.length === most).map(([d]) => d);
      const target = holders.length === 1 ? holders[0] : longestSharedStart(counterpart.name, holders);
      if (!target) continue;
      taken.add(target);
      for (const [f, g] of found.get(target)!) {
        const before = matching.byOld.get(f)?.to;
        if (before) matching.byNew.delete(before);
        const rival = matching.byNew.get(g);
        if (rival && rival !== f) matching.byOld.delete(rival);
        pair(matching, f, g, BY_CONTENT);
      }
    }
  }
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

/** The one register whose name starts like `name` for strictly more characters than any other. */
function longestSharedStart(name: string, registers: readonly Entity[]): Entity | undefined {
  const shared = (other: string): number => {
    let i = 0;
    while (i < name.length && i < other.length && name[i] === other[i]) i++;
    return i;
  };
  let best: Entity | undefined;
  let bestLength = -1;
  let tied = false;
  for (const r of registers) {
    const length = shared(r.name);
    if (length > bestLength) [best, bestLength, tied] = [r, length, false];
    else if (length === bestLength) tied = true;
  }
  return tied ? undefined : best;
}
