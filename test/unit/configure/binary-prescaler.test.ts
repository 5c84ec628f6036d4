import { describe, expect, it } from 'vitest';
import { solveTarget, type TargetProblem } from '../../../src/configure/index.ts';
import { importText } from '../../../src/importers/index.ts';
import type { Field, Register } from '../../../src/ir/types.ts';

/**
 * A binary prescaler, `CLK / (1 << P)` (the nRF TIMER: f = 16 MHz / 2^PRESCALER): the shift by a
 * field becomes a variable tied to P by a table of the powers of two, and the solver picks P. The
 * oracle enumerates the sixteen settings.
 */
const CLK = 16_000_000;

function problem(expr: string, target: number, tolerance: number, engine: 'wasm' | 'ts'): TargetProblem {
  const text = `spec: specdrive/hardware@1
board: b
revision: r
clocks: { CLK: ${CLK} }
peripherals:
  T:
    base: 0x1000
    registers:
      PRESCALER: { offset: 0, fields: { P: { bits: 3..0, access: rw } } }
      OTHER: { offset: 4, fields: { A: { bits: 3..0, access: rw }, B: { bits: 7..4, access: rw } } }
    quantities:
      frequency: { expr: "${expr}", unit: Hz }
`;
  const device = importText(text, 'b.yaml').value!;
  return {
    device,
    peripheral: device.peripherals[0]!,
    quantity: 'frequency',
    target,
    tolerances: [{ tolerance, requirement: { id: 'tolerance', layer: 'configuration', text: 'tolerance' } }],
    clocks: [{ name: 'CLK', hz: CLK, requirement: { id: 'clock', layer: 'hardware', text: 'CLK' } }],
    engine,
  };
}

/** The least-error P, or undefined when none is within the tolerance. */
function oracle(target: number, tolerance: number): number | undefined {
  let best: { p: number; error: number } | undefined;
  for (let p = 0; p < 16; p++) {
    const error = Math.abs(CLK / 2 ** p - target) / target;
    if (!best || error < best.error) best = { p, error };
  }
  return best && best.error <= tolerance ? best.p : undefined;
}

describe('quantities with a binary prescaler (1 << FIELD)', () => {
  for (const engine of ['wasm', 'ts'] as const) {
    it(`${engine}: solves PRESCALER as the enumeration does, and proves the rest infeasible`, () => {
      for (const [target, tolerance] of [
        [1_000_000, 0.01],
        [16_000_000, 0],
        [31_250, 0],
        [100_000, 0.01],
        [100_000, 0.3],
        [1_000, 0.03],
        [10, 0.5],
      ] as const) {
        const r = solveTarget(problem('CLK / (1 << PRESCALER.P)', target, tolerance, engine));
        const expected = oracle(target, tolerance);
        const label = `${target} Hz ± ${tolerance}`;
        if (expected === undefined) expect(r.status, label).toBe('infeasible');
        else {
          expect(r.status, label).toBe('solved');
          if (r.status === 'solved') {
            expect(r.fields['T.PRESCALER.P'], label).toBe(expected);
            expect(r.achieved, label).toBe(CLK / 2 ** expected);
          }
        }
      }
    });
  }

  it("keeps to the field's write constraint (the nRF PRESCALER takes 0–9 of its 4 bits)", () => {
    const p = problem('CLK / (1 << PRESCALER.P)', 15_625, 0.01, 'wasm');
    expect(solveTarget(p)).toMatchObject({ status: 'solved', fields: { 'T.PRESCALER.P': 10 } });
    const [field] = (p.peripheral.registers[0] as Register).fields;
    const constrained: Field = { ...field!, access: { ...field!.access, writeConstraint: { kind: 'range', min: 0, max: 9 } } };
    const register = { ...(p.peripheral.registers[0] as Register), fields: [constrained] };
    const peripheral = { ...p.peripheral, registers: [register, ...p.peripheral.registers.slice(1)] };
    const device = { ...p.device, peripherals: [peripheral] };
    expect(solveTarget({ ...p, device, peripheral }).status).toBe('infeasible');
    expect(solveTarget({ ...p, device, peripheral, target: 31_250 })).toMatchObject({ status: 'solved', fields: { 'T.PRESCALER.P': 9 } });
  });

  it('a shift by a constant scales; a shift by an expression is refused with its reason', () => {
    const scaled = solveTarget(problem('(CLK << 1) / (1 << PRESCALER.P)', 2_000_000, 0, 'wasm'));
    expect(scaled.status === 'solved' && scaled.fields['T.PRESCALER.P']).toBe(4);
    const refused = solveTarget(problem('CLK / (1 << (OTHER.A + OTHER.B))', 1_000_000, 0.01, 'wasm'));
    expect(refused).toMatchObject({
      status: 'error',
      code: 'configure/unsolvable-quantity',
      message: 'quantity frequency: a shift in a quantity is by a constant or by one field (`1 << PRESCALER`)',
    });
  });
});
