import { describe, expect, it } from 'vitest';
import { DiagnosticCollector } from '../../../src/diagnostics/collector.ts';
import { validateDevice, validationRules } from '../../../src/validate/index.ts';
import { loadDevice, spec } from './helpers.ts';

/** Findings of several rules at once: overlapping fields, a field past its register, a 24-bit register, a reset that does not fit. */
const text = spec(`  UART0:
    base: 0x4000_0000
    size: 0x100
    registers:
      CR:
        offset: 0x0
        size: 24
        reset: 0x1000000
        fields:
          A: { bits: 3..0 }
          B: { bits: 2..1 }
          C: { bits: 30..28 }
      SR:
        offset: 0x4
        fields:
          D: { bits: 1..0, access: r, onread: rclr }
          E: { bits: 0, access: w, singlepulse: true, reset: 1 }
`);

describe('validateDevice runs the listener rules in one walk', () => {
  it('gives the findings of every rule checked alone, in rule order', () => {
    const device = loadDevice(text);
    const alone = validationRules.flatMap((rule) => {
      const collector = new DiagnosticCollector();
      rule.check(device, collector);
      return collector.diagnostics;
    });
    const codes = new Set(alone.map((d) => d.code));
    // The case is only worth something if several walking rules report.
    expect(codes.size).toBeGreaterThanOrEqual(3);
    expect(validateDevice(device)).toEqual(alone);
  });
});
