import type { Field, SwAccess } from '../ir/types.ts';
import { swReadable, swWritable } from '../ir/access.ts';
import { hex } from '../ir/bits.ts';
import type { Entity } from './entities.ts';
import { hasEvidence } from './evidence.ts';
import { partialExpansion, representativePairs, type ArrayGroup } from './arrays.ts';
import type { Matching } from './match.ts';
import type { Change, ChangeSide, ChangeValue, EntityKind, RuleId } from './types.ts';
import { RULE_IDS } from './types.ts';

/**
 * Change detection: turns a matching into changes with stable rule ids, before/after values and
 * spans in both files. No severities here — that is policy (policy.ts).
 */
export interface DetectOptions {
  /**
   * Whether both formats describe what hardware does to a field (native YAML, SystemRDL, hjson do;
   * SVD, chiptool and IP-XACT do not, and their importers infer it from software access). Without
   * it, a hardware-access difference is the importer's inference, not a change.
   */
  readonly hardwareAccessKnown: boolean;
  /** Peripherals that only serve as `derivedFrom` templates (base 0), never reported as removed or added. */
  readonly templates?: ReadonlySet<Entity>;
}

export function detectChanges(
  oldRoots: readonly Entity[],
  newRoots: readonly Entity[],
  matching: Matching,
  options: DetectOptions = { hardwareAccessKnown: true },
): Change[] {
  const changes: Change[] = [];
  const side = (e: Entity, value?: ChangeValue): ChangeSide => ({ path: e.path, span: e.span, ...(value !== undefined ? { value } : {}) });
  const emit = (
    rule: RuleId,
    kind: EntityKind,
    message: string,
    before: Entity | undefined,
    after: Entity | undefined,
    values: [ChangeValue?, ChangeValue?] = [],
    extra: Partial<Change> = {},
  ): void => {
    const pairing = before ? matching.byOld.get(before) : undefined;
    changes.push({
      rule,
      kind,
      message,
      ...(before ? { before: side(before, values[0]) } : {}),
      ...(after ? { after: side(after, values[1]) } : {}),
      ...(pairing && pairing.how === 'scored' ? { confidence: pairing.confidence } : {}),
      ...(pairing?.uncertain ? { uncertain: true, alternatives: pairing.alternatives } : {}),
      ...(pairing?.weakEvidence ? { weakEvidence: true } : {}),
      ...extra,
    });
  };
  // An array group's representative pair stands for the group: what changed under it is reported.
  const represented = representativePairs(matching.arrays);
  const representing = new Set(represented.values());
  const isMatched = (e: Entity | undefined): boolean => e !== undefined && (matching.byOld.has(e) || represented.has(e));
  const isMatchedNew = (e: Entity | undefined): boolean => e !== undefined && (matching.byNew.has(e) || representing.has(e));

  // Tree order (peripheral, its first register, that register's fields and their values, ...).
  const all = (roots: readonly Entity[]): Entity[] => {
    const out: Entity[] = [];
    for (const p of roots) {
      out.push(p);
      for (const r of p.children) {
        out.push(r);
        for (const f of r.children) {
          out.push(f);
          for (const v of f.children) out.push(v);
        }
      }
    }
    return out;
  };
  const olds = all(oldRoots);
  const news = all(newRoots);
  const splitMerge = detectSplitsAndMerges(olds, matching);
  changes.push(...splitMerge.changes);
  for (const group of matching.arrays) {
    changes.push(arrayChange(group));
    // The array's wording against its first element's (SMCR.ALRDPROT 'Alarm x protection' → SECCFGR.ALRASEC).
    const first = group.scalars[0]!.entity;
    const [o, n] = group.direction === 'collected' ? [first, group.array] : [group.array, first];
    if (normaliseText(o.description) !== normaliseText(n.description))
      changes.push({
        rule: 'description-changed',
        kind: o.kind,
        message: `${n.path} description changed`,
        before: side(o, o.description ?? null),
        after: side(n, n.description ?? null),
        ...(partialExpansion(group) ? { uncertain: true, alternatives: group.scalars.slice(1).map((x) => x.entity.path) } : {}),
      });
  }
  const skipped = (e: Entity): boolean => matching.inArray.has(e) || splitMerge.involved.has(e) || (options.templates?.has(e) ?? false);

  // Removals: reported at the highest level only (a removed register implies its fields).
  for (const o of olds) {
    if (matching.byOld.has(o) || skipped(o)) continue;
    if (o.parent && !isMatched(o.parent)) continue;
    const samePlace = matching.positionOnly.get(o);
    // A candidate that shared only the position is named, so a human can overrule the removal.
    emit(
      `${o.kind}-removed` as RuleId,
      o.kind,
      `${label(o.kind)} ${o.path} removed`,
      o,
      undefined,
      [],
      samePlace ? { uncertain: true, positionOnly: true, alternatives: [samePlace.path] } : {},
    );
  }
  for (const n of news) {
    if (matching.byNew.has(n) || skipped(n)) continue;
    if (n.parent && !isMatchedNew(n.parent)) continue;
    emit(`${n.kind}-added` as RuleId, n.kind, `${label(n.kind)} ${n.path} added`, undefined, n);
  }

  for (const o of olds) {
    const pairing = matching.byOld.get(o);
    if (!pairing) continue;
    const n = pairing.to;
    const kind = o.kind;
    const involved = splitMerge.involved.has(o) || splitMerge.involved.has(n);
    const renamed = kind === 'register' ? o.key !== n.key : o.name !== n.name;
    if (renamed && !involved) {
      emit(`${kind}-renamed` as RuleId, kind, `${label(kind)} ${o.path} renamed to ${n.path}`, o, n, [
        kind === 'register' ? o.key : o.name,
        kind === 'register' ? n.key : n.name,
      ]);
    }
    switch (kind) {
      case 'peripheral':
        if (o.position !== n.position && !registersStayed(o, n, matching))
          emit('peripheral-rebased', kind, `${n.path} base moved from ${hex(o.position)} to ${hex(n.position)}`, o, n, [hex(o.position), hex(n.position)]);
        break;
      case 'register':
        // Absolute addresses: an offset change that a base change cancels out moved nothing.
        if (o.position !== n.position && o.absolute !== n.absolute)
          emit('register-moved', kind, `${n.path} offset moved from ${hex(o.position)} to ${hex(n.position)}`, o, n, [hex(o.position), hex(n.position)]);
        if (o.width !== n.width) emit('register-resized', kind, `${n.path} size changed from ${o.width} to ${n.width} bits`, o, n, [o.width, n.width]);
        // Register resets are compared only for registers without fields; otherwise the fields say it precisely.
        if (o.children.length === 0 && n.children.length === 0 && o.reset !== n.reset) {
          emit('reset-changed', kind, `${n.path} reset changed from ${fmt(o.reset)} to ${fmt(n.reset)}`, o, n, [fmt(o.reset), fmt(n.reset)]);
        }
        break;
      case 'field':
        if (!involved) fieldChanges(o, n);
        break;
      case 'enum-value':
        if (o.position !== n.position)
          emit('enum-value-renumbered', kind, `${n.path} value changed from ${o.position} to ${n.position}`, o, n, [o.position, n.position]);
        break;
    }
    if (o.shape !== n.shape)
      emit('array-shape-changed', kind, `${n.path} array shape changed from ${o.shape || 'scalar'} to ${n.shape || 'scalar'}`, o, n, [
        o.shape || 'scalar',
        n.shape || 'scalar',
      ]);
    // A split or merge is one change: its first part's wording is the part's own, not the whole's edited.
    if (!involved && o.description !== n.description && normaliseText(o.description) !== normaliseText(n.description)) {
      emit('description-changed', kind, `${n.path} description changed`, o, n, [o.description ?? null, n.description ?? null]);
    }
  }
  return sortChanges(changes);

  function fieldChanges(o: Entity, n: Entity): void {
    const movedRegister = (matching.byOld.get(o.parent!)?.to ?? represented.get(o.parent!)) !== n.parent;
    if (movedRegister || o.position !== n.position) {
      const where = (e: Entity): string => `${e.parent!.path}[${bitsText(e)}]`;
      emit('field-moved', 'field', `${o.path} moved from ${where(o)} to ${where(n)}`, o, n, [where(o), where(n)]);
    }
    if (n.width < o.width) emit('field-narrowed', 'field', `${n.path} narrowed from ${o.width} to ${n.width} bits`, o, n, [o.width, n.width]);
    if (n.width > o.width) emit('field-widened', 'field', `${n.path} widened from ${o.width} to ${n.width} bits`, o, n, [o.width, n.width]);
    const a = (o.node as Field).access;
    const b = (n.node as Field).access;
    const capsA = capabilities(a.sw);
    const capsB = capabilities(b.sw);
    const lost = capsA.filter((c) => !capsB.includes(c));
    const gained = capsB.filter((c) => !capsA.includes(c));
    if (lost.length > 0) emit('access-narrowed', 'field', `${n.path} access narrowed from ${a.sw} to ${b.sw} (loses ${lost.join(', ')})`, o, n, [a.sw, b.sw]);
    else if (gained.length > 0) emit('access-widened', 'field', `${n.path} access widened from ${a.sw} to ${b.sw}`, o, n, [a.sw, b.sw]);
    if (options.hardwareAccessKnown && a.hw !== b.hw)
      emit('hw-access-changed', 'field', `${n.path} hardware access changed from ${a.hw} to ${b.hw}`, o, n, [a.hw, b.hw]);
    const effects = (x: Field['access']): string =>
      [x.onRead ? `read:${x.onRead}` : '', x.onWrite ? `write:${x.onWrite}` : '', x.singlePulse ? 'singlepulse' : ''].filter(Boolean).join(' ') || 'none';
    if (effects(a) !== effects(b))
      emit('side-effect-changed', 'field', `${n.path} side effect changed from ${effects(a)} to ${effects(b)}`, o, n, [effects(a), effects(b)]);
    if (o.reset !== n.reset)
      emit('reset-changed', 'field', `${n.path} reset changed from ${fmt(o.reset)} to ${fmt(n.reset)}`, o, n, [fmt(o.reset), fmt(n.reset)]);
  }
}

/**
 * True when a re-based peripheral's registers all kept their absolute addresses (base +0x1000,
 * every offset −0x1000): nothing a driver addresses has moved.
 */
function registersStayed(o: Entity, n: Entity, matching: Matching): boolean {
  let compared = 0;
  for (const r of o.children) {
    const to = matching.byOld.get(r)?.to;
    if (!to || to.parent !== n) continue;
    if (to.absolute !== r.absolute) return false;
    compared++;
  }
  return compared > 0;
}

/** One change per array group: scalars collected into an array, or an array expanded into scalars. */
function arrayChange(group: ArrayGroup): Change {
  {
    const scalars = group.scalars.map((s) => s.entity);
    const first = scalars[0]!;
    const kind = group.array.kind;
    const names = scalars.map((s) => s.name).join(', ');
    const arraySide: ChangeSide = { path: group.array.path, span: group.array.span, value: group.array.shape };
    const scalarSide = (e: Entity): ChangeSide => ({ path: e.path, span: e.span, value: e.name });
    const rest = scalars.slice(1).map(scalarSide);
    return group.direction === 'collected'
      ? {
          rule: `${kind}-collected-into-array` as RuleId,
          kind,
          message: `${label(kind)}s ${names} collected into array ${group.array.path} (${group.array.shape}) at the same addresses`,
          before: scalarSide(first),
          after: arraySide,
          ...(rest.length > 0 ? { parts: rest } : {}),
        }
      : {
          rule: `${kind}-expanded-from-array` as RuleId,
          kind,
          message: `array ${group.array.path} (${group.array.shape}) expanded into ${label(kind)}s ${names} at the same addresses`,
          before: arraySide,
          after: scalarSide(first),
          ...(rest.length > 0 ? { parts: rest } : {}),
          ...(partialExpansion(group) ? { uncertain: true, alternatives: rest.map((r) => r.path) } : {}),
        };
  }
}

/**
 * A split: one old field whose bits are now covered by two or more new fields that are added or
 * paired with it (DIV → DIV_MANTISSA + DIV_FRACTION). A merge is the mirror image. Both replace the
 * removed/added/renamed/resized changes of the fields involved.
 */
function detectSplitsAndMerges(olds: readonly Entity[], matching: Matching): { changes: Change[]; involved: Set<Entity> } {
  const changes: Change[] = [];
  const involved = new Set<Entity>();
  const side = (e: Entity): ChangeSide => ({ path: e.path, span: e.span, value: `${e.name}[${bitsText(e)}]` });
  const inside = (inner: Entity, outer: Entity): boolean => inner.position >= outer.position && inner.position + inner.width <= outer.position + outer.width;
  // The parts cover the whole field bit for bit, or they are the whole layout of their register (nRF54L15
  // PACKETPTR OFFSET[15:0] + BASE[29] → PTR[31:0]): unrelated fields that merely lie inside a wider new
  // one, among others that stay (I2C CR2 FREQ[5:0], ITERREN[8], ITEVTEN[9] under v2 SADD[9:0]), are no merge.
  const tiles = (parts: readonly Entity[], outer: Entity): boolean => {
    let next = outer.position;
    for (const p of [...parts].sort((a, b) => a.position - b.position)) {
      if (p.position !== next) return false;
      next += p.width;
    }
    return next === outer.position + outer.width;
  };
  // Bits alone do not make a split: new flags that happen to sit in an old field's bits are new
  // flags (SR FTLVL[12:11] 'FIFO transmission level' vs SUSP[11] and TXC[12]). A tiling split needs
  // a part paired with the whole or related to it by name or wording, as any pairing does.
  const related = (whole: Entity, parts: readonly Entity[], partner: Entity | undefined): boolean =>
    tiles(parts, whole) && parts.some((p) => p === partner || hasEvidence(whole, p));
  let matchedOld: Map<Entity, Entity> | undefined;

  for (const register of olds) {
    if (register.kind !== 'register') continue;
    const counterpart = matching.byOld.get(register)?.to;
    if (!counterpart) continue;
    // A split needs an unpaired new field in the counterpart, a merge an unpaired old field here:
    // registers whose fields all paired (nearly all of them) are skipped without the pairwise scan.
    if (register.children.every((f) => matching.byOld.has(f)) && counterpart.children.every((g) => matching.byNew.has(g))) continue;
    if (!matchedOld) {
      matchedOld = new Map<Entity, Entity>();
      for (const [o, p] of matching.byOld) matchedOld.set(p.to, o);
    }
    // Split: old field F; new fields inside F's bits that are unmatched or paired with F.
    for (const f of register.children) {
      const partner = matching.byOld.get(f)?.to;
      const parts = counterpart.children.filter((g) => inside(g, f) && (!matching.byNew.has(g) || g === partner));
      if (parts.length >= 2 && (!partner || parts.includes(partner)) && (related(f, parts, partner) || parts.length === counterpart.children.length)) {
        involved.add(f);
        parts.forEach((g) => involved.add(g));
        changes.push({
          rule: 'field-split',
          kind: 'field',
          message: `${f.path} split into ${parts.map((g) => g.name).join(', ')}`,
          before: side(f),
          after: side(parts[0]!),
          parts: parts.slice(1).map(side),
        });
      }
    }
    // Merge: new field G; old fields inside G's bits that are unmatched or paired with G.
    for (const g of counterpart.children) {
      if (involved.has(g)) continue;
      const partner = matchedOld.get(g);
      const parts = register.children.filter((f) => !involved.has(f) && inside(f, g) && (!matching.byOld.has(f) || f === partner));
      if (parts.length >= 2 && (!partner || parts.includes(partner)) && (related(g, parts, partner) || parts.length === register.children.length)) {
        involved.add(g);
        parts.forEach((f) => involved.add(f));
        changes.push({
          rule: 'field-merged',
          kind: 'field',
          message: `${parts.map((f) => f.name).join(', ')} merged into ${g.path}`,
          before: side(parts[0]!),
          after: side(g),
          parts: parts.slice(1).map(side),
        });
      }
    }
  }
  return { changes, involved };
}

type Capability = 'read' | 'write' | 'write-repeatedly';
function capabilities(sw: SwAccess): Capability[] {
  const caps: Capability[] = [];
  if (swReadable(sw)) caps.push('read');
  if (swWritable(sw)) caps.push('write');
  if (sw === 'rw' || sw === 'w') caps.push('write-repeatedly');
  return caps;
}

function label(kind: EntityKind): string {
  return kind === 'enum-value' ? 'enum value' : kind;
}

function bitsText(e: Entity): string {
  return e.width <= 1 ? `${e.position}` : `${e.position + e.width - 1}:${e.position}`;
}

function fmt(value: bigint | undefined): string {
  return value === undefined ? 'none' : hex(value);
}

function normaliseText(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

const KIND_ORDER: Readonly<Record<EntityKind, number>> = { peripheral: 0, register: 1, field: 2, 'enum-value': 3 };

/** Deterministic order: by the path the change is about, then kind, then the rule's place in RULE_IDS. */
export function sortChanges(changes: readonly Change[]): Change[] {
  const pathOf = (c: Change): string => c.before?.path ?? c.after?.path ?? '';
  return [...changes].sort((a, b) => {
    const pa = pathOf(a);
    const pb = pathOf(b);
    if (pa !== pb) return pa < pb ? -1 : 1;
    return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule);
  });
}
