import { describe, expect, it } from 'vitest';
import { DEFAULT_RATES, mutateDevice } from '../../../src/diff/matcher/mutate.ts';
import { findByPath, placedRegisters } from '../../../src/ir/walk.ts';
import type { Device } from '../../../src/ir/types.ts';
import { demoRevision } from '../../helpers/demo.ts';

/** The matcher's training mutations: the truth they record must describe the device they return. */
const heavy = { rename: 0.5, move: 0.4, resize: 0.4, remove: 0.2, add: 0.2, describe: 0.5, split: 0.5 };
/** A path of the mutated device: a peripheral, register or field, or an enum value below a field. */
function exists(device: Device, path: string): boolean {
  if (findByPath(device, path)) return true;
  const field = findByPath(device, path.slice(0, path.lastIndexOf('.')));
  const value = path.slice(path.lastIndexOf('.') + 1);
  return field?.kind === 'field' && (field.enums ?? []).some((set) => set.values.some((v) => v.name === value));
}

const stable = (d: Device): string => JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('mutateDevice', () => {
  const device = demoRevision('rev-a');

  it('is a function of the seed', () => {
    for (const seed of [1, 2, 3]) expect(stable(mutateDevice(device, seed, heavy).device)).toBe(stable(mutateDevice(device, seed, heavy).device));
    expect(stable(mutateDevice(device, 1, heavy).device)).not.toBe(stable(mutateDevice(device, 2, heavy).device));
  });

  it('records a truth whose every target exists in the mutated device, and mutates something', () => {
    let renamed = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const rates of [DEFAULT_RATES, heavy]) {
        const { device: after, truth, ignore } = mutateDevice(device, seed, rates);
        for (const [before, now] of truth) {
          expect(exists(after, now), `${before} → ${now} (seed ${seed})`).toBe(true);
          if (before.split('.').pop() !== now.split('.').pop()) renamed++;
        }
        // A split field leaves two halves in its place and no truth of its own.
        for (const path of ignore) expect(truth.has(path)).toBe(false);
        // Fields never overlap, however they were moved, widened, split or added.
        for (const p of after.peripherals)
          for (const { register } of placedRegisters(p)) {
            const bits = new Set<number>();
            for (const f of register.fields)
              for (let b = f.lsb; b < f.lsb + f.width; b++) {
                expect(bits.has(b), `${f.path} overlaps`).toBe(false);
                bits.add(b);
              }
          }
      }
    }
    expect(renamed).toBeGreaterThan(0);
  });
});
