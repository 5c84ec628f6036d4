import { walkingRule } from '../rule.ts';
import { isWritable } from './rule-helpers.ts';

/**
 * A single-pulse field is one bit that software writes 1 to and that clears itself the next cycle
 * (SystemRDL `singlepulse`), so it must be one bit wide, writable, and reset to 0.
 */
export const singlePulseRule = walkingRule({
  id: 'singlepulse',
  description: 'single-pulse fields wider than one bit, not writable, or not reset to 0',
  codes: ['validate/singlepulse-too-wide', 'validate/singlepulse-unwritable', 'validate/singlepulse-reset'],
  listen(_device, report) {
    return {
      enterField(field) {
        if (!field.access.singlePulse) return;
        if (field.width !== 1) {
          report.error('validate/singlepulse-too-wide', `single-pulse field ${field.path} is ${field.width} bits wide; a pulse is one bit`, field.span, {
            path: field.path,
            hint: 'split it into one-bit fields, or drop singlepulse',
          });
        }
        if (!isWritable(field.access.sw)) {
          report.error(
            'validate/singlepulse-unwritable',
            `single-pulse field ${field.path} cannot be written (access ${field.access.sw}), so it can never pulse`,
            field.span,
            {
              path: field.path,
            },
          );
        }
        if (field.reset !== undefined && field.reset !== 0n) {
          report.error('validate/singlepulse-reset', `single-pulse field ${field.path} resets to ${field.reset}; a pulse rests at 0`, field.span, {
            path: field.path,
          });
        }
      },
    };
  },
});
