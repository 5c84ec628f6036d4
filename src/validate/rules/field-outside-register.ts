import { walkingRule } from '../rule.ts';
import { bitRangeText, fieldBitRanges } from './rule-helpers.ts';

/** Every bit of a field (all segments, all array elements) must lie inside its register. */
export const fieldOutsideRegisterRule = walkingRule({
  id: 'field-outside-register',
  description: 'fields with bits beyond the width of their register',
  codes: ['validate/field-outside-register'],
  listen(_device, report) {
    return {
      enterField(field, register) {
        // A plain field is its own one range: no list of ranges is built for it.
        const plain = field.segments === undefined && field.dim === undefined;
        if (plain && field.lsb + field.width <= register.size) return;
        const outside = fieldBitRanges(field).find((r) => r.lsb + r.width > register.size);
        if (!outside) return;
        report.error(
          'validate/field-outside-register',
          `field ${field.path} uses bit(s) ${bitRangeText(outside.lsb, outside.width)} but ${register.path} is ${register.size} bits wide (bits ${register.size - 1}..0)`,
          field.span,
          {
            path: field.path,
            related: [{ message: `${register.path} is declared here`, span: register.span }],
            hint: 'fix the bit range, or give the register a larger size',
          },
        );
      },
    };
  },
});
