import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaults } from '../../../firmware-sim/faults.ts';

describe('--faults parsing', () => {
  it('reads probabilities, seed, bus errors and stuck bits', () => {
    expect(parseFaults('drop=0.01,corrupt=0.02,duplicate=0.5,delay=0.1,delay-ms=7,seed=3,bus-error=0x40001000,stuck=0x40001004:0x1:0x1')).toEqual({
      drop: 0.01,
      corrupt: 0.02,
      duplicate: 0.5,
      delay: 0.1,
      delayMs: 7,
      seed: 3,
      busErrors: [0x40001000],
      stuck: [{ address: 0x40001004, mask: 1, value: 1 }],
    });
  });
  it('names what is wrong', () => {
    expect(parseFaults('drop=2')).toMatch(/drop must be a probability/);
    expect(parseFaults('lose=0.1')).toMatch(/unknown fault "lose"/);
    expect(parseFaults('drop')).toMatch(/needs a value/);
    expect(parseFaults('stuck=1:2')).toMatch(/ADDRESS:MASK:VALUE/);
  });
});

describe('fault injector', () => {
  it('is reproducible from its seed and hits the requested rates', () => {
    const run = (): number[] => {
      const injector = new FaultInjector({ seed: 4, drop: 0.1, corrupt: 0.1 }, 0);
      const out: number[] = [];
      for (let i = 0; i < 10_000; i++) injector.apply(Uint8Array.of(i & 0xff, 0), (b) => out.push(b[0]! ^ b[1]!));
      return out;
    };
    const a = run();
    expect(run()).toEqual(a);
    expect(a.length).toBeGreaterThan(8_700);
    expect(a.length).toBeLessThan(9_300);
  });
});
