/** Real families against their independent oracles, on both engines. */
import { describe, expect, it } from 'vitest';
import { assign, solve, type Engine } from '../../../src/solve/index.ts';
import { compat, layoutFamily, matching, packingFamily, pllFamily, timerFamily, usartFamily, type Instance } from './families.ts';

function check(insts: readonly Instance[], engine: Engine): { feasible: number; infeasible: number } {
  let feasible = 0;
  let infeasible = 0;
  for (const inst of insts) {
    const r = solve(inst.problem, { engine });
    if (inst.oracle === null) {
      expect(r.status, inst.name).toBe('infeasible');
      infeasible++;
    } else {
      expect(r.status, inst.name).toBe('optimal');
      expect(r.objectives, inst.name).toEqual(inst.oracle);
      feasible++;
    }
  }
  return { feasible, infeasible };
}

describe.each(['wasm', 'ts'] as Engine[])('families (%s)', (engine) => {
  it('STM32F4 PLL: HSE 4–26 MHz x SYSCLK targets with USB 48 MHz', () => {
    const c = check(pllFamily(), engine);
    expect(c.feasible).toBeGreaterThan(10);
    expect(c.infeasible).toBeGreaterThan(3);
  });
  it('STM32F4 PLL infeasible target names the blocking requirement', () => {
    const inst = pllFamily().find((i) => i.oracle === null)!;
    const r = solve(inst.problem, { engine });
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]!.requirements.length).toBeGreaterThan(0);
  });
  it('USART BRR with OVER8', () => {
    const c = check(usartFamily(), engine);
    expect(c.feasible).toBeGreaterThan(10);
    expect(c.infeasible).toBeGreaterThan(0);
  });
  it('timer PSC/ARR', () => {
    const c = check(timerFamily(), engine);
    expect(c.feasible).toBeGreaterThan(10);
  });
  it('bitfield packing (minimum registers)', () => {
    check(packingFamily(), engine);
  });
  it('register layout with reserved ranges and alignment', () => {
    check(layoutFamily(), engine);
  });
  it('driver vs revision: all known minimal conflicts', () => {
    const { problem, conflicts } = compat();
    const r = solve(problem, { engine });
    expect(r.status).toBe('infeasible');
    expect(r.conflictsExact).toBe(true);
    expect(r.conflicts.map((c) => c.requirements.join(' & ')).sort()).toEqual(conflicts.map((c) => c.join(' & ')).sort());
  });
});

describe('matching', () => {
  it.each([50, 200])('n = %i: wasm equals TypeScript, and beats the identity/greedy baselines', (n) => {
    const { cost, noMatch } = matching(n);
    const a = assign(cost, { noMatchCost: noMatch, engine: 'wasm' });
    const b = assign(cost, { noMatchCost: noMatch, engine: 'ts' });
    expect(a.rowToCol).toEqual(b.rowToCol);
    const greedy = cost.reduce((s, row) => s + Math.min(noMatch, ...row), 0); // a lower bound (columns may repeat)
    expect(a.total).toBeGreaterThanOrEqual(greedy - 1e-9);
    expect(a.total).toBeLessThanOrEqual(n * noMatch);
  });
});
