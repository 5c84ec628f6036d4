import type { Register } from '../../ir/types.ts';
import type { RegisterInstance } from '../../ir/walk.ts';
import type { ValidationRule } from '../rule.ts';
import { accessBytes, hex, instancesOf } from './rule-helpers.ts';

/**
 * A register's address must be a multiple of its access size in bytes (its size rounded up to a
 * power of two): most buses fault (or split the
 * access, firing side effects twice) on a misaligned access. Checked on absolute addresses of every
 * array element, so a stride that drifts elements off alignment is caught too.
 */
export const registerAlignmentRule: ValidationRule = {
  id: 'register-alignment',
  description: 'registers whose address is not a multiple of their size in bytes',
  codes: ['validate/register-misaligned'],
  check(device, report) {
    for (const peripheral of device.peripherals) {
      const reported = new Set<Register>();
      const instances = instancesOf(peripheral).instances;
      for (let i = 0; i < instances.length; i++) {
        const instance = instances[i] as RegisterInstance;
        // A register wider than its bus access (SystemRDL accesswidth) is aligned to the access.
        const bytes =
          instance.register.accessWidth !== undefined
            ? Math.min(instance.register.accessWidth / 8, accessBytes(instance.register))
            : accessBytes(instance.register);
        if (instance.address % bytes === 0 || reported.has(instance.register)) continue;
        reported.add(instance.register);
        report.error(
          'validate/register-misaligned',
          `register ${peripheral.name}.${instance.name} is at ${hex(instance.address)}, which is not a multiple of its size (${bytes} bytes)`,
          instance.register.span,
          { path: instance.register.path, hint: `use an offset that is a multiple of ${hex(bytes)}` },
        );
      }
    }
  },
};
