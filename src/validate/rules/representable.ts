import { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import { walkingRule } from '../rule.ts';

/**
 * The widest register or field anything downstream can represent: generated C uses uint64_t, the
 * TypeScript and Python SDKs and the simulator hold register values in 64 bits, reports draw a
 * register bit by bit. Wider (or fractional, or empty) widths are refused here, before any stage
 * runs, instead of turning into `0xINFINITYull`, wrong masks, crashes or gigabyte reports.
 */
export const MAX_REGISTER_BITS = 64;

const isWidth = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_REGISTER_BITS;
const isBit = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < MAX_REGISTER_BITS;
/** A bit range whose width or bits (in the last array element) cannot be represented. */
const badSegment = (lsb: number, width: number, lastElement: number): boolean => !isWidth(width) || !isBit(lsb) || !isBit(lsb + lastElement + width - 1);

export const representableRule = walkingRule({
  id: 'representable',
  description: `registers or fields wider than ${MAX_REGISTER_BITS} bits, or with bit positions beyond bit ${MAX_REGISTER_BITS - 1}`,
  codes: ['validate/too-wide'],
  listen(_device, report) {
    return {
      enterRegister(register) {
        if (isWidth(register.size)) return;
        report.error(
          'validate/too-wide',
          `${register.path} is ${register.size} bits wide; registers of 1 to ${MAX_REGISTER_BITS} bits can be generated and simulated`,
          register.span,
          {
            path: register.path,
            hint: `split the register into registers of at most ${MAX_REGISTER_BITS} bits`,
          },
        );
      },
      enterField(field) {
        // The last array element is the furthest out; elements are not enumerated (a dim can be large).
        const lastElement = field.dim ? (field.dim.offsets?.length ? Math.max(...field.dim.offsets) : (field.dim.count - 1) * field.dim.stride) : 0;
        const bad =
          !isWidth(field.width) ||
          (field.segments ? field.segments.some((s) => badSegment(s.lsb, s.width, lastElement)) : badSegment(field.lsb, field.width, lastElement));
        if (!bad) return;
        report.error(
          'validate/too-wide',
          `${field.path} has bits ${field.lsb}..${field.lsb + field.width - 1}${field.dim ? ` (in ${field.dim.count} elements)` : ''}; fields must lie within bits 0..${MAX_REGISTER_BITS - 1}`,
          field.span,
          {
            path: field.path,
            hint: `fields of at most ${MAX_REGISTER_BITS} bits, inside a register of at most ${MAX_REGISTER_BITS} bits`,
          },
        );
      },
    };
  },
});

/**
 * The representability check on its own, run on every imported device (src/importers/index.ts) so
 * that no command, not even `import` or `diff`, goes on with a device it cannot represent.
 */
export function unrepresentable(device: Device): Diagnostic[] {
  const collector = new DiagnosticCollector();
  representableRule.check(device, collector);
  return collector.diagnostics;
}
