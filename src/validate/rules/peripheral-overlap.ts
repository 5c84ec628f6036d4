import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Device, Peripheral } from '../../ir/types.ts';
import type { RegisterInstance } from '../../ir/walk.ts';
import type { ValidationRule } from '../rule.ts';
import {
  alternateRoots,
  byteRange,
  bySourceOrder,
  elementLabel,
  elementOffsets,
  forEachOverlap,
  instancesOf,
  mergeRanges,
  namesNode,
  PairSet,
  peripheralExtents,
  registerBytes,
  type Interval,
} from './rule-helpers.ts';

interface Occupied {
  readonly peripheral: Peripheral;
  readonly label: string;
  /** Byte offset of this element of a peripheral array from its base. */
  readonly delta: number;
}

/**
 * Two peripherals must not put registers at the same addresses (a driver of one would poke the
 * other), unless one is declared an alternate of the other (SVD alternatePeripheral: nRF SPIM0,
 * SPIS0, TWI0 … all share SPI0's addresses by design), or they sit on different bus interfaces
 * (`addressSpace`: an OpenTitan IP's `core` and `dmi` register blocks are two address spaces).
 *
 * Only registers that really overlap are an error (`peripheral-overlap`). Declared address blocks
 * that overlap while their registers do not are a warning (`address-block-overlap`): vendors declare
 * generous blocks (SAME70 SUPC vs RTT/RTC/GPBR, ESP32-S3, STM32H743 v1.8) and the registers are fine.
 */
export const peripheralOverlapRule: ValidationRule = {
  id: 'peripheral-overlap',
  description: 'peripherals whose registers overlap (an error), or whose declared address blocks overlap (a warning)',
  codes: ['validate/peripheral-overlap', 'validate/address-block-overlap'],
  check(device, report) {
    const roots = alternateRoots(device.peripherals, (_p, name) => device.peripherals.find((q) => namesNode(q, name)));
    const rootOf = (p: Peripheral): Peripheral => roots.get(p) ?? p;
    const registersOverlap = new PairSet<Peripheral>();
    forEachOverlap(intervals(device, registerExtents), (a, b) => {
      const rootA = rootOf(a.item.peripheral);
      const rootB = rootOf(b.item.peripheral);
      if (a.item.peripheral === b.item.peripheral || rootA === rootB || apart(a.item.peripheral, b.item.peripheral)) return;
      // Once per group of alternates: UART0 inside SPI0's block need not be told again for SPIM0, TWI0…
      if (!registersOverlap.add(rootA, rootB)) return;
      reportPair(
        report,
        'error',
        'validate/peripheral-overlap',
        a,
        b,
        (first, second) => {
          const start = Math.max(a.start, b.start);
          const end = Math.min(a.end, b.end);
          return `registers of peripheral ${second.item.label} (${registerAt(second.item, start, end)}) overlap registers of ${first.item.label} (${registerAt(first.item, start, end)})`;
        },
        'check the base addresses and offsets, or declare one an alternate (alternatePeripheral / alternateOf)',
      );
    });
    const blocksOverlap = new PairSet<Peripheral>();
    forEachOverlap(intervals(device, peripheralExtents), (a, b) => {
      const rootA = rootOf(a.item.peripheral);
      const rootB = rootOf(b.item.peripheral);
      if (a.item.peripheral === b.item.peripheral || rootA === rootB || apart(a.item.peripheral, b.item.peripheral)) return;
      if (!registersOverlap.add(rootA, rootB) || !blocksOverlap.add(rootA, rootB)) return;
      reportPair(
        report,
        'warning',
        'validate/address-block-overlap',
        a,
        b,
        (first, second) =>
          `the address range of peripheral ${second.item.label} (${byteRange(second.start, second.end)}) overlaps ${first.item.label} (${byteRange(first.start, first.end)}), although no registers do`,
        'check the address block sizes',
      );
    });
  },
};

/** Peripherals on different bus interfaces (address spaces) cannot overlap, whatever their addresses. */
function apart(a: Peripheral, b: Peripheral): boolean {
  return (a.addressSpace ?? '') !== (b.addressSpace ?? '');
}

/**
 * Byte ranges (from the base) that a peripheral's registers occupy, merged. Registers are mostly
 * written in address order: while they are, touching or overlapping ranges are merged as they come,
 * without a range object per register or a sort; the first one out of order hands the rest to
 * `mergeRanges`.
 */
function registerExtents(peripheral: Peripheral): { start: number; end: number }[] {
  const instances = instancesOf(peripheral).instances;
  const base = peripheral.baseAddress;
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < instances.length; i++) {
    const instance = instances[i] as RegisterInstance;
    const start = instance.address - base;
    const end = start + registerBytes(instance.register);
    const last = out[out.length - 1];
    if (last === undefined || start > last.end) out.push({ start, end });
    else if (start >= last.start) last.end = Math.max(last.end, end);
    else return mergeRanges(instances.map((r) => ({ start: r.address - base, end: r.address - base + registerBytes(r.register) })));
  }
  return out;
}

/** One interval per extent of every element of every peripheral, at absolute addresses. */
function intervals(device: Device, extents: (p: Peripheral) => { start: number; end: number }[]): Interval<Occupied>[] {
  const out: Interval<Occupied>[] = [];
  for (const peripheral of device.peripherals) {
    const own = extents(peripheral);
    elementOffsets(peripheral.dim).forEach((delta, element) => {
      const label = peripheral.name + elementLabel(peripheral.dim, element);
      const base = peripheral.baseAddress + delta;
      for (const e of own) out.push({ start: base + e.start, end: base + e.end, item: { peripheral, label, delta } });
    });
  }
  return out;
}

/** The name of a register of `occupied` that has bytes in [start, end), for the message. */
function registerAt(occupied: Occupied, start: number, end: number): string {
  for (const i of instancesOf(occupied.peripheral).instances) {
    const s = i.address + occupied.delta;
    if (s < end && s + registerBytes(i.register) > start) return `${i.name} at ${byteRange(s, s + registerBytes(i.register))}`;
  }
  return byteRange(start, end);
}

function reportPair(
  report: DiagnosticCollector,
  severity: 'error' | 'warning',
  code: string,
  a: Interval<Occupied>,
  b: Interval<Occupied>,
  message: (first: Interval<Occupied>, second: Interval<Occupied>) => string,
  hint: string,
): void {
  const [first, second] = bySourceOrder(a.item.peripheral, b.item.peripheral);
  const [firstI, secondI] = first === a.item.peripheral ? [a, b] : [b, a];
  report.report(severity, code, message(firstI, secondI), second.span, {
    path: second.path,
    related: [{ message: `${first.name} is declared here`, span: first.span }],
    hint,
  });
}
