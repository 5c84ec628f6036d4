import type { Register } from '../../ir/types.ts';
import type { RegisterInstance } from '../../ir/walk.ts';
import type { ValidationRule } from '../rule.ts';
import { byteRange, covered, hex, instancesOf, mergeRanges, registerBytes } from './rule-helpers.ts';

/**
 * When a peripheral declares its size (address blocks), every register must lie inside: otherwise
 * the size is wrong, or the register is, and the peripheral-overlap check is working from a lie.
 * A warning in every format: vendor address blocks are often too small (ESP32 SVDs), and a YAML
 * import of a vendor file must not be stricter than the file.
 */
export const registerOutsidePeripheralRule: ValidationRule = {
  id: 'register-outside-peripheral',
  description: 'registers outside the address blocks (size) their peripheral declares',
  codes: ['validate/register-outside-peripheral'],
  check(device, report) {
    for (const peripheral of device.peripherals) {
      if (peripheral.addressBlocks.length === 0) continue;
      const blocks = mergeRanges(peripheral.addressBlocks.map((b) => ({ start: b.offset, end: b.offset + b.size })));
      const reported = new Set<Register>();
      const instances = instancesOf(peripheral).instances;
      for (let i = 0; i < instances.length; i++) {
        const instance = instances[i] as RegisterInstance;
        const start = instance.address - peripheral.baseAddress;
        const end = start + registerBytes(instance.register);
        if (covered(blocks, start, end) || reported.has(instance.register)) continue;
        reported.add(instance.register);
        const declared = blocks.map((b) => byteRange(b.start, b.end)).join(', ') || 'nothing';
        report.warning(
          'validate/register-outside-peripheral',
          `register ${peripheral.name}.${instance.name} at offset ${hex(start)} lies outside ${peripheral.name}, which declares ${declared}`,
          instance.register.span,
          {
            path: instance.register.path,
            related: [{ message: `${peripheral.name} is declared here`, span: peripheral.span }],
            hint: 'enlarge the peripheral size or fix the offset',
          },
        );
      }
    }
  },
};
