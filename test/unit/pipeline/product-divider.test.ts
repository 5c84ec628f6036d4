/**
 * The run-time search of a product-form divider (prescaler × period) agrees with the solver: on
 * every value the table covers (the generated drivers keep the table for those, a switch being
 * faster than a search) the search finds a setting exactly when the solver does, with the same
 * least error; and the same on seeded random targets over the whole range that matters (1 Hz to
 * past the clock, beyond which nothing is within tolerance).
 */
import { describe, expect, it } from 'vitest';
import { solveTarget } from '../../../src/configure/index.ts';
import { STANDARD_TARGETS } from '../../../src/pipeline/lower-operations.ts';
import { productDividerForm, searchProductDivider, type ProductDividerForm, type ProductFactor } from '../../../src/pipeline/product-divider.ts';
import { seededRandom } from '../../../src/random/index.ts';
import { demoRevision } from '../../helpers/demo.ts';

const PPM = 10_000; // the timer contract's 1 %
const REVISIONS = ['rev-a', 'rev-b', 'rev-c'] as const;

function timerOf(rev: (typeof REVISIONS)[number]) {
  const device = demoRevision(rev);
  return { device, timer: device.peripherals.find((p) => p.name === 'TIM0')! };
}

/**
 * The table's verdict for one rate: the solver as the lowering runs it (same budget), giving the
 * least absolute error |clock − t·d| (undefined: proven infeasible), or `undecided` when the
 * solver cannot tell (budget, or t·d past its 2⁵² domain: rates above ~1 MHz on 16 × 16 bits).
 */
function tableError(rev: (typeof REVISIONS)[number], form: ProductDividerForm, target: number): { error?: number; optimal: boolean } | 'undecided' {
  const { device, timer } = timerOf(rev);
  const clocks = device.clocks.map((c) => ({ name: c.name, hz: c.hz, requirement: { id: c.name, layer: 'hardware' as const, text: c.name } }));
  const r = solveTarget({
    device,
    peripheral: timer,
    quantity: 'update_rate',
    target,
    clocks,
    maxNodes: 20_000,
    tolerances: [{ tolerance: PPM / 1e6, requirement: { id: 't', layer: 'contract', text: 't' } }],
  });
  if (r.status === 'infeasible') return { optimal: true };
  if (r.status !== 'solved') return 'undecided';
  return { error: errorOf(form, target, r.fields), optimal: r.optimal };
}

/** Brute force over every divisor near clock/t (an independent oracle where the divisor is small). */
function bruteError(form: ProductDividerForm, target: number): number | undefined {
  const clock = form.clock.hz;
  const [outer, inner] = form.factors;
  let best: number | undefined;
  const limit = Math.ceil((2 * clock) / target);
  for (let x = Math.max(1, outer.offset); x <= Math.min(outer.max + outer.offset, limit); x++)
    for (let y = Math.max(1, inner.offset); y <= Math.min(inner.max + inner.offset, Math.ceil(limit / x)); y++) {
      const achieved = form.coef * x * y * target;
      const error = Math.abs(clock - achieved);
      if (error * 1e6 <= PPM * achieved && (best === undefined || error < best)) best = error;
    }
  return best;
}

/** |clock − t·divisor| of a setting given as `REGISTER.FIELD` (or absolute `TIM0.REGISTER.FIELD`) values. */
function errorOf(form: ProductDividerForm, target: number, fields: Readonly<Record<string, number>>): number {
  const value = (f: ProductFactor): number => (fields[`${f.register}.${f.field}`] ?? fields[`TIM0.${f.register}.${f.field}`]!) + f.offset;
  return Math.abs(form.clock.hz - target * form.coef * value(form.factors[0]) * value(form.factors[1]));
}

describe('run-time search of a product-form divider', () => {
  it('TIM0 update_rate = HCLK / ((PSC + 1) * (ARR + 1)) has a search form, the narrower field outer', () => {
    const { device, timer } = timerOf('rev-b');
    expect(productDividerForm(device, timer, 'update_rate')).toEqual({
      clock: { name: 'HCLK', hz: device.clocks[0]!.hz },
      coef: 1,
      // Both 16 bits on rev-b: the expression's canonical order (ARR first) decides.
      factors: [
        { register: 'ARR', field: 'ARR', offset: 1, max: 65535 },
        { register: 'PSC', field: 'PSC', offset: 1, max: 65535 },
      ],
    });
    expect(productDividerForm(timerOf('rev-a').device, timerOf('rev-a').timer, 'update_rate')?.factors.map((f) => `${f.field}:${f.max}`)).toEqual([
      'PSC:255',
      'ARR:65535',
    ]);
    // A closed form (the UART's baud) is not a product.
    expect(productDividerForm(device, device.peripherals.find((p) => p.name === 'UART0')!, 'baud')).toBeUndefined();
  });

  for (const rev of REVISIONS) {
    it(`${rev}: agrees with the solver on every tabulated rate and on ${rev === 'rev-a' ? 40 : 12} seeded random rates`, () => {
      const { device, timer } = timerOf(rev);
      const form = productDividerForm(device, timer, 'update_rate')!;
      const clock = form.clock.hz;
      const random = seededRandom(rev.charCodeAt(4));
      const random_targets = Array.from({ length: rev === 'rev-a' ? 40 : 12 }, () => Math.max(1, Math.round(Math.exp(random() * Math.log(clock * 1.05)))));
      const targets = [...STANDARD_TARGETS['update_rate']!, 1, 7, 37, 1234, clock, clock + 1, ...random_targets];
      let found = 0;
      let undecided = 0;
      for (const target of targets) {
        const searched = searchProductDivider(form, target, PPM);
        const mine = searched ? errorOf(form, target, searched) : undefined;
        const table = tableError(rev, form, target);
        if (table === 'undecided') {
          // Where the solver cannot tell, the divisor is small: brute force decides instead.
          expect(target, 'only large rates are beyond the solver').toBeGreaterThan(100_000);
          expect(mine, `rate ${target} (brute force)`).toBe(bruteError(form, target));
          undecided++;
        } else if (table.optimal) expect(mine, `rate ${target}`).toBe(table.error);
        else expect(mine !== undefined && mine <= table.error!, `rate ${target}: search ${mine} vs table ${table.error} (not proven least)`).toBe(true);
        if (searched) {
          found++;
          for (const f of form.factors) expect(searched[`${f.register}.${f.field}`]).toBeLessThanOrEqual(f.max);
          expect(mine! * 1e6).toBeLessThanOrEqual(PPM * (clock + mine!));
        }
      }
      expect(undecided).toBeLessThan(targets.length / 4);
      expect(found).toBeGreaterThan(15);
      // Past the clock nothing is within tolerance; the largest u32 is refused without overflow.
      expect(searchProductDivider(form, 0xffff_ffff, PPM)).toBeUndefined();
    });
  }
});
