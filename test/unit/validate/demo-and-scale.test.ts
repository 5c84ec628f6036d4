import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Peripheral, Register } from '../../../src/ir/types.ts';
import { loadAndValidate } from '../../../src/pipeline/load-spec.ts';
import { validateDevice } from '../../../src/validate/index.ts';
import { forEachOverlap, PairSet } from '../../../src/validate/rules/rule-helpers.ts';
import { check, device, field, peripheral, register, spec } from './helpers.ts';

const root = join(import.meta.dirname, '../../..');

describe('no false positives', () => {
  const demo = readdirSync(join(root, 'hardware-specs/demo-board')).filter((f) => f.endsWith('.yaml'));

  it.each(demo)('demo board %s validates with no finding at all', async (file) => {
    const loaded = await loadAndValidate(join(root, 'hardware-specs/demo-board', file));
    expect(loaded.unusable).toBe(false);
    expect(loaded.diagnostics).toEqual([]);
  });

  it('a read-only/write-only register pair and field pair at one place are clean under every rule', () => {
    const text = spec(`  UART0:
    base: 0x4000_0000
    size: 0x100
    registers:
      RDR: { offset: 0x4, fields: { DATA: { bits: 7..0, access: r, onread: fifo } } }
      TDR: { offset: 0x4, fields: { DATA: { bits: 7..0, access: w } } }
      SR:
        offset: 0x8
        fields:
          BUSY: { bits: 0, access: r }
          ABORT: { bits: 0, access: w, singlepulse: true }
`);
    expect(check(text)).toEqual([]);
  });
});

describe('overlap sweep', () => {
  it('finds exactly the pairs a brute-force comparison finds', () => {
    const interval = fc.record({ start: fc.integer({ min: 0, max: 64 }), length: fc.integer({ min: 0, max: 12 }) });
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 30 }), (raw) => {
        const intervals = raw.map((r, item) => ({ start: r.start, end: r.start + r.length, item }));
        const swept = new Set<string>();
        forEachOverlap(intervals, (a, b) => void swept.add([a.item, b.item].sort((x, y) => x - y).join(',')));
        const brute = new Set<string>();
        for (const a of intervals)
          for (const b of intervals)
            if (a.item < b.item && a.start < b.end && b.start < a.end && a.end > a.start && b.end > b.start) brute.add(`${a.item},${b.item}`);
        expect([...swept].sort()).toEqual([...brute].sort());
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('stops when the callback says so', () => {
    const intervals = Array.from({ length: 10 }, (_, item) => ({ start: 0, end: 4, item }));
    let calls = 0;
    forEachOverlap(intervals, () => ++calls < 3);
    expect(calls).toBe(3);
  });

  it('remembers unordered pairs', () => {
    const [a, b, c] = [{}, {}, {}];
    const pairs = new PairSet<object>();
    expect([pairs.add(a, b), pairs.add(b, a), pairs.add(a, c), pairs.add(c, a), pairs.add(b, c)]).toEqual([true, false, true, false, true]);
  });
});

/** A synthetic device the size of the largest real SVD (≈7 500 registers), with arrays and clusters. */
function bigDevice(plantFaults: boolean): ReturnType<typeof device> {
  const peripherals: Peripheral[] = [];
  for (let p = 0; p < 150; p++) {
    const registers: Register[] = [];
    for (let r = 0; r < 50; r++) {
      const fields = Array.from({ length: 8 }, (_, f) => field(`F${f}`, f * 4, 4, { path: `P${p}.R${r}.F${f}`, reset: BigInt(f) }));
      registers.push(register(`R${r}`, r * 4, fields, { path: `P${p}.R${r}`, ...(r === 49 ? { dim: { count: 16, stride: 4 } } : {}) }));
    }
    if (plantFaults && p === 77) registers.push(register('LATE', 0x10, [field('X', 0, 1)], { path: `P${p}.LATE` }));
    peripherals.push(peripheral(`P${p}`, 0x4000_0000 + p * 0x400, registers, { addressBlocks: [{ offset: 0, size: 0x400, usage: 'registers' }] }));
  }
  // EXTRA's register lies on P149.R4: a real overlap (address blocks overlapping alone are a warning).
  if (plantFaults) peripherals.push(peripheral('EXTRA', 0x4000_0000 + 149 * 0x400 + 0x10, [register('R', 0, [field('F', 0, 1)])]));
  return device(peripherals);
}

describe('scale', () => {
  it('validates a 7 500-register device clean, and finds faults planted in it', () => {
    // No timing assertion (machines are shared and noisy); the sweep keeps this well under a second.
    expect(validateDevice(bigDevice(false))).toEqual([]);
    const found = validateDevice(bigDevice(true)).map((d) => `${d.code} ${d.path}`);
    expect(found).toEqual(['validate/peripheral-overlap EXTRA', 'validate/register-overlap P77.LATE']);
  });
});
