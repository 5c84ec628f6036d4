import type { EnumSet, EnumValue } from '../../ir/types.ts';
import { ones } from '../../ir/bits.ts';
import { upperCaseKey } from '../../ir/names.ts';
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
        const enums = field.enums;
        if (enums === undefined) return;
        for (let s = 0; s < enums.length; s++) {
          const values = (enums[s] as EnumSet).values;
          // Most sets hold a handful of values: earlier ones are scanned instead of indexed in two maps per set.
          const small = values.length <= SCAN_LIMIT;
          const byName = small ? undefined : new Map<string, EnumValue>();
          const byValue = small ? undefined : new Map<number, EnumValue>();
          for (let i = 0; i < values.length; i++) {
            const value = values[i] as EnumValue;
            const key = upperCaseKey(value.name);
            if (small) upperNames[i] = key;
            const sameName = byName ? byName.get(key) : earlierNamed(values, i, key);
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
            } else byName?.set(key, value);
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
            const sameValue = byValue ? byValue.get(value.value) : earlierValued(values, i, value.value, field.width);
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
            } else byValue?.set(value.value, value);
          }
        }
      },
    };
  },
});

const SCAN_LIMIT = 8;

/** The upper-case names of the small set being checked, by index: each name upper-cased once, not once per later value. */
const upperNames: string[] = [];

/** The first of `values[0..end)` whose name is `key` ignoring case: what the by-name map would hold. */
function earlierNamed(values: readonly EnumValue[], end: number, key: string): EnumValue | undefined {
  for (let j = 0; j < end; j++) if (upperNames[j] === key) return values[j] as EnumValue;
  return undefined;
}

/** The first of `values[0..end)` the by-value map would hold for `value`: a plain value that fits the field. */
function earlierValued(values: readonly EnumValue[], end: number, value: number, width: number): EnumValue | undefined {
  for (let j = 0; j < end; j++) {
    const v = values[j] as EnumValue;
    if (v.value === value && !v.isDefault && v.value <= ones(width) && !v.dontCareMask) return v;
  }
  return undefined;
}
