import type { Peripheral } from '../ir/types.ts';
import type { PeripheralOverlay } from './model.ts';

/**
 * The annotations SVD and the other vendor formats cannot carry: the driver kind, interrupt lines,
 * quantities, behaviours and atomic aliases. Quantities replace same-named ones; behaviours are
 * added after the revision's own.
 */
export function annotatePeripheral(peripheral: Peripheral, entry: PeripheralOverlay): Peripheral {
  const quantities = [...peripheral.quantities.filter((q) => !entry.quantities.some((o) => o.name === q.name)), ...entry.quantities];
  const interrupts = entry.interrupts?.map((i) => (i.name === '' ? { ...i, name: `${peripheral.name}_IRQ` } : i));
  return {
    ...peripheral,
    ...(entry.kind !== undefined ? { driverKind: entry.kind } : {}),
    ...(interrupts ? { interrupts } : {}),
    quantities,
    behaviours: [...peripheral.behaviours, ...entry.behaviours],
    ...(entry.aliases ? { atomicAliases: entry.aliases } : {}),
  };
}
