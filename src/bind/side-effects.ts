import type { Field } from '../ir/types.ts';
import { swReadable, swWritable } from '../ir/access.ts';
import type { SideEffect } from '../contracts/index.ts';

/** The side effects a field has, in the contract vocabulary (see docs/contracts.md). */
export function sideEffectsOf(field: Field): SideEffect[] {
  const effects: SideEffect[] = [];
  const { onRead, onWrite, singlePulse, sw } = field.access;
  if (onRead === 'rclr') effects.push('read-clears');
  if (onRead === 'rset') effects.push('read-sets');
  if (onRead === 'external') effects.push('read-pops');
  if (onWrite === 'woclr') effects.push('write-1-clears');
  if (onWrite === 'woset') effects.push('write-1-sets');
  if (onWrite === 'wzc') effects.push('write-0-clears');
  if (onWrite === 'wclr') effects.push('write-clears');
  if (onWrite === 'wot' || onWrite === 'wzt') effects.push('write-toggles');
  if (singlePulse) effects.push('singlepulse');
  if (sw === 'w1' || sw === 'rw1') effects.push('write-once');
  return effects;
}

export function isReadable(field: Field): boolean {
  return swReadable(field.access.sw);
}

export function isWritable(field: Field): boolean {
  return swWritable(field.access.sw);
}

export function describeEffects(effects: readonly SideEffect[]): string {
  return effects.length === 0 ? 'no side effect' : effects.join(', ');
}
