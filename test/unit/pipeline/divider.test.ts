/**
 * The run-time divider: the closed-form computation every generated target does must agree with
 * the solver (same rounding, same tolerance) — on every tabulated standard value and on seeded
 * random targets over the whole u32 range that matters (1 Hz .. past the clock) — and the lowering
 * uses it instead of a table only where the formula has a closed-form inverse.
 */
import { describe, expect, it } from 'vitest';
import { solveTarget } from '../../../src/configure/index.ts';
import { STANDARD_TARGETS } from '../../../src/pipeline/lower-operations.ts';
import { computeDivider, dividerForm } from '../../../src/pipeline/divider-form.ts';
import { seededRandom } from '../../../src/random/index.ts';
import { demoRevision } from '../../helpers/demo.ts';

const PPM = 20_000; // the uart contract's 2 %

function solverFields(rev: 'rev-a' | 'rev-b', target: number): Record<string, number> | undefined {
  const device = demoRevision(rev);
  const uart = device.peripherals.find((p) => p.name === 'UART0')!;
  const clocks = device.clocks.map((c) => ({ name: c.name, hz: c.hz, requirement: { id: c.name, layer: 'hardware' as const, text: c.name } }));
  const r = solveTarget({
    device,
    peripheral: uart,
    quantity: 'baud',
    target,
    clocks,
    maxNodes: 20_000,
    tolerances: [{ tolerance: PPM / 1e6, requirement: { id: 't', layer: 'contract', text: 't' } }],
  });
  if (r.status === 'infeasible') return undefined;
  if (r.status !== 'solved') throw new Error(`solver ${r.status} for ${target}`);
  return Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k.slice('UART0.'.length), v]));
}

describe('run-time divider', () => {
  for (const rev of ['rev-a', 'rev-b'] as const) {
    it(`${rev}: the closed form agrees with the solver on every standard rate and 150 random targets`, () => {
      const device = demoRevision(rev);
      const form = dividerForm(device, device.peripherals.find((p) => p.name === 'UART0')!, 'baud');
      expect(form).toBeDefined();
      const random = seededRandom(rev === 'rev-a' ? 16 : 17);
      // Targets spread on a log scale from 1 Hz to 8 MHz (beyond HCLK/16 nothing fits), plus the
      // exact ties of rev-a (48 MHz / (16·(k + 0.5))), where rounding direction matters.
      const targets = [...STANDARD_TARGETS['baud']!, 9600, 3_000_000, 1, 8_000_000];
      for (let i = 0; i < 150; i++) targets.push(Math.max(1, Math.round(Math.exp(random() * Math.log(8e6)))));
      let decided = 0;
      for (const target of targets) {
        const computed = computeDivider(form!, target, PPM);
        expect(computed, `baud ${target}`).toEqual(solverFields(rev, target));
        if (computed) decided++;
      }
      expect(decided).toBeGreaterThan(50);
    });
  }

  it('products such as (PSC + 1) * (ARR + 1) have no closed form: the timer keeps its table', () => {
    const device = demoRevision('rev-b');
    expect(dividerForm(device, device.peripherals.find((p) => p.name === 'TIM0')!, 'update_rate')).toBeUndefined();
  });
});
