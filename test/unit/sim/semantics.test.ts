import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { OnWrite } from '../../../src/ir/types.ts';
import { counterStep, interruptEvent, interruptNext, writeNext } from '../../../firmware-sim/semantics.ts';
import { Status } from '../../../src/protocol/index.ts';
import { semanticsSim } from './fixture.ts';

/**
 * The equations of shared/notes/access-semantics.md written again, independently, one bit at a
 * time as truth tables (r = stored bit, d = data bit, s = enable bit). The simulator computes
 * whole words with bit operators; agreement on random words checks both.
 */
const perBit: Record<string, (r: number, d: number, s: number) => number> = {
  plain: (r, d, s) => (s ? d : r),
  woset: (r, d, s) => (s && d ? 1 : r),
  woclr: (r, d, s) => (s && d ? 0 : r),
  wot: (r, d, s) => (s && d ? 1 - r : r),
  wzs: (r, d, s) => (s && !d ? 1 : r),
  wzc: (r, d, s) => (s && !d ? 0 : r),
  wzt: (r, d, s) => (s && !d ? 1 - r : r),
  wclr: () => 0,
  wset: () => 1,
};

function expectedWrite(mode: string, R: number, D: number, S: number, width: number): number {
  let out = 0;
  for (let i = 0; i < width; i++) out += perBit[mode]!((R >>> i) & 1, (D >>> i) & 1, (S >>> i) & 1) * 2 ** i;
  return out;
}

const word = (width: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: 2 ** width - 1 });

describe('write equations (SystemRDL onwrite / SVD modifiedWriteValues)', () => {
  for (const mode of Object.keys(perBit)) {
    it(`${mode}: next = the per-bit truth table, for every width up to 32`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 32 }).chain((w) => fc.tuple(fc.constant(w), word(w), word(w), word(w))),
          ([w, R, D, S]) => {
            const onWrite = mode === 'plain' ? undefined : (mode as OnWrite);
            expect(writeNext(onWrite, R, D, S, w)).toBe(expectedWrite(mode, R, D, S, w));
          },
        ),
      );
    });
  }
});

describe('interrupt equations', () => {
  const event = (kind: string, i: number, p: number): number =>
    kind === 'level' ? i : kind === 'posedge' ? i & (1 - p) : kind === 'negedge' ? (1 - i) & p : i ^ p;
  it('event detection per bit, then stickybit / sticky / nonsticky', () => {
    fc.assert(
      fc.property(fc.constantFrom('level', 'posedge', 'negedge', 'bothedge'), word(8), word(8), word(8), (kind, R, input, previous) => {
        let e = 0;
        for (let b = 0; b < 8; b++) e |= event(kind, (input >> b) & 1, (previous >> b) & 1) << b;
        const got = interruptEvent(kind as 'level', input, previous, 8);
        expect(got).toBe(e);
        let stickybit = 0;
        for (let b = 0; b < 8; b++) stickybit |= (((R >> b) & 1) | ((e >> b) & 1)) << b;
        expect(interruptNext('stickybit', R, e, 8)).toBe(stickybit);
        expect(interruptNext('sticky', R, e, 8)).toBe(R !== 0 ? R : e);
        expect(interruptNext('nonsticky', R, e, 8)).toBe(e);
      }),
    );
  });
});

describe('counter equations', () => {
  it('wrapping counters: (R + incr·n) mod 2^w, overflow exactly when it wraps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }).chain((w) => fc.tuple(fc.constant(w), word(w), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 20 }))),
        ([w, R, incr, n]) => {
          const step = counterStep({ incrValue: incr }, R, n, w);
          expect(step.value).toBe((R + incr * n) % 2 ** w);
          expect(step.overflow).toBe(R + incr * n >= 2 ** w);
        },
      ),
    );
  });
  it('saturating counters clamp at the limit and at zero', () => {
    fc.assert(
      fc.property(word(8), fc.integer({ min: 0, max: 255 }), fc.integer({ min: -300, max: 300 }), (R, limit, n) => {
        const step = counterStep({ incrSaturate: limit, decrSaturate: true }, R, n, 8);
        const expected = n >= 0 ? (R + n > limit ? limit : R + n) : Math.max(R + n, 0);
        expect(step.value).toBe(expected);
        expect(step.overflow || step.underflow).toBe(false);
      }),
    );
  });
  it('down-counting wraps with underflow', () => {
    expect(counterStep({ decrValue: 2 }, 1, -1, 4)).toEqual({ value: 15, overflow: false, underflow: true, saturated: false });
  });
});

describe('the device model applies the equations through the bus', () => {
  const fields = ['PLAIN', 'WOSET', 'WOCLR', 'WOT', 'WZS', 'WZC', 'WZT', 'WCLR', 'WSET'] as const;
  const modes: Record<(typeof fields)[number], string> = {
    PLAIN: 'plain',
    WOSET: 'woset',
    WOCLR: 'woclr',
    WOT: 'wot',
    WZS: 'wzs',
    WZC: 'wzc',
    WZT: 'wzt',
    WCLR: 'wclr',
    WSET: 'wset',
  };

  it('every beat of any width and byte lane gives each field its equation with S from the byte enables', () => {
    const sim = semanticsSim();
    fc.assert(
      fc.property(word(32), word(32), fc.constantFrom(1, 2, 4), fc.nat(3), (R, D, width, lane) => {
        const address = 0x1000 + Math.floor(lane / width) * width;
        for (const name of fields) {
          const fs = sim.model.field(`P.W.${name}`)!;
          fs.value = (R >>> fs.lsb) & (2 ** fs.width - 1);
        }
        const before = fields.map((n) => sim.model.field(`P.W.${n}`)!.value);
        expect(sim.write(address, width, D).status).toBe(Status.OK);
        // Byte enables → bit enables in register space; data moves to its lane.
        const shift = (address - 0x1000) * 8;
        const S = width === 4 ? 0xffff_ffff : ((2 ** (8 * width) - 1) * 2 ** shift) >>> 0;
        const Dreg = width === 4 ? D : ((D % 2 ** (8 * width)) * 2 ** shift) >>> 0;
        fields.forEach((name, i) => {
          const fs = sim.model.field(`P.W.${name}`)!;
          const fS = (S >>> fs.lsb) & (2 ** fs.width - 1);
          const want = fS === 0 ? before[i] : expectedWrite(modes[name], before[i]!, (Dreg >>> fs.lsb) & (2 ** fs.width - 1), fS, fs.width);
          expect(fs.value, `${name} width ${width} at ${address.toString(16)}`).toBe(want);
        });
      }),
    );
  });

  it('MODIFY uses the mask as bit enables: w1c flags outside the mask survive', () => {
    const sim = semanticsSim();
    sim.model.field('P.W.WOCLR')!.value = 0xf;
    sim.model.field('P.W.PLAIN')!.value = 0x0;
    const r = sim.modify(0x1000, 4, 0x5, 0xf);
    expect(r.status).toBe(Status.OK);
    expect(sim.model.field('P.W.PLAIN')!.value).toBe(0x5);
    expect(sim.model.field('P.W.WOCLR')!.value).toBe(0xf);
    // A naive read-modify-write would have written the 1s back and cleared the flags:
    sim.write(0x1000, 4, sim.read(0x1000, 4).value);
    expect(sim.model.field('P.W.WOCLR')!.value).toBe(0);
  });
});
