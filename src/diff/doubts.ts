import type { Entity } from './entities.ts';
import { hasEvidence } from './evidence.ts';
import { addAlternative, type Matching, type Scope } from './matching.ts';

/**
 * Doubts found after a level is paired, whatever pass made the pairing: the files offer another
 * partner as good as the one taken, or the pairing rests on one that is itself in doubt. Each marks
 * the pairing uncertain (graded as the removal it may hide) and names the rival.
 */

/** Where a node sits, for alternate views: the absolute address of a register, the register and bits of a field. */
function slot(e: Entity): string | undefined {
  if (e.kind === 'register') return `${e.absolute}:${e.width}`;
  if (e.kind === 'field') return `${e.parent?.path}:${e.position}:${e.width}`;
  return undefined;
}

/**
 * Alternate views: a pairing (not by exact path, nor by the same name) whose partner shares its address and width with
 * an unpaired node of its own side that the other node also resembles (a shared name, wording or
 * children). Either view continues it: LPTIM v1c `IER` → n6 `DIER_OUTPUT`, while `DIER_INPUT`, the
 * other channel mode of the same register at 0x8, holds most of IER's enables too.
 */
export function flagAlternateViews(matching: Matching, scopes: readonly Scope[]): void {
  for (const scope of scopes) {
    let newAt: Map<string, Entity[]> | undefined;
    let oldAt: Map<string, Entity[]> | undefined;
    for (const o of scope.olds) {
      const p = matching.byOld.get(o);
      // The same name picks one view of the two (AHB3ENR.FMCEN rather than FSMCEN at the same bit).
      if (!p || p.how === 'exact' || p.to.squashed === o.squashed) continue;
      newAt ??= unpairedBySlot(scope.news, (e) => matching.byNew.has(e));
      oldAt ??= unpairedBySlot(scope.olds, (e) => matching.byOld.has(e));
      for (const rival of newAt.get(slot(p.to) ?? '') ?? []) if (hasEvidence(o, rival)) addAlternative(matching, o, rival.path);
      for (const rival of oldAt.get(slot(o) ?? '') ?? []) if (hasEvidence(rival, p.to)) addAlternative(matching, o, rival.path);
    }
  }
}

function unpairedBySlot(list: readonly Entity[], paired: (e: Entity) => boolean): Map<string, Entity[]> {
  const map = new Map<string, Entity[]>();
  for (const e of list) {
    const key = slot(e);
    if (key === undefined || paired(e)) continue;
    const at = map.get(key);
    if (at) at.push(e);
    else map.set(key, [e]);
  }
  return map;
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
