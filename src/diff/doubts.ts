import type { Entity } from './entities.ts';
import { hasEvidence, sharedChildren } from './evidence.ts';
import { addAlternative, type Matching, type Scope } from './matching.ts';
import { groupBy } from './group-by.ts';

/**
 * Doubts found after a level is paired, whatever pass made the pairing: the files offer another
 * partner as good as the one taken, or the pairing rests on one that is itself in doubt. Each marks
 * the pairing uncertain (graded as the removal it may hide) and names the rival.
 */

/**
 * Alternate views: a pairing (not by exact path, nor by the same name) whose partner shares its
 * address and width with an unpaired node of its own side that the other node also resembles (a
 * shared name, wording or children). Either view continues it: LPTIM v1c `IER` → n6 `DIER_OUTPUT`,
 * while `DIER_INPUT`, the other channel mode of the same register at 0x8, holds most of IER's
 * enables too. Registers are looked up by absolute address in their peripheral, fields among their
 * register's fields (a few), so a large re-laid-out device costs no index of every field.
 */
export function flagAlternateViews(matching: Matching, scopes: readonly Scope[]): void {
  for (const scope of scopes) {
    let newAt: Map<string, Entity[]> | undefined;
    let oldAt: Map<string, Entity[]> | undefined;
    for (const o of scope.olds) {
      const p = matching.byOld.get(o);
      // The same name picks one view of the two (AHB3ENR.FMCEN rather than FSMCEN at the same bit).
      if (!p || p.how === 'exact' || p.to.squashed === o.squashed || (o.kind !== 'register' && o.kind !== 'field')) continue;
      let rivalsNew: readonly Entity[];
      let rivalsOld: readonly Entity[];
      if (o.kind === 'field') {
        rivalsNew = sameBits(p.to, (g) => !matching.byNew.has(g));
        rivalsOld = sameBits(o, (f) => !matching.byOld.has(f));
      } else {
        newAt ??= unpairedRegistersByAddress(scope.news, (e) => matching.byNew.has(e));
        oldAt ??= unpairedRegistersByAddress(scope.olds, (e) => matching.byOld.has(e));
        rivalsNew = newAt.get(`${p.to.absolute}:${p.to.width}`) ?? [];
        rivalsOld = oldAt.get(`${o.absolute}:${o.width}`) ?? [];
      }
      for (const rival of rivalsNew) if (hasEvidence(o, rival)) addAlternative(matching, o, rival.path);
      for (const rival of rivalsOld) if (hasEvidence(rival, p.to)) addAlternative(matching, o, rival.path);
    }
  }
}

/**
 * Name and address disagree the other way round: a register kept its name but moved onto the
 * address of an old register that is now gone and held largely the same fields (rcc H7 → H7A/B reset
 * status register `RSR` moved to 0x130, where the H7's per-core alias `C1_RSR` sat with the same
 * fields: `RSR` moved, or `C1_RSR` was renamed, and the files do not say which). Uncertain, with
 * the old register as rival.
 */
export function flagMovesOntoATwin(matching: Matching, scopes: readonly Scope[]): void {
  for (const scope of scopes) {
    let oldAt: Map<string, Entity[]> | undefined;
    for (const o of scope.olds) {
      const p = matching.byOld.get(o);
      if (o.kind !== 'register' || p?.how !== 'exact' || p.to.absolute === o.absolute || p.to.children.length === 0) continue;
      oldAt ??= unpairedRegistersByAddress(scope.olds, (e) => matching.byOld.has(e));
      for (const rival of oldAt.get(`${p.to.absolute}:${p.to.width}`) ?? []) if (sharedChildren(rival, p.to)) addAlternative(matching, o, rival.path);
    }
  }
}

/**
 * An enum value that kept its name but not its number, while an unpaired value of the other side
 * has its old number: the name follows one, the code the other (timer v3 → v2 `OCM._reserved1`
 * = 8 → `_reserved1` = 10, while `Retrigerrable_OPM_Mode_1` = 8). Uncertain, naming that value.
 */
export function flagRenumberedNames(matching: Matching): void {
  for (const [o, p] of matching.byOld) {
    if (o.kind !== 'enum-value' || p.how !== 'exact' || p.to.position === o.position) continue;
    const rival = p.to.parent?.children.find((v) => v.position === o.position && !matching.byNew.has(v));
    if (rival) addAlternative(matching, o, rival.path);
  }
}

/** The other fields of `field`'s register at its bits and width that pass `keep`. */
function sameBits(field: Entity, keep: (e: Entity) => boolean): Entity[] {
  return (field.parent?.children ?? []).filter((g) => g !== field && g.position === field.position && g.width === field.width && keep(g));
}

function unpairedRegistersByAddress(list: readonly Entity[], paired: (e: Entity) => boolean): Map<string, Entity[]> {
  return groupBy(list, (e) => (e.kind !== 'register' || paired(e) ? undefined : `${e.absolute}:${e.width}`));
}

/**
 * A field paired by anything but its exact name inside a register pairing that is itself uncertain
 * is as doubtful as that pairing: its rename rests on the registers being one (LPTIM `ISR` →
 * `ISR_OUTPUT` or `ISR_INPUT`).
 */
export function inheritRegisterDoubt(matching: Matching): void {
  for (const [o, p] of matching.byOld) {
    if (o.kind !== 'field' || p.how === 'exact' || !o.parent) continue;
    const register = matching.byOld.get(o.parent);
    if (register?.uncertain && register.to === p.to.parent && !p.uncertain) matching.byOld.set(o, { ...p, uncertain: true });
  }
}
