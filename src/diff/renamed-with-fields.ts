import type { Entity } from './entities.ts';
import { describedApart } from './evidence.ts';
import { BY_CONTENT, pair, unpair, type Matching } from './matching.ts';
import { mutuallyStrongest, mutuallyUniquePairs } from './unique-pairs.ts';
import { groupBy } from './group-by.ts';

/**
 * A register renamed (and often moved) whose fields were renamed the same way: flash L4 `SR` → L5
 * `NSSR` with `EOP` → `NSEOP`, `BSY` → `NSBSY`…; rcc L1 `AHBLPENR` → L0 `AHBSMENR` with `DMA1LPEN`
 * → `DMA1SMEN`. Field by field nothing identifies them (each prefixed name has several alike
 * candidates, and the registers share too few names to pair by their fields), but together they
 * do: the register's own name changed by one affix change (`''` → `NS`, `LP` → `SM`) and at least
 * two of its fields' names changed by exactly that one. Runs after the field level (so the fields
 * that kept their names and moved with the register count for it) and pairs:
 *  - the register with the one unpaired register it continues that way, when the choice is unique
 *    both ways (fields continued under their own names decide between two candidates equal
 *    otherwise: flash `SECSR` renames the same fields with `SEC`, but `OPTVERR` went to `NSSR`);
 *  - its unpaired fields with the fields of that register named by the same change, then the
 *    fields left by the identity passes of a paired register (`START` → `NSSTRT` at bit 16);
 *  - its remaining fields with any unpaired field of the peripheral named by the same change,
 *    unique both ways (rcc `AHBLPENR.GPIOALPEN` → the new `GPIOSMEN.GPIOASMEN`), uncertain when
 *    their wordings are apart.
 * A change of digits alone names another instance (`CH1` → `CH2`), never the same node renamed.
 */
export function pairRenamedWithTheirFields(
  matching: Matching,
  peripheralPairs: readonly (readonly [Entity, Entity])[],
  pairInPlace: (olds: readonly Entity[], news: readonly Entity[]) => void,
): void {
  for (const [oldPeripheral, newPeripheral] of peripheralPairs) {
    const olds = oldPeripheral.children.filter((r) => unpairedRegister(matching, r, 'old'));
    const news = newPeripheral.children.filter((r) => unpairedRegister(matching, r, 'new'));
    if (olds.length === 0 || news.length === 0) continue;
    const candidates = olds.flatMap((o) =>
      news.flatMap((n) => affixChanges(o.squashed, n.squashed).flatMap((change) => support(matching, o, n, change) ?? [])),
    );
    // Each register's strongest candidate, none when two tie.
    for (const c of mutuallyStrongest(candidates, stronger)) {
      const o = c.o;
      pair(matching, o, c.n, BY_CONTENT);
      // (A field of `c.n` may have been taken by an earlier register's renamed-elsewhere fields.)
      for (const [f, g] of c.renamed) if (!matching.byNew.has(g)) pair(matching, f, g, BY_CONTENT);
      // The fields left see the identity passes the field level gives paired registers (START → NSSTRT at bit 16).
      pairInPlace(
        o.children.filter((f) => !matching.byOld.has(f)),
        c.n.children.filter((g) => !matching.byNew.has(g)),
      );
      pairTheSameRenameElsewhere(matching, o, c.change, unpairedFieldsByName(matching, newPeripheral));
    }
  }
}

/**
 * Register level, right after scoring and before any field is paired: a scored register pairing
 * that the rule above would not make. When the old register continues in its scored partner by one
 * affix change of its own name and of at least two of its fields' names (`SR` → `NSSR`, `DONE` →
 * `NSDONE`), and another unpaired register of the peripheral continues it at least as well (`SECSR`
 * with `SECDONE`…, as many fields kept under their own names), the score chose between two copies on
 * what the names alone resemble. The pairing is withdrawn: after the field level the rule above pairs
 * the one copy its fields favour, or neither when they tie.
 */
export function withdrawScoredTies(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [oldPeripheral, newPeripheral] of peripheralPairs) {
    let rivals: Entity[] | undefined;
    for (const o of oldPeripheral.children) {
      const scored = matching.byOld.get(o);
      if (scored?.how !== 'scored') continue;
      const chosen = copySupport(o, scored.to);
      if (!chosen) continue;
      rivals ??= newPeripheral.children.filter((n) => unpairedRegister(matching, n, 'new'));
      const atLeastAsGood = (n: Entity): boolean => {
        const rival = n === scored.to ? undefined : copySupport(o, n);
        return rival !== undefined && stronger(rival, chosen) >= 0;
      };
      if (rivals.some(atLeastAsGood)) unpair(matching, o);
    }
  }
}

/** How well a new register continues an old one by one affix change, its fields not paired yet: the best change. */
function copySupport(o: Entity, n: Entity): Support | undefined {
  let best: Support | undefined;
  for (const change of affixChanges(o.squashed, n.squashed)) {
    const renamed = uniquePairs(o.children, n.children, change);
    if (renamed.length < 2) continue;
    const kept = o.children.filter((f) => n.childNames.has(f.squashed)).length;
    const candidate: Support = { o, n, change, kept, renamed };
    if (!best || stronger(candidate, best) > 0) best = candidate;
  }
  return best;
}

/** How far an old register's fields continue in a new one under one affix change. */
interface Support {
  readonly o: Entity;
  readonly n: Entity;
  readonly change: string;
  /** Fields of `o` already paired into `n` (under their own names, mostly). */
  readonly kept: number;
  /** Unpaired fields of `o` and `n` named by `change`, unique both ways. */
  readonly renamed: readonly (readonly [Entity, Entity])[];
}

function unpairedRegister(matching: Matching, r: Entity, side: 'old' | 'new'): boolean {
  if (r.children.length < 2 || matching.inArray.has(r)) return false;
  return side === 'old' ? !matching.byOld.has(r) : !matching.byNew.has(r);
}

function support(matching: Matching, o: Entity, n: Entity, change: string): Support | undefined {
  const renamed = uniquePairs(
    o.children.filter((f) => !matching.byOld.has(f)),
    n.children.filter((g) => !matching.byNew.has(g)),
    change,
  );
  const paired = n.children.filter((g) => matching.byNew.get(g)?.parent === o);
  // Fields already paired into `n` under the same change (CRCLPEN → CRCSMEN, paired on its wording) count too.
  const following = paired.filter((g) => renamedBy(matching.byNew.get(g)!.squashed, g.squashed, change)).length;
  if (renamed.length + following < 2) return undefined;
  return { o, n, change, kept: paired.length, renamed };
}

/** Fields continued under their own names weigh first, then fields renamed by the change. */
function stronger(a: Support, b: Support): number {
  return a.kept - b.kept || a.renamed.length - b.renamed.length;
}

/** Pairs of `olds` × `news` whose names differ by `change`, each the other's only such partner. */
function uniquePairs(olds: readonly Entity[], news: readonly Entity[], change: string): [Entity, Entity][] {
  return mutuallyUniquePairs(
    olds,
    news,
    () => 0,
    (f, g) => renamedBy(f.squashed, g.squashed, change),
  );
}

/**
 * Every paired register, whichever pass paired it (by content, as a set in order…): its remaining
 * fields renamed into another register of the peripheral by the register's own affix change, or by
 * a convention of the peripheral — an affix change of two letters or more that three or more of its
 * paired fields were renamed by — follow, unique both ways (rcc `APB3SMENR` → `APB3SLPENR`; `SPI3SMEN` →
 * `APB1SLPENR1.SPI3SLPEN`, `m` → `lp` as every sleep enable). Runs after every register pairing pass.
 */
export function pairTheSameRenameElsewhereForEveryPair(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [oldPeripheral, newPeripheral] of peripheralPairs) {
    let conventions: string[] | undefined;
    let newsByName: Map<string, Entity[]> | undefined;
    for (const o of oldPeripheral.children) {
      const n = matching.byOld.get(o)?.to;
      if (!n || o.children.length === 0 || o.children.every((f) => matching.byOld.has(f))) continue;
      conventions ??= renameConventions(matching, oldPeripheral);
      newsByName ??= unpairedFieldsByName(matching, newPeripheral);
      const changes = [...new Set([...affixChanges(o.squashed, n.squashed), ...conventions])];
      for (const change of changes) pairTheSameRenameElsewhere(matching, o, change, newsByName);
    }
  }
}

/** Affix changes three or more paired fields of the peripheral were renamed by. */
function renameConventions(matching: Matching, peripheral: Entity): string[] {
  const counts = new Map<string, number>();
  for (const r of peripheral.children)
    for (const f of r.children) {
      const g = matching.byOld.get(f)?.to;
      if (g) for (const change of affixChanges(f.squashed, g.squashed)) counts.set(change, (counts.get(change) ?? 0) + 1);
    }
  // A one-letter change (`>s`) is too common to be a convention: `PRIV` → `SPRIV` is another bit.
  return [...counts].filter(([change, count]) => count >= 3 && change.length > 2).map(([change]) => change);
}

/**
 * The remaining fields of a register paired by `change`, renamed the same way into another
 * register of the peripheral (rcc L0 moved the GPIO sleep enables out of `AHBSMENR` into `GPIOSMEN`).
 */
function pairTheSameRenameElsewhere(matching: Matching, o: Entity, change: string, newsByName: ReadonlyMap<string, readonly Entity[]>): void {
  const [from, to] = change.split('>') as [string, string];
  // Each unpaired field's candidates: its name with `from` replaced by `to` wherever it occurs, still unpaired.
  const candidates = new Map<Entity, Entity[]>();
  const olds = new Map<Entity, Entity[]>();
  for (const f of o.children) {
    if (matching.byOld.has(f)) continue;
    const found = new Set<Entity>();
    for (let i = 0; i + from.length <= f.squashed.length; i++) {
      if (!f.squashed.startsWith(from, i)) continue;
      const name = f.squashed.slice(0, i) + to + f.squashed.slice(i + from.length);
      for (const g of newsByName.get(name) ?? []) if (!matching.byNew.has(g) && renamedBy(f.squashed, g.squashed, change)) found.add(g);
    }
    candidates.set(f, [...found]);
    for (const g of found) olds.set(g, [...(olds.get(g) ?? []), f]);
  }
  for (const [f, gs] of candidates) {
    const g = gs.length === 1 ? gs[0]! : undefined;
    if (g && olds.get(g)?.length === 1) pair(matching, f, g, describedApart(f, g) ? { ...BY_CONTENT, uncertain: true } : BY_CONTENT);
  }
}

/** The unpaired fields of a peripheral (registers in array groups left out), by squashed name. */
function unpairedFieldsByName(matching: Matching, peripheral: Entity): Map<string, Entity[]> {
  const fields = peripheral.children.filter((r) => !matching.inArray.has(r)).flatMap((r) => r.children);
  return groupBy(fields, (g) => (matching.byNew.has(g) ? undefined : g.squashed));
}

/**
 * What turns name `a` into name `b` (squashed): the differing middles once a common prefix and
 * suffix are set aside, as `from>to` (`eop` → `nseop`: `>ns`; `dma1lpen` → `dma1smen`: `lp>sm`).
 * Both alignments, prefix first and suffix first: `sr` → `secsr` is `>ecs` one way, `>sec` the
 * other, as `eop` → `seceop` is. Empty for equal names and when only digits differ (another
 * instance: `cc1ie` → `cc2ie`).
 */
export function affixChanges(a: string, b: string): string[] {
  if (a === b) return [];
  const out: string[] = [];
  for (const prefixFirst of [true, false]) {
    let p = 0;
    let s = 0;
    const prefix = (): void => {
      while (p < a.length - s && p < b.length - s && a[p] === b[p]) p++;
    };
    const suffix = (): void => {
      while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
    };
    if (!prefixFirst) suffix();
    prefix();
    suffix();
    const from = a.slice(p, a.length - s);
    const to = b.slice(p, b.length - s);
    const change = `${from}>${to}`;
    if (!(/^[0-9]*$/.test(from) && /^[0-9]*$/.test(to)) && !out.includes(change)) out.push(change);
  }
  return out;
}

/** Whether `change` is one of the ways from name `a` to name `b`. */
function renamedBy(a: string, b: string, change: string): boolean {
  return affixChanges(a, b).includes(change);
}
