import type { Device, Field, Peripheral } from '../ir/types.ts';
import { clockRatio } from './clock-ratio.ts';

/**
 * The closed-form inverse of a divider quantity `CLOCK / (Σ coefᵢ·Fᵢ + offset)` whose fields form
 * a mixed radix (`16·DIV + FRAC` with FRAC 4 bits wide): with g the smallest coefficient, the
 * divisor is `g·V + offset`, and the V nearest the exact one — `round((clock − offset·target) /
 * (g·target))` — minimises |clock − target·divisor|, the error the solver minimises. V splits into
 * the fields digit by digit. Anything else (products such as `(PSC+1)·(ARR+1)`) keeps the table.
 */
export interface DividerForm {
  readonly clock: { readonly name: string; readonly hz: number };
  /** Fields from the largest coefficient down, each with its register and `coef / g` weight. */
  readonly fields: readonly { readonly register: string; readonly field: string; readonly weight: number; readonly width: number }[];
  readonly unit: number;
  readonly offset: number;
  /** Largest V the fields can hold. */
  readonly maxV: number;
}

/** Small enough that every product in the generated check fits 64 bits (docs/generators.md). */
const MAX_UNIT = 256;

export function dividerForm(device: Device, peripheral: Peripheral, quantity: string): DividerForm | undefined {
  const ratio = clockRatio(device, peripheral, quantity);
  if (!ratio || !Number.isInteger(ratio.den.constant)) return undefined;
  const { clock, den, fields } = ratio;
  const terms = den.terms.map((t) => (t.factor.kind === 'var' ? { coef: t.coef, name: t.factor.name } : undefined));
  if (terms.length === 0 || terms.some((t) => !t || !fields.has(t.name) || !Number.isInteger(t.coef) || t.coef < 1)) return undefined;
  // A write constraint narrower than the field (an overlay's `range`) is the solver's to keep: table it.
  const narrowed = (f: Field): boolean =>
    f.access.writeConstraint?.kind === 'range' && (f.access.writeConstraint.min > 0 || f.access.writeConstraint.max < 2 ** f.width - 1);
  if ([...fields.values()].some((f) => narrowed(f.field))) return undefined;
  const sorted = (terms as { coef: number; name: string }[]).sort((a, b) => a.coef - b.coef);
  const unit = sorted[0]!.coef;
  if (unit > MAX_UNIT) return undefined;
  // Mixed radix: each coefficient is the previous one times 2^width of the previous field.
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.coef !== sorted[i - 1]!.coef * 2 ** fields.get(sorted[i - 1]!.name)!.field.width) return undefined;
  const parts = sorted.map((t) => {
    const f = fields.get(t.name)!;
    const rel = f.path.slice(peripheral.name.length + 1);
    return { register: rel.slice(0, rel.lastIndexOf('.')), field: f.field.name, weight: t.coef / unit, width: f.field.width };
  });
  const top = parts[parts.length - 1]!;
  const maxV = top.weight * (2 ** top.width - 1) + (top.weight - 1);
  if (!Number.isSafeInteger(maxV) || maxV >= 2 ** 32) return undefined;
  return { clock: { name: clock.name, hz: clock.hz }, fields: parts.reverse(), unit, offset: den.constant, maxV };
}

/**
 * The run-time computation in TypeScript, as every generated target does it: the field values for
 * `target`, or undefined when no divisor is within `ppm`. The tests compare it with the solver.
 */
export function computeDivider(form: DividerForm, target: number, ppm: number): Record<string, number> | undefined {
  if (!Number.isInteger(target) || target < 1) return undefined;
  const clock = BigInt(form.clock.hz);
  const t = BigInt(target);
  const g = BigInt(form.unit);
  const numerator = clock - BigInt(form.offset) * t;
  if (numerator <= 0n) return undefined;
  // Nearest V; a tie goes to the smaller divisor, as the solver's search (low values first) does.
  const v = (2n * numerator + g * t - 1n) / (2n * g * t);
  if (v < 0n || v > BigInt(form.maxV)) return undefined;
  const divisor = g * v + BigInt(form.offset);
  if (divisor < 1n) return undefined;
  const diff = clock > t * divisor ? clock - t * divisor : t * divisor - clock;
  if (diff * 1_000_000n > BigInt(ppm) * t * divisor) return undefined;
  const out: Record<string, number> = {};
  let rest = Number(v);
  for (const f of form.fields) {
    out[`${f.register}.${f.field}`] = Math.floor(rest / f.weight);
    rest %= f.weight;
  }
  return out;
}
