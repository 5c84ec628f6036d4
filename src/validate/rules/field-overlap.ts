import type { Field } from '../../ir/types.ts';
import { walkingRule } from '../rule.ts';
import { bitRangeText, bySourceOrder, fieldAccessClass, fieldBitRanges, forEachOverlap, isReadWritePair, PairSet, type Interval } from './rule-helpers.ts';

/**
 * Fast path for the common case (plain fields, no overlap): one sort of the lsbs and a scan, without
 * building intervals. Split or arrayed fields, or any overlap, go through the full sweep.
 */
function simpleFieldsDisjoint(fields: readonly Field[]): boolean {
  let ascending = true;
  let descending = true;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as Field;
    if (f.segments !== undefined || f.dim !== undefined) return false;
    if (i === 0) continue;
    const previous = (fields[i - 1] as Field).lsb;
    if (f.lsb < previous) ascending = false;
    if (f.lsb >= previous) descending = false;
  }
  // Fields are mostly written in bit order, either way: then the stable sort below would give them
  // as they are (or, strictly descending, reversed), and no sorted copy is made.
  if (ascending || descending) return disjointInOrder(fields, ascending);
  const sorted = [...fields].sort((a, b) => a.lsb - b.lsb);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if (sorted[i]!.lsb < previous.lsb + previous.width) return false;
  }
  return true;
}

/** No field starts inside the one before it, taking them as listed (`forward`) or from the last. */
function disjointInOrder(fields: readonly Field[], forward: boolean): boolean {
  const last = fields.length - 1;
  for (let k = 1; k <= last; k++) {
    const previous = fields[forward ? k - 1 : last - k + 1] as Field;
    if ((fields[forward ? k : last - k] as Field).lsb < previous.lsb + previous.width) return false;
  }
  return true;
}

/**
 * Fields of one register must not share bits, except a read-only/write-only pair (a status bit read
 * where a command bit is written). Split fields and field arrays are checked bit run by bit run.
 */
export const fieldOverlapRule = walkingRule({
  id: 'field-overlap',
  description: 'fields of one register that share bits, unless a read-only/write-only pair',
  codes: ['validate/field-overlap'],
  listen(_device, report) {
    return {
      enterRegister(register) {
        if (register.fields.length < 2 || simpleFieldsDisjoint(register.fields)) return;
        const intervals: Interval<Field>[] = register.fields.flatMap((field) =>
          fieldBitRanges(field).map((r) => ({ start: r.lsb, end: r.lsb + r.width, item: field })),
        );
        const reported = new PairSet<Field>();
        forEachOverlap(intervals, (a, b) => {
          if (a.item === b.item) return;
          if (isReadWritePair(fieldAccessClass(a.item), fieldAccessClass(b.item))) return;
          if (!reported.add(a.item, b.item)) return;
          const [first, second] = bySourceOrder(a.item, b.item);
          const shared = bitRangeText(Math.max(a.start, b.start), Math.min(a.end, b.end) - Math.max(a.start, b.start));
          report.error('validate/field-overlap', `field ${second.path} shares bit(s) ${shared} with ${first.path}`, second.span, {
            path: second.path,
            related: [{ message: `${first.path} is declared here`, span: first.span }],
            hint: 'give each field its own bits, or make one read-only and the other write-only',
          });
        });
      },
    };
  },
});
