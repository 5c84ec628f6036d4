import type { Clock, Device, Field, Peripheral } from '../ir/types.ts';
import { parseExpr } from '../expr/index.ts';
import { toRational, type Linear } from '../configure/rational.ts';
import { resolveQuantityName } from '../configure/solve-target.ts';

/** A quantity of the form `CLOCK / den`, den a rational in the peripheral's fields. */
export interface ClockRatio {
  readonly clock: Clock;
  readonly den: Linear;
  /** The fields den names, by the name the quantity uses. */
  readonly fields: ReadonlyMap<string, { readonly path: string; readonly field: Field }>;
}

/**
 * Reads a divider quantity as one board clock over a denominator of fields: the shape both run-time
 * inverses (closed form in divider-form.ts, bounded search in product-divider.ts) start from.
 * Anything else, or a clock outside u32, is undefined (the drivers keep the solved table).
 */
export function clockRatio(device: Device, peripheral: Peripheral, quantity: string): ClockRatio | undefined {
  const q = peripheral.quantities.find((x) => x.name === quantity);
  const parsed = q ? parseExpr(q.expression).expr : undefined;
  if (!parsed) return undefined;
  const fields = new Map<string, { path: string; field: Field }>();
  const clocks = new Set<string>();
  const isVar = (name: string): boolean => {
    const r = resolveQuantityName(device, peripheral, name);
    if (r?.kind === 'field') fields.set(name, { path: r.path, field: r.field });
    else if (r?.kind === 'clock' && device.clocks.some((c) => c.name === name)) clocks.add(name);
    else return false;
    return true;
  };
  let rational: ReturnType<typeof toRational>;
  try {
    rational = toRational(parsed, isVar);
  } catch {
    return undefined;
  }
  const { num, den } = rational;
  const clockTerm = num.terms[0];
  if (num.terms.length !== 1 || num.constant !== 0 || clockTerm?.coef !== 1 || clockTerm.factor.kind !== 'var' || !clocks.has(clockTerm.factor.name))
    return undefined;
  const clockName = clockTerm.factor.name;
  const clock = device.clocks.find((c) => c.name === clockName);
  if (!clock || !Number.isSafeInteger(clock.hz) || clock.hz < 1 || clock.hz >= 2 ** 32) return undefined;
  return { clock, den, fields };
}
