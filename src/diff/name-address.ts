import type { Entity } from './entities.ts';
import { shapesAgree } from './arrays.ts';
import { nameEvidence, numbersDiffer, sharedChildren, unrelatedRegisters } from './evidence.ts';
import { editSimilarity } from './names.ts';

/**
 * Name or address identity beyond the parent: a field whose name occurs once among the unpaired
 * fields of both sides of a peripheral pair moved to another register under that name (USART
 * CR1.RWU → ISR.RWU); a register alone at its address on both sides (an array at its first
 * element's), with a related name or the same fields, was renamed in place (RADIO DATAWHITEIV →
 * DATAWHITE at 0x540; rtc ALRMR[2] → RTC_ALRMAR, re-shaped), and so was the one
 * unpaired field at a bit of a paired register whose name is related (DATAWHITEIV.DATAWHITEIV → IV).
 */
export function nameOrAddressPairs(olds: readonly Entity[], news: readonly Entity[], parentsMatched: (o: Entity, n: Entity) => boolean): [Entity, Entity][] {
  const pairs: [Entity, Entity][] = [];
  const unique = <K>(list: readonly Entity[], key: (e: Entity) => K): Map<K, Entity> => {
    const seen = new Map<K, Entity | null>();
    for (const e of list) seen.set(key(e), seen.has(key(e)) ? null : e);
    return new Map([...seen].filter((entry): entry is [K, Entity] => entry[1] !== null));
  };
  const fieldsOld = unique(
    olds.filter((e) => e.kind === 'field'),
    (e) => e.squashed,
  );
  const fieldsNew = unique(
    news.filter((e) => e.kind === 'field'),
    (e) => e.squashed,
  );
  for (const [name, o] of fieldsOld) {
    const n = fieldsNew.get(name);
    if (n && n.parent !== undefined && o.parent !== undefined) pairs.push([o, n]);
  }
  pairs.push(...namesakesInTheClosestRegister(olds, news, new Set(pairs.flat())));
  // In a paired register, the one unpaired field at an lsb on each side, with a related name (DATAWHITEIV → IV).
  const taken = new Set(pairs.flat());
  const atBit = (e: Entity): string => `${e.parent?.path}:${e.position}`;
  const bitOld = unique(
    olds.filter((e) => e.kind === 'field' && !taken.has(e)),
    atBit,
  );
  const bitNew = unique(
    news.filter((e) => e.kind === 'field' && !taken.has(e)),
    atBit,
  );
  const newByBit = new Map<number, Entity[]>();
  for (const n of bitNew.values()) newByBit.set(n.position, [...(newByBit.get(n.position) ?? []), n]);
  for (const o of bitOld.values()) {
    const n = (newByBit.get(o.position) ?? []).find((x) => parentsMatched(o, x));
    if (n && nameEvidence(o, n) && shapesAgree(o, n)) pairs.push([o, n]);
  }
  // An array counts at its first element's address unless scalars of the other side sit at its
  // other elements: an array shrunk to (or grown from) one register at its base is that register
  // renamed and re-shaped (rtc ALRMR[2] at 0x1C → RTC_ALRMAR at 0x1C, nothing at 0x20); one spread
  // over several scalars is an expansion (arrays.ts), or a removal and additions when the contents
  // changed.
  const scalarsOld = scalarAddresses(olds);
  const scalarsNew = scalarAddresses(news);
  const registersOld = unique(
    olds.filter((e) => e.kind === 'register' && !spreadOver(e, scalarsNew)),
    (e) => `${e.absolute}:${e.width}`,
  );
  const registersNew = unique(
    news.filter((e) => e.kind === 'register' && !spreadOver(e, scalarsOld)),
    (e) => `${e.absolute}:${e.width}`,
  );
  for (const [address, o] of registersOld) {
    const n = registersNew.get(address);
    if (n && ((!unrelatedRegisters(o, n) && (nameEvidence(o, n) || sharedChildren(o, n))) || valueRegisters(o, n))) pairs.push([o, n]);
  }
  pairs.push(...coveringViews(olds, news, new Set(pairs.flat())));
  pairs.push(...sameFieldsElsewhere(olds, news, new Set(pairs.flat()), parentsMatched));
  return pairs;
}

/**
 * A register that became several views of other widths at its address, alone there on its side,
 * continues as the narrowest view that still holds every one of its fields, when the names relate:
 * SPI v2 `DR` (32 bits, data in bits 15..0) → v3 `DR16` (16 bits), not the byte view `DR8` laid
 * over it.
 */
function coveringViews(olds: readonly Entity[], news: readonly Entity[], taken: ReadonlySet<Entity>): [Entity, Entity][] {
  const registers = (list: readonly Entity[]): Entity[] => list.filter((e) => e.kind === 'register' && e.dims.length === 0 && !taken.has(e));
  const oldRegisters = registers(olds).filter((e) => e.children.length > 0);
  const newRegisters = registers(news);
  const pairs: [Entity, Entity][] = [];
  for (const o of oldRegisters) {
    const views = newRegisters.filter((n) => n.absolute === o.absolute && n.width !== o.width);
    if (views.length === 0 || oldRegisters.some((x) => x !== o && x.absolute === o.absolute)) continue;
    const used = Math.max(...o.children.map((f) => f.position + f.width));
    const fitting = views.filter((n) => n.width >= used).sort((a, b) => a.width - b.width);
    const [narrowest, next] = fitting;
    if (narrowest && (next === undefined || next.width > narrowest.width) && nameEvidence(o, narrowest)) pairs.push([o, narrowest]);
  }
  return pairs;
}

/**
 * Two value registers, each holding one field named after it at the same bits (lptim v1c `CMP.CMP`
 * bits 15..0 → n6 `CCR[2]` `CCR.CCR` bits 15..0, at 0x14): at one address, one register renamed.
 */
function valueRegisters(o: Entity, n: Entity): boolean {
  const [f, g] = [o.children[0], n.children[0]];
  return (
    o.children.length === 1 &&
    n.children.length === 1 &&
    f!.squashed === o.squashed &&
    g!.squashed === n.squashed &&
    f!.position === g!.position &&
    f!.width === g!.width
  );
}

/**
 * A field name several new registers hold (per-core copies), at least as many as old ones: each old
 * field continues in the register whose name is strictly the closest to its old register's, each way (rcc WB → WL5
 * `AHB2ENR.ADCEN` → `APB2ENR.ADCEN` and `C2AHB2ENR.ADCEN` → `C2APB2ENR.ADCEN`, not crosswise).
 */
function namesakesInTheClosestRegister(olds: readonly Entity[], news: readonly Entity[], taken: ReadonlySet<Entity>): [Entity, Entity][] {
  const byName = (list: readonly Entity[]): Map<string, Entity[]> => {
    const map = new Map<string, Entity[]>();
    for (const e of list) if (e.kind === 'field' && e.parent && !taken.has(e)) map.set(e.squashed, [...(map.get(e.squashed) ?? []), e]);
    return map;
  };
  const newByName = byName(news);
  const pairs: [Entity, Entity][] = [];
  for (const [name, oldGroup] of byName(olds)) {
    const newGroup = newByName.get(name);
    // Fewer namesakes than old fields: which old one continues is the question, not where (i2c v1
    // `CR1.PEC` and `SR2.PEC` → v2 `PECR.PEC`).
    if (!newGroup || newGroup.length < oldGroup.length || newGroup.length === 1) continue;
    const closeness = (f: Entity, g: Entity): number => editSimilarity(f.parent!.squashed, g.parent!.squashed);
    for (const f of oldGroup) {
      const g = strictlyClosest(newGroup, (x) => closeness(f, x));
      if (g && strictlyClosest(oldGroup, (x) => closeness(x, g)) === f) pairs.push([f, g]);
    }
  }
  return pairs;
}

function strictlyClosest(candidates: readonly Entity[], score: (e: Entity) => number): Entity | undefined {
  let best: Entity | undefined;
  let top = -1;
  let tied = false;
  for (const c of candidates) {
    const x = score(c);
    if (x > top) [best, top, tied] = [c, x, false];
    else if (x === top) tied = true;
  }
  return tied ? undefined : best;
}

/** `address:width` of every scalar register in the list. */
function scalarAddresses(list: readonly Entity[]): Set<string> {
  const out = new Set<string>();
  for (const e of list) if (e.kind === 'register' && e.dims.length === 0) out.add(`${e.absolute}:${e.width}`);
  return out;
}

/** An array register with a scalar of the other side (same width) at one of its elements past the first. */
function spreadOver(register: Entity, scalars: ReadonlySet<string>): boolean {
  if (register.dims.length === 0) return false;
  const base = register.parent?.position ?? 0;
  return register.elements.slice(1).some((element) => scalars.has(`${base + element.position}:${register.width}`));
}

/**
 * A register renamed and moved whose fields largely kept their names, when it is the only such
 * register on both sides: I2C v1 SR1 at 0x14 → v2 ISR at 0x18 (10 of SR1's 14 flags continue) —
 * or, of several, the only one where most shared fields stay readable (or write-only), each way (USART v2
 * `SR` → v3 `ISR`, readable flags, rather than `ICR`, whose write-only clear bits are named after
 * eight of them). Peripherals too, unless numbered differently: USART v2 `UART` → v3 `LPUART`,
 * each file's reduced variant.
 */
function sameFieldsElsewhere(
  olds: readonly Entity[],
  news: readonly Entity[],
  taken: ReadonlySet<Entity>,
  parentsMatched: (o: Entity, n: Entity) => boolean,
): [Entity, Entity][] {
  const containers = (list: readonly Entity[]): Entity[] =>
    list.filter((e) => (e.kind === 'register' || e.kind === 'peripheral') && e.children.length > 0 && !taken.has(e));
  const oldContainers = containers(olds);
  const newContainers = containers(news);
  // Peripherals numbered differently are other instances (USART3 and LPUART1), whatever they share.
  const alike = (o: Entity, n: Entity): boolean => parentsMatched(o, n) && sharedChildren(o, n) && !(o.kind === 'peripheral' && numbersDiffer(o.name, n.name));
  const pairs: [Entity, Entity][] = [];
  for (const o of oldContainers) {
    const n = onlyOne(
      newContainers.filter((n) => alike(o, n)),
      (n) => sameAccess(o, n),
    );
    if (
      n &&
      onlyOne(
        oldContainers.filter((x) => alike(x, n)),
        (x) => sameAccess(x, n),
      ) === o
    )
      pairs.push([o, n]);
  }
  return pairs;
}

/** The one candidate, or the one of several that passes `better`. */
function onlyOne(candidates: readonly Entity[], better: (e: Entity) => boolean): Entity | undefined {
  if (candidates.length === 1) return candidates[0];
  const kept = candidates.filter(better);
  return kept.length === 1 ? kept[0] : undefined;
}

/** Most of the field names (two or more) the two registers share stay readable, or stay write-only. */
function sameAccess(a: Entity, b: Entity): boolean {
  const readable = (e: Entity): boolean => e.sw.startsWith('r');
  let shared = 0;
  let kept = 0;
  for (const f of a.children) {
    const g = b.children.find((x) => x.squashed === f.squashed);
    if (!g) continue;
    shared++;
    if (readable(g) === readable(f)) kept++;
  }
  // One shared field read and written is no tie-break: DR continues as RDR (read) or TDR (written).
  return shared >= 2 && 2 * kept > shared;
}
