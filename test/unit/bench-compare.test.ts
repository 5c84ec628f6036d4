import { describe, expect, it } from 'vitest';
import { comparable, formatChange, type Saved } from '../bench/run.ts';

const row = (medianMs: number) => ({ module: 'm', case: 'c', impl: 'i', medianMs });
const run = (load: [number, number] | undefined, medianMs: number): Saved => ({
  date: `load ${load?.join('-') ?? 'none'}`,
  mode: 'quick',
  ...(load ? { machine: { cores: 2, loadStart: load[0], loadEnd: load[1] } } : {}),
  results: [{ name: 'm', status: 'ok', wallMs: 1, ratioNote: '', rows: [row(medianMs)] }],
});

describe('bench run comparison', () => {
  it('compares runs at similar load and prints the change', () => {
    expect(comparable(run([1, 1.5], 10), run([2, 2], 12))).toBeUndefined();
    expect(formatChange(run([1, 1.5], 10), run([2, 2], 12))).toContain('+20.0 %');
  });

  it('refuses runs whose load differs by more than 2×, and says why', () => {
    const why = comparable(run([0.5, 0.5], 10), run([15, 18], 30));
    expect(why).toMatch(/load differs by ×/);
    expect(formatChange(run([0.5, 0.5], 10), run([15, 18], 30))).toMatch(/^not compared/);
  });

  it('refuses a previous run that recorded no load', () => {
    expect(comparable(run(undefined, 10), run([1, 1], 10))).toMatch(/no load average/);
  });
});
