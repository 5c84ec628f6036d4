import { ones } from '../../ir/bits.ts';
import { walkingRule } from '../rule.ts';

/**
 * Write constraints (SVD writeConstraint) must be satisfiable: a range inside the field and with
 * min <= max, and `useEnumeratedValues` only where there are enumerated values. Otherwise generated
 * setters would reject every value.
 */
export const writeConstraintsRule = walkingRule({
  id: 'write-constraints',
  description: 'write-constraint ranges that are empty or exceed the field, useEnumeratedValues without an enum',
  codes: ['validate/write-constraint-range', 'validate/write-constraint-no-enum'],
  listen(_device, report) {
    return {
      enterField(field) {
        const c = field.access.writeConstraint;
        if (!c) return;
        if (c.kind === 'range' && (c.min > c.max || c.max > ones(field.width))) {
          const why = c.min > c.max ? 'min is above max' : `max does not fit in ${field.width} bit(s)`;
          report.error('validate/write-constraint-range', `write-constraint range ${c.min}..${c.max} of ${field.path} is unusable: ${why}`, field.span, {
            path: field.path,
          });
        }
        if (c.kind === 'useEnumeratedValues' && !(field.enums ?? []).some((s) => s.values.length > 0)) {
          report.error('validate/write-constraint-no-enum', `${field.path} allows only enumerated values but has none`, field.span, {
            path: field.path,
            hint: 'add an enum, or drop the write constraint',
          });
        }
      },
    };
  },
});
