import type { CounterSemantics, InterruptKind, OnWrite, Stickiness } from '../src/ir/types.ts';

/**
 * The bit equations of field access semantics (shared/notes/access-semantics.md, SystemRDL 2.0 §9).
 * All values are field-local (bit 0 = the field's lsb) and at most 32 bits wide; R is the stored
 * value, D the written data, S the bit enables of the access (byte enables widened to bits, or a
 * MODIFY mask). Pure functions, so tests check them against equations written independently.
 */

export function fieldOnes(width: number): number {
  return width >= 32 ? 0xffff_ffff : ((1 << width) >>> 0) - 1;
}

/** Next stored value after a software write. `wuser` is handled by a hook; without one it acts as a plain write. */
export function writeNext(onWrite: OnWrite | undefined, R: number, D: number, S: number, width: number): number {
  const M = fieldOnes(width);
  let next: number;
  switch (onWrite) {
    case 'woset':
      next = R | (D & S);
      break;
    case 'woclr':
      next = R & ~(D & S);
      break;
    case 'wot':
      next = R ^ (D & S);
      break;
    case 'wzs':
      next = R | (~D & S);
      break;
    case 'wzc':
      next = R & (D | ~S);
      break;
    case 'wzt':
      next = R ^ (~D & S);
      break;
    case 'wclr':
      next = 0;
      break;
    case 'wset':
      next = M;
      break;
    default:
      next = (R & ~S) | (D & S);
  }
  return (next & M) >>> 0;
}

/** Value after a read side effect (`rclr` clears, `rset` sets); the read itself returns the old value. */
export function readNext(onRead: 'rclr' | 'rset' | undefined, R: number, width: number): number {
  if (onRead === 'rclr') return 0;
  if (onRead === 'rset') return fieldOnes(width);
  return R;
}

/** Bits that an interrupt input change raises: the event detector of SystemRDL interrupt fields. */
export function interruptEvent(kind: InterruptKind, input: number, previous: number, width: number): number {
  const M = fieldOnes(width);
  switch (kind) {
    case 'posedge':
      return (input & ~previous & M) >>> 0;
    case 'negedge':
      return (~input & previous & M) >>> 0;
    case 'bothedge':
      return ((input ^ previous) & M) >>> 0;
    default:
      return (input & M) >>> 0;
  }
}

/**
 * Next value of an interrupt field given the detected event bits.
 * stickybit: each bit latches; sticky: the whole value latches while non-zero; nonsticky: follows the event.
 */
export function interruptNext(sticky: Stickiness, R: number, event: number, width: number): number {
  const M = fieldOnes(width);
  if (sticky === 'stickybit') return ((R | event) & M) >>> 0;
  if (sticky === 'sticky') return ((R !== 0 ? R : event) & M) >>> 0;
  return (event & M) >>> 0;
}

/**
 * Interrupt output of one field: value & enable, or value & ~mask (enable/mask fields of another
 * width gate the whole field when non-zero).
 */
export function interruptOutput(value: number, enable: number | undefined, mask: number | undefined): boolean {
  let v = value;
  if (enable !== undefined) v &= enable;
  if (mask !== undefined) v &= ~mask;
  return v >>> 0 !== 0;
}

export interface CounterStep {
  readonly value: number;
  /** The step wrapped past the top (increment) or below zero (decrement). */
  readonly overflow: boolean;
  readonly underflow: boolean;
  /** The step was clamped by a saturation limit. */
  readonly saturated: boolean;
}

/**
 * One counter step by `amount` (positive counts up by incrValue per unit, negative down by decrValue).
 * Saturating counters clamp: min(R + step, limit) / max(R - step, floor), (`true` = the width's natural limit) and never wrap;
 * others wrap modulo 2^width and report overflow/underflow.
 */
export function counterStep(counter: CounterSemantics, R: number, amount: number, width: number): CounterStep {
  const M = fieldOnes(width);
  const modulus = M + 1;
  if (amount >= 0) {
    const next = R + (counter.incrValue ?? 1) * amount;
    const limit = counter.incrSaturate === true ? M : counter.incrSaturate;
    if (limit !== undefined)
      return next > limit
        ? { value: limit, overflow: false, underflow: false, saturated: true }
        : { value: next, overflow: false, underflow: false, saturated: false };
    return { value: next % modulus, overflow: next > M, underflow: false, saturated: false };
  }
  const next = R - (counter.decrValue ?? 1) * -amount;
  const floor = counter.decrSaturate === true ? 0 : counter.decrSaturate;
  if (floor !== undefined)
    return next < floor
      ? { value: floor, overflow: false, underflow: false, saturated: true }
      : { value: next, overflow: false, underflow: false, saturated: false };
  return { value: ((next % modulus) + modulus) % modulus, overflow: false, underflow: next < 0, saturated: false };
}

/** Threshold outputs: asserted while value ≥ incrThreshold / ≤ decrThreshold (`true` = max / 0). */
export function counterThresholds(counter: CounterSemantics, value: number, width: number): { incr: boolean; decr: boolean } {
  const M = fieldOnes(width);
  const up = counter.incrThreshold === true ? M : counter.incrThreshold;
  const down = counter.decrThreshold === true ? 0 : counter.decrThreshold;
  return { incr: up !== undefined && value >= up, decr: down !== undefined && value <= down };
}
