import type { Entity } from './entities.ts';
import { BY_CONTENT, byPosition, pair, type Matching } from './matching.ts';

/**
 * A register is what its fields are. When a register's name went to another register (a bus
 * regrouped: the old `BUS3ENR` at 0x10 is now `BUS5ENR` at 0x10 with the same enables, and a new
 * `BUS3ENR` at 0x18 holds other peripherals' enables), the exact name pairing joins two registers
 * that share no field, while the one unpaired register at the old offset (and width) still holds
 * two or more of the old fields under their names (the others renamed with their peripherals).
 * That register continues the old one; the namesake is an added register. Runs after the register
 * level, before fields pair (so field names, not field pairings, are compared).
 */
export function followRegistersWhoseNameWasTaken(matching: Matching, peripheralPairs: readonly (readonly [Entity, Entity])[]): void {
  for (const [oldPeripheral, newPeripheral] of peripheralPairs) {
    let unpairedAt: Map<number, Entity[]> | undefined;
    for (const o of oldPeripheral.children) {
      const exact = matching.byOld.get(o);
      if (exact?.how !== 'exact' || o.children.length < 2) continue;
      const namesake = exact.to;
      if (namesake.position === o.position || fieldNamesInCommon(o, namesake) > 0) continue;
      unpairedAt ??= byPosition(newPeripheral.children.filter((r) => !matching.byNew.has(r) && !matching.inArray.has(r)));
      const twins = (unpairedAt.get(o.position) ?? []).filter((t) => t.width === o.width && fieldNamesInCommon(o, t) >= 2);
      if (twins.length !== 1) continue;
      pair(matching, o, twins[0]!, BY_CONTENT);
      unpairedAt.set(
        o.position,
        (unpairedAt.get(o.position) ?? []).filter((t) => t !== twins[0]),
      );
    }
  }
}

function fieldNamesInCommon(a: Entity, b: Entity): number {
  let common = 0;
  for (const name of a.childNames) if (b.childNames.has(name)) common++;
  return common;
}
