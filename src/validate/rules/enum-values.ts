import type { EnumValue } from '../../ir/types.ts';
import { ones } from '../../ir/bits.ts';
import { walkingRule } from '../rule.ts';
import { hex } from './rule-helpers.ts';

/**
 * Enumerated values must fit their field, and within one enum set names and values must be unique.
 * Names are compared ignoring case because generators change case (`Even` and `EVEN` both become
 * `EVEN` in C): an exact repeat is an error, a case-only difference (a specdrive naming preference,
 * not a CMSIS rule) a warning;
 * two names for one value make decoding a read ambiguous.
 */
export const enumValuesRule = walkingRule({
  id: 'enum-values',
  description: 'enum values that do not fit their field, duplicate enum names or values',
  codes: ['validate/enum-value-too-wide', 'validate/enum-duplicate-name', 'validate/enum-duplicate-value'],
  listen(_device, report) {
    return {
      enterField(field) {
        for (const set of field.enums ?? []) {
          const byName = new Map<string, EnumValue>();
          const byValue = new Map<number, EnumValue>();
          for (const value of set.values) {
            const key = value.name.toUpperCase();
            const sameName = byName.get(key);
            if (sameName && sameName.name === value.name) {
              report.error('validate/enum-duplicate-name', `enum name ${value.name} of ${field.path} is declared twice`, value.span, {
                path: value.path,
                related: [{ message: `${sameName.path} is declared here`, span: sameName.span }],
              });
            } else if (sameName) {
              // A naming preference of specdrive's generators, not a CMSIS rule (nRF54L15 has DISABLED and Disabled).
              report.warning(
                'validate/enum-duplicate-name',
                `enum name ${value.name} of ${field.path} differs from ${sameName.name} only in case`,
                value.span,
                {
                  path: value.path,
                  related: [{ message: `${sameName.path} is declared here`, span: sameName.span }],
                  hint: 'generators that change case give both one identifier and keep the first',
                },
              );
            } else byName.set(key, value);
            if (value.isDefault) continue;
            if (value.value > ones(field.width)) {
              // A warning: the value can never be read back or written, so it is inert (nRF54L15 v3.4 SAADC GAIN).
              report.warning(
                'validate/enum-value-too-wide',
                `enum value ${value.name} = ${hex(value.value)} does not fit in the ${field.width} bit(s) of ${field.path} (largest ${hex(ones(field.width))})`,
                value.span,
                { path: value.path, related: [{ message: `${field.path} is declared here`, span: field.span }] },
              );
              continue;
            }
            // Don't-care patterns (SVD `#1xx0`) match several values; comparing them exactly would be wrong.
            if (value.dontCareMask) continue;
            const sameValue = byValue.get(value.value);
            if (sameValue) {
              report.warning(
                'validate/enum-duplicate-value',
                `enum names ${sameValue.name} and ${value.name} of ${field.path} both have the value ${hex(value.value)}`,
                value.span,
                {
                  path: value.path,
                  related: [{ message: `${sameValue.path} is declared here`, span: sameValue.span }],
                  hint: 'a read of that value could not be decoded to one name',
                },
              );
            } else byValue.set(value.value, value);
          }
        }
      },
    };
  },
});
