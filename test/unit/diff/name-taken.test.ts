import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * A register whose name went to another register (held-out-5's bus regrouping, seen: the registers
 * of one bus renamed for another at their offsets, the old name reused elsewhere for other
 * peripherals' enables). Specs and names of our own. "follows" fails without
 * src/diff/name-taken.ts; the guard pins the exact pairing that shares a field.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] =>
  cs.changes.filter((c) => c.kind === 'register').map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`);
const enables = (names: readonly string[]): string => names.map((n, bit) => `${n}EN: { bits: ${bit}, access: rw, description: ${n} clock enable }`).join(', ');
const register = (name: string, offset: number, names: readonly string[]): string =>
  `${name}: { offset: ${offset}, description: Bus clock enable register, fields: { ${enables(names)} } }`;

describe('a register whose name was taken by another register', () => {
  const before = [register('BUS2ENR', 0x14, ['AES', 'HASH', 'RNG', 'CAM']), register('BUS3ENR', 0x10, ['DMAX', 'FMC', 'JPEG', 'QSPI'])].join('\n');

  it('follows the fields to the register at the old offset; the namesake is added', () => {
    const after = [
      register('BUS5ENR', 0x10, ['DMAX', 'FMC', 'JPEG', 'QSPI', 'GPU']),
      register('BUS2ENR', 0x14, ['CAM']),
      register('BUS3ENR', 0x18, ['AES', 'HASH', 'RNG']),
    ].join('\n');
    const found = rules(diff(before, after));
    expect(found).toContain('register-renamed UART0.BUS3ENR UART0.BUS5ENR');
    expect(found).toContain('register-added - UART0.BUS3ENR');
    expect(found.filter((r) => r.startsWith('register-moved'))).toEqual([]);
  });

  it('guard: a namesake that kept one of its fields stays the pairing', () => {
    const after = [
      register('BUS5ENR', 0x10, ['DMAX', 'FMC', 'JPEG', 'GPU']),
      register('BUS2ENR', 0x14, ['CAM']),
      register('BUS3ENR', 0x18, ['AES', 'HASH', 'QSPI']),
    ].join('\n');
    const found = rules(diff(before, after));
    expect(found).toContain('register-moved UART0.BUS3ENR UART0.BUS3ENR');
    expect(found).toContain('register-added - UART0.BUS5ENR');
  });
});
