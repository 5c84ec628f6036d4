import { describe, expect, it } from 'vitest';
import type { Device } from '../../../src/ir/types.ts';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * A patched rewrite of a vendor file (held-out-6, issue 15): registers renamed, their scalar fields
 * or the registers themselves collected into arrays at the same bits and addresses, and every
 * enumeration replaced (`B_0x0`/`B_0x1` → `Disabled`/`Enabled`). The collection holds on the layout
 * alone; what changed under the array is reported once, under its first scalar, and nothing is removed.
 */
const diff = (before: Device, after: Device): ChangeSet => diffDevices(before, after).value!;
const rules = (cs: ChangeSet): string[] => cs.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`).sort();
const vendorEnum = `enum: { B_0x0: 0, B_0x1: 1 }`;
const patchedEnum = `enum: { Disabled: 0, Enabled: 1 }`;

describe('fields collected into an array inside a renamed register, enumerations rewritten', () => {
  const channel = (k: number): string => `WDCH${k}: { bits: ${k}, access: rw, description: Watchdog channel ${k}, ${vendorEnum} }`;
  const before = `
ADC_WDCR: { offset: 0xA0, description: Watchdog channels, fields: { ${[0, 1, 2, 3].map(channel).join(', ')} } }
ADC_CFGR: { offset: 0x0C, fields: { RES: { bits: 4..3, access: rw } } }`;
  const after = `
WDCR: { offset: 0xA0, description: Watchdog channels, fields: { WDCH: { bits: 0, access: rw, dim: { count: 4, stride: 1 }, description: Watchdog channel %s, ${patchedEnum} } } }
CFGR: { offset: 0x0C, fields: { RES: { bits: 4..3, access: rw } } }`;

  it('reports one field-collected-into-array and the renamed values under the first scalar, no removals', () => {
    const got = rules(diff(deviceFrom(before), deviceFrom(after)));
    expect(got).toContain('field-collected-into-array UART0.ADC_WDCR.WDCH0 UART0.WDCR.WDCH');
    expect(got).toContain('enum-value-renamed UART0.ADC_WDCR.WDCH0.B_0x0 UART0.WDCR.WDCH.Disabled');
    expect(got).toContain('enum-value-renamed UART0.ADC_WDCR.WDCH0.B_0x1 UART0.WDCR.WDCH.Enabled');
    expect(got.filter((r) => /-removed|-added|array-shape-changed|field-renamed/.test(r))).toEqual([]);
  });

  it('still refuses a collection whose layout differs beyond the values (access)', () => {
    const got = rules(diff(deviceFrom(before), deviceFrom(after.replace('bits: 0, access: rw', 'bits: 0, access: r'))));
    expect(got.some((r) => r.startsWith('field-collected-into-array'))).toBe(false);
  });
});

describe('registers collected into a cluster array, enumerations rewritten', () => {
  const ccr = (k: number, offset: number): string =>
    `DMA_CCR${k}: { offset: ${offset}, fields: { EN: { bits: 0, access: rw, ${vendorEnum} }, TCIE: { bits: 1, access: rw, ${vendorEnum} } } }`;
  const before = `
${ccr(1, 0x08)}
${ccr(2, 0x1c)}
${ccr(3, 0x30)}
DMA_ISR: { offset: 0x00, fields: { GIF1: { bits: 0, access: r } } }`;
  const after = `
CH:
  offset: 0x08
  dim: { count: 3, stride: 20 }
  registers:
    CR: { offset: 0x0, fields: { EN: { bits: 0, access: rw, ${patchedEnum} }, TCIE: { bits: 1, access: rw, ${patchedEnum} } } }
ISR: { offset: 0x00, fields: { GIF1: { bits: 0, access: r } } }`;

  it('reports one register-collected-into-array and the value changes under its first scalar', () => {
    const got = rules(diff(deviceFrom(before), deviceFrom(after)));
    expect(got).toContain('register-collected-into-array UART0.DMA_CCR1 UART0.CH.CR');
    expect(got).toContain('enum-value-renamed UART0.DMA_CCR1.EN.B_0x0 UART0.CH.CR.EN.Disabled');
    expect(got).toContain('enum-value-renamed UART0.DMA_CCR1.TCIE.B_0x1 UART0.CH.CR.TCIE.Enabled');
    expect(got.filter((r) => /-removed|-added/.test(r))).toEqual([]);
    // The other scalars' contents are not compared (they went into the same array).
    expect(got.some((r) => r.includes('DMA_CCR2.'))).toBe(false);
  });
});

describe('registers collected into an array while their fields are collected too', () => {
  const tdl = (k: number, offset: number): string =>
    `TDL${k}R: { offset: ${offset}, fields: { ${[0, 1, 2, 3].map((b) => `DATA${b}: { bits: ${8 * b + 7}..${8 * b}, access: rw }`).join(', ')} } }`;
  const before = `
${tdl(0, 0x188)}
${tdl(1, 0x198)}
${tdl(2, 0x1a8)}`;
  const after = `
TX:
  offset: 0x188
  dim: { count: 3, stride: 16 }
  registers:
    TDLR: { offset: 0x0, fields: { DATA: { bits: 7..0, access: rw, dim: { count: 4, stride: 8 } } } }`;

  it('matches the registers on their bits, element by element, and collects the fields under the first', () => {
    const got = rules(diff(deviceFrom(before), deviceFrom(after)));
    expect(got).toContain('register-collected-into-array UART0.TDL0R UART0.TX.TDLR');
    expect(got).toContain('field-collected-into-array UART0.TDL0R.DATA0 UART0.TX.TDLR.DATA');
    expect(got.filter((r) => /-removed|-added/.test(r))).toEqual([]);
  });
});
