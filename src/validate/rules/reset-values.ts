import { extractBig, extractWordOf, ones, onesBig } from '../../ir/bits.ts';
import type { Field } from '../../ir/types.ts';
import { walkingRule } from '../rule.ts';
import { hex } from './rule-helpers.ts';

/** Widths up to this many bits get an all-ones mask to compare with; past it (or not a whole number) the mask is not made. */
const MAX_MASK_BITS = 4096;
const maskable = (width: number): boolean => Number.isInteger(width) && width <= MAX_MASK_BITS;

/**
 * Reset values must fit: a field's reset in its width, a register's reset in its size. When a
 * register states its own reset and a field states another for its bits, the two disagree and a
 * simulator or driver would pick one silently, so that is reported too.
 */
export const resetValuesRule = walkingRule({
  id: 'reset-values',
  description: 'reset values wider than their field or register, and register/field resets that disagree',
  codes: ['validate/field-reset-too-wide', 'validate/register-reset-too-wide', 'validate/reset-mismatch'],
  listen(_device, report) {
    return {
      enterRegister(register) {
        // A width no mask can be made for (fractional, or billions of bits) is the representable rule's finding, not this one's.
        if (!maskable(register.size)) return;
        if (register.resetValue > onesBig(register.size)) {
          report.error(
            'validate/register-reset-too-wide',
            `reset value ${hex(register.resetValue)} of ${register.path} does not fit in ${register.size} bits (largest ${hex(onesBig(register.size))})`,
            register.span,
            { path: register.path },
          );
          return;
        }
        const fields = register.fields;
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i] as Field;
          if (field.reset === undefined || !maskable(field.width)) continue;
          if (field.reset > onesBig(field.width)) {
            report.error(
              'validate/field-reset-too-wide',
              `reset value ${hex(field.reset)} of ${field.path} does not fit in its ${field.width} bit(s) (largest ${hex(onesBig(field.width))})`,
              field.span,
              { path: field.path },
            );
            continue;
          }
          // Only simple fields inside the register compare cleanly; split and array fields have no single place.
          if (field.segments || field.dim || !Number.isInteger(field.lsb) || field.lsb + field.width > register.size) continue;
          // Registers of up to 32 bits compare in plain numbers: no bigint per field.
          const maskWord = extractWordOf(register.resetMask, field.lsb, field.width);
          const valueWord = extractWordOf(register.resetValue, field.lsb, field.width);
          if (maskWord !== undefined && valueWord !== undefined) {
            if (maskWord !== ones(field.width) || valueWord === Number(field.reset)) continue;
          } else if (extractBig(register.resetMask, field.lsb, field.width) !== onesBig(field.width)) continue;
          const fromRegister = extractBig(register.resetValue, field.lsb, field.width);
          if (fromRegister === field.reset) continue;
          report.warning(
            'validate/reset-mismatch',
            `${field.path} resets to ${hex(field.reset)} but the reset of ${register.path} (${hex(register.resetValue)}) gives it ${hex(fromRegister)}`,
            field.span,
            {
              path: field.path,
              related: [{ message: `${register.path} states its reset here`, span: register.span }],
              hint: 'state the reset in one place, or make both agree',
            },
          );
        }
      },
    };
  },
});
