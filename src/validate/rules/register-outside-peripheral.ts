import type { Register } from '../../ir/types.ts';
import type { ValidationRule } from '../rule.ts';
import { byteRange, hex, hygieneSeverity, instancesOf, registerBytes } from './rule-helpers.ts';

/** Sorted, merged byte ranges, so one binary search tells whether a range is covered. */
function mergeRanges(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

function covered(merged: readonly { start: number; end: number }[], start: number, end: number): boolean {
  let lo = 0;
  let hi = merged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = merged[mid]!;
    if (start < r.start) hi = mid - 1;
    else if (start >= r.end) lo = mid + 1;
    else return end <= r.end;
  }
  return false;
}

/**
 * When a peripheral declares its size (address blocks), every register must lie inside: otherwise
 * the size is wrong, or the register is, and the peripheral-overlap check is working from a lie.
 * Errors in native specs, warnings in imported ones (vendor address blocks are often too small,
 * e.g. ESP32 SVDs; see `hygieneSeverity`).
 */
export const registerOutsidePeripheralRule: ValidationRule = {
  id: 'register-outside-peripheral',
  description: 'registers outside the address blocks (size) their peripheral declares',
  codes: ['validate/register-outside-peripheral'],
  check(device, report) {
    const severity = hygieneSeverity(device);
    for (const peripheral of device.peripherals) {
      if (peripheral.addressBlocks.length === 0) continue;
      const blocks = mergeRanges(peripheral.addressBlocks.map((b) => ({ start: b.offset, end: b.offset + b.size })));
      const reported = new Set<Register>();
      for (const instance of instancesOf(peripheral).instances) {
        const start = instance.address - peripheral.baseAddress;
        const end = start + registerBytes(instance.register);
        if (covered(blocks, start, end) || reported.has(instance.register)) continue;
        reported.add(instance.register);
        const declared = blocks.map((b) => byteRange(b.start, b.end)).join(', ') || 'nothing';
        report.report(
          severity,
          'validate/register-outside-peripheral',
          `register ${peripheral.name}.${instance.name} at offset ${hex(start)} lies outside ${peripheral.name}, which declares ${declared}`,
          instance.register.span,
          { path: instance.register.path, related: [{ message: `${peripheral.name} is declared here`, span: peripheral.span }], hint: 'enlarge the peripheral size or fix the offset' },
        );
      }
    }
  },
};
