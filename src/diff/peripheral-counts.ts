import type { Entity } from './entities.ts';

/**
 * A counter of how many fields of a field's whole peripheral (every register, paired or not) share a
 * key — a wording, a value set — so a rule can ask whether a key is unique there. Counted once per
 * peripheral, on first need; `keyOf` returns undefined for a field that has no such key.
 */
export function fieldsInPeripheralWith(keyOf: (field: Entity) => string | undefined): (field: Entity, key: string) => number {
  const countsByPeripheral = new WeakMap<Entity, Map<string, number>>();
  return (field, key) => {
    const peripheral = field.parent?.parent;
    if (peripheral === undefined) return 0;
    let counts = countsByPeripheral.get(peripheral);
    if (counts === undefined) {
      counts = new Map();
      for (const register of peripheral.children)
        for (const f of register.children) {
          const k = keyOf(f);
          if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      countsByPeripheral.set(peripheral, counts);
    }
    return counts.get(key) ?? 0;
  };
}
