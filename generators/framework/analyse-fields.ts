import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { clearMethod, fieldNeutral } from '../../src/ir/access.ts';
import { bitMask, placeBits } from '../../src/ir/bits.ts';
import type { BitSegment, Field } from '../../src/ir/types.ts';
import { mergeEnums } from './analyse-enums.ts';
import type { FieldArray, FieldView } from './analysis-types.ts';

export const readableAccess = new Set(['r', 'rw', 'rw1']);
export const writableAccess = new Set(['w', 'rw', 'w1', 'rw1']);

/** `rw`, `rw/woclr`, `r/rclr/pulse`…: most fields have only the first word, returned as it is. */
function accessLabel(field: Field): string {
  const { sw, onWrite, onRead, singlePulse } = field.access;
  let label: string = sw;
  if (onWrite) label += `/${onWrite}`;
  if (onRead) label += `/${onRead}`;
  if (singlePulse) label += '/pulse';
  return label;
}

/**
 * Field arrays (bit stride) become one field per element: every target treats fields as scalars.
 * Each element remembers its array, so C can also give indexed `_Pos(n)` / `_Msk(n)` macros.
 */
export function expandFieldArrays(fields: readonly Field[]): { field: Field; array?: FieldArray }[] {
  const out: { field: Field; array?: FieldArray }[] = [];
  for (const f of fields) {
    if (!f.dim) {
      out.push({ field: f });
      continue;
    }
    const arrayName = f.dim.namePattern ? f.dim.namePattern.replace(/\[%s\]|%s/, '') : f.name;
    for (let i = 0; i < f.dim.count; i++) {
      const label = f.dim.indices?.[i] ?? String(i);
      const name = f.dim.namePattern ? f.dim.namePattern.replace(/%s|\[%s\]/, label) : `${f.name}${label}`;
      const { dim: _dim, ...rest } = f;
      const array = { name: arrayName, index: i, count: f.dim.count, stride: f.dim.stride, firstLsb: f.lsb };
      out.push({ field: { ...rest, name, path: f.path.replace(/[^.]*$/, name), lsb: f.lsb + i * f.dim.stride }, array });
    }
  }
  return out;
}

export function analyseField(field: Field, diagnostics: Diagnostic[], array?: FieldArray): FieldView {
  const readable = readableAccess.has(field.access.sw);
  const writable = writableAccess.has(field.access.sw);
  const segments = field.segments && field.segments.length > 0 ? field.segments : [{ lsb: field.lsb, width: field.width }];
  let mask = 0;
  for (let i = 0; i < segments.length; i++) mask += bitMask((segments[i] as BitSegment).lsb, (segments[i] as BitSegment).width);
  const enums = mergeEnums(field, diagnostics);
  // Every key always present (undefined when absent): one object shape for every field, and no
  // temporary objects to spread (a field view is made for each of N657's 100 000 fields).
  return {
    name: field.name,
    path: field.path,
    span: field.span,
    description: field.description,
    lsb: field.lsb,
    width: field.width,
    mask,
    segments,
    readable,
    writable,
    onWrite: field.access.onWrite || undefined,
    onRead: field.access.onRead || undefined,
    singlePulse: field.access.singlePulse === true,
    neutral: fieldNeutral(field, writable),
    clear: clearMethod(field),
    reset: field.reset,
    enumValues: enums.all,
    readEnum: enums.read,
    writeEnum: enums.write,
    enumComplete: enums.complete,
    accessLabel: accessLabel(field),
    array,
  };
}

/** Places a field value into its segments (low logical bits in the first segment). */
export function placeField(field: Pick<FieldView, 'segments'>, value: number): number {
  let out = 0;
  let rest = value;
  for (const s of field.segments) {
    out += placeBits(rest % 2 ** s.width, s.lsb, s.width);
    rest = Math.floor(rest / 2 ** s.width);
  }
  return out;
}
