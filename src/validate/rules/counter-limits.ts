import { ones } from '../../ir/bits.ts';
import { walkingRule } from '../rule.ts';

/**
 * Counter steps, saturation limits and thresholds are values of the counter field, so they must fit
 * in it; a limit that cannot be reached makes the counter wrap where the spec says it saturates.
 */
export const counterLimitsRule = walkingRule({
  id: 'counter-limits',
  description: 'counter increments, decrements, saturation limits or thresholds that do not fit the field',
  codes: ['validate/counter-limit-too-wide'],
  listen(_device, report) {
    return {
      enterField(field) {
        const counter = field.access.counter;
        if (!counter) return;
        const limits = {
          incr: counter.incrValue,
          decr: counter.decrValue,
          'increment saturation': counter.incrSaturate,
          'decrement saturation': counter.decrSaturate,
          'increment threshold': counter.incrThreshold,
          'decrement threshold': counter.decrThreshold,
        };
        for (const [what, value] of Object.entries(limits)) {
          if (typeof value !== 'number' || value <= ones(field.width)) continue;
          report.error('validate/counter-limit-too-wide', `counter ${what} ${value} of ${field.path} does not fit in its ${field.width} bit(s)`, field.span, {
            path: field.path,
          });
        }
      },
    };
  },
});
