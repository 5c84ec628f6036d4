import type { Peripheral } from '../../ir/types.ts';
import type { ValidationRule } from '../rule.ts';
import { alternateRoots, byteRange, bySourceOrder, elementLabel, elementOffsets, forEachOverlap, namesNode, PairSet, peripheralExtents, type Interval } from './rule-helpers.ts';

interface Occupied {
  readonly peripheral: Peripheral;
  readonly label: string;
}

/**
 * Two peripherals must not claim the same addresses (a driver of one would poke the other), unless
 * one is declared an alternate of the other.
 */
export const peripheralOverlapRule: ValidationRule = {
  id: 'peripheral-overlap',
  description: 'peripherals whose address ranges (address blocks, else register extent) overlap',
  codes: ['validate/peripheral-overlap'],
  check(device, report) {
    const intervals: Interval<Occupied>[] = [];
    for (const peripheral of device.peripherals) {
      const extents = peripheralExtents(peripheral);
      elementOffsets(peripheral.dim).forEach((delta, element) => {
        const label = peripheral.name + elementLabel(peripheral.dim, element);
        const base = peripheral.baseAddress + delta;
        for (const e of extents) intervals.push({ start: base + e.start, end: base + e.end, item: { peripheral, label } });
      });
    }
    // SVD alternatePeripheral: e.g. nRF SPIM0, SPIS0, TWI0 … all share SPI0's addresses by design.
    const roots = alternateRoots(device.peripherals, (_p, name) => device.peripherals.find((q) => namesNode(q, name)));
    const reported = new PairSet<Peripheral>();
    forEachOverlap(intervals, (a, b) => {
      if (a.item.peripheral === b.item.peripheral) return;
      const rootA = roots.get(a.item.peripheral) ?? a.item.peripheral;
      const rootB = roots.get(b.item.peripheral) ?? b.item.peripheral;
      if (rootA === rootB) return;
      // Once per group of alternates: UART0 inside SPI0's block need not be told again for SPIM0, TWI0…
      if (!reported.add(rootA, rootB)) return;
      const [first, second] = bySourceOrder(a.item.peripheral, b.item.peripheral);
      const [firstI, secondI] = first === a.item.peripheral ? [a, b] : [b, a];
      report.error(
        'validate/peripheral-overlap',
        `peripheral ${secondI.item.label} (${byteRange(secondI.start, secondI.end)}) overlaps ${firstI.item.label} (${byteRange(firstI.start, firstI.end)})`,
        second.span,
        { path: second.path, related: [{ message: `${first.name} is declared here`, span: first.span }], hint: 'check the base addresses and sizes' },
      );
    });
  },
};
