import type { Device, Peripheral } from '../ir/types.ts';
import type { Linear } from '../configure/rational.ts';
import { clockRatio } from './clock-ratio.ts';

/**
 * A product-form divider `CLOCK / (coef · (F₁ + o₁) · (F₂ + o₂))` — a timer's prescaler × period —
 * has no closed-form inverse, so the generated drivers search it at run time, bounded: for each
 * value x of the outer factor (the narrower field), the inner y nearest `clock / (coef·x·t)` is the
 * best for that x (the error is convex in y), so one pass over the outer field finds the least
 * |clock − t·divisor| among the settings within tolerance — what the solver minimises, with its
 * tolerance (|clock − t·d|·10⁶ ≤ ppm·t·d). Ties go to the smaller outer value, then the smaller
 * inner one. The pass starts where the inner factor stops being pinned at its top and ends at an
 * exact setting or once the inner factor is pinned at its bottom past the clock (at most the outer
 * field's range: 256 iterations for an 8-bit prescaler, 65 536 for a 16-bit one). Settings more than
 * 50 % off are skipped (ppm is below 500 000), which keeps every product below 2⁵³: exact in C
 * uint64, in TS doubles and in Python ints.
 */
export interface ProductDividerForm {
  readonly clock: { readonly name: string; readonly hz: number };
  readonly coef: number;
  /** The outer factor (searched over) first. */
  readonly factors: readonly [ProductFactor, ProductFactor];
}

export interface ProductFactor {
  /** Register path relative to the peripheral, and the field. */
  readonly register: string;
  readonly field: string;
  readonly offset: number;
  /** Largest field value (2^width − 1). */
  readonly max: number;
}

/** Tolerances at or above 50 % are left to the table (the skip above relies on it). */
export const MAX_SEARCH_PPM = 499_999;
/** coef · largest outer factor: keeps coef·x·t below 2⁵³ for any u32 t. */
const MAX_OUTER_SCALE = 2 ** 20;
const MAX_OFFSET = 1;

export function productDividerForm(device: Device, peripheral: Peripheral, quantity: string): ProductDividerForm | undefined {
  const ratio = clockRatio(device, peripheral, quantity);
  if (!ratio) return undefined;
  const { clock, den, fields } = ratio;
  const product = den.terms[0];
  if (den.terms.length !== 1 || den.constant !== 0 || !product || product.factor.kind !== 'product' || product.factor.factors.length !== 2) return undefined;
  if (!Number.isInteger(product.coef) || product.coef < 1) return undefined;
  const factor = (l: Linear): ProductFactor | undefined => {
    const t = l.terms[0];
    const f = t?.factor.kind === 'var' ? fields.get(t.factor.name) : undefined;
    if (l.terms.length !== 1 || t?.coef !== 1 || !f || !Number.isInteger(l.constant) || l.constant < 0 || l.constant > MAX_OFFSET) return undefined;
    const rel = f.path.slice(peripheral.name.length + 1);
    return { register: rel.slice(0, rel.lastIndexOf('.')), field: f.field.name, offset: l.constant, max: 2 ** f.field.width - 1 };
  };
  const [a, b] = product.factor.factors.map(factor);
  if (!a || !b || `${a.register}.${a.field}` === `${b.register}.${b.field}`) return undefined;
  // The narrower field is searched over (ties: the order of the expression, which is canonical).
  const [outer, inner] = b.max < a.max ? [b, a] : [a, b];
  if (product.coef * (outer.max + outer.offset) >= MAX_OUTER_SCALE) return undefined;
  return { clock: { name: clock.name, hz: clock.hz }, coef: product.coef, factors: [outer, inner] };
}

/**
 * The run-time search in TypeScript, as every generated target does it: the field values
 * (`REGISTER.FIELD` → value) for `target`, or undefined when no setting is within `ppm`.
 */
export function searchProductDivider(form: ProductDividerForm, target: number, ppm: number): Record<string, number> | undefined {
  if (!Number.isInteger(target) || target < 1 || target > 0xffff_ffff || ppm > MAX_SEARCH_PPM) return undefined;
  const clock = form.clock.hz;
  const [outer, inner] = form.factors;
  const yLow = Math.max(1, inner.offset);
  const yHigh = inner.max + inner.offset;
  let best: { x: number; y: number; error: number } | undefined;
  // Below xFirst the inner factor is pinned at its top and every x is worse than xFirst
  // (⌊clock / (t·yHigh·coef)⌋ as chained integer divisions: no product that could overflow).
  const xFirst = Math.max(Math.max(1, outer.offset), Math.floor(Math.floor(Math.floor(clock / target) / yHigh) / form.coef));
  for (let x = xFirst; x <= outer.max + outer.offset; x++) {
    const step = form.coef * x * target;
    if (step > 2 * clock) break; // more than 50 % off whatever the inner factor
    const nearest = Math.floor(clock / step);
    for (const candidate of [nearest, nearest + 1]) {
      const y = Math.min(yHigh, Math.max(yLow, candidate));
      const achieved = step * y;
      const error = Math.abs(clock - achieved);
      // 2·error ≤ achieved first: it keeps error·10⁶ below 2⁵³ (and never rejects a setting in tolerance).
      if (2 * error <= achieved && error * 1_000_000 <= ppm * achieved && (best === undefined || error < best.error)) best = { x, y, error };
    }
    // Exact, or the inner factor is at its bottom and already past the clock: later x only get worse.
    if (best?.error === 0 || step * yLow >= clock) break;
  }
  if (!best) return undefined;
  return { [`${outer.register}.${outer.field}`]: best.x - outer.offset, [`${inner.register}.${inner.field}`]: best.y - inner.offset };
}
