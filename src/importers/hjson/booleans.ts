import type { LocatedValue, ValueReader } from '../../yaml/index.ts';

/** What reggen's check_bool accepts besides true and false: these strings, in any case. */
const REGGEN_BOOLEAN_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false };

/**
 * A reggen boolean: true/false, or a string reggen parses as one ("False", "TRUE", "1", "0": OpenTitan's
 * rram_macro writes `hwext: "False"`). Anything else is left to `reader.boolean`, which reports it.
 */
export function reggenBoolean(reader: ValueReader, value: LocatedValue | undefined, what: string): boolean | undefined {
  if (value?.kind === 'scalar' && typeof value.value === 'string') {
    const parsed = REGGEN_BOOLEAN_TEXT[value.value.trim().toLowerCase()];
    if (parsed !== undefined) return parsed;
  }
  return reader.boolean(value, what);
}
