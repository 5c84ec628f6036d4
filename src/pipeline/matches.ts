import type { Device } from '../ir/types.ts';
import type { Match } from '../diff/types.ts';
import { diffDevices } from '../diff/diff.ts';

/**
 * Matches between a contract's reference revision and another revision, so binding can follow
 * renamed and moved fields. Cached per pair: every contract of a board asks for the same pairs.
 */
const cache = new WeakMap<Device, WeakMap<Device, readonly Match[]>>();

export function matchesBetween(reference: Device, target: Device): readonly Match[] {
  let inner = cache.get(reference);
  if (!inner) {
    inner = new WeakMap();
    cache.set(reference, inner);
  }
  const hit = inner.get(target);
  if (hit) return hit;
  const matches = computeMatches(reference, target);
  inner.set(target, matches);
  return matches;
}

function computeMatches(reference: Device, target: Device): readonly Match[] {
  return diffDevices(reference, target).value?.matches ?? [];
}
