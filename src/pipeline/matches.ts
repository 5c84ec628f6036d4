import type { StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import type { ChangeSet, Match } from '../diff/types.ts';
import { diffDevices } from '../diff/diff.ts';

/**
 * The diff of two revisions, once per pair in a run: `ci` reports the predecessor → revision diff
 * and binding follows the reference → revision matches, which are often the same pair.
 */
const cache = new WeakMap<Device, WeakMap<Device, StageResult<ChangeSet>>>();

export function diffBetween(before: Device, after: Device): StageResult<ChangeSet> {
  let inner = cache.get(before);
  if (!inner) {
    inner = new WeakMap();
    cache.set(before, inner);
  }
  let result = inner.get(after);
  if (!result) {
    result = diffDevices(before, after);
    inner.set(after, result);
  }
  return result;
}

/** Matches from a contract's reference revision to another, so binding can follow renames and moves. */
export function matchesBetween(reference: Device, target: Device): readonly Match[] {
  return diffBetween(reference, target).value?.matches ?? [];
}
