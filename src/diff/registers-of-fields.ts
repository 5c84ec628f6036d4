import type { Entity } from './entities.ts';
import { BY_CONTENT, pair, type Matching } from './matching.ts';

/**
 * Registers and fields agree: an unpaired old register whose fields (two or more) all paired into
 * one unpaired new register, which took at least half of its fields from it and none from
 * elsewhere, is that register — renamed, moved or re-shaped — rather than a removal and an
 * addition with every field "moved" between them (rtc v2 wb `ALRMR[2]` → wb0 `RTC_ALRMAR` was
 * reported so). Uncertain when one of the field pairings is.
 */
export function pairRegistersOfTheirFields(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [oldPeripheral] of peripheralPairs) {
    for (const register of oldPeripheral.children) {
      if (matching.byOld.has(register) || matching.inArray.has(register) || register.children.length < 2) continue;
      const target = soleTarget(matching, register);
      if (!target || matching.byNew.has(target) || matching.inArray.has(target)) continue;
      const fromHere = target.children.filter((g) => matching.byNew.get(g)?.parent === register).length;
      const fromElsewhere = target.children.filter((g) => matching.byNew.has(g) && matching.byNew.get(g)?.parent !== register).length;
      if (fromElsewhere > 0 || 2 * fromHere < target.children.length) continue;
      const doubtful = register.children.some((f) => matching.byOld.get(f)?.uncertain);
      pair(matching, register, target, doubtful ? { ...BY_CONTENT, uncertain: true } : BY_CONTENT);
    }
  }
}

/** The one new register every field of `register` paired into, if there is one. */
function soleTarget(matching: Matching, register: Entity): Entity | undefined {
  let target: Entity | undefined;
  for (const f of register.children) {
    const to = matching.byOld.get(f)?.to.parent;
    if (!to || (target && to !== target)) return undefined;
    target = to;
  }
  return target;
}
