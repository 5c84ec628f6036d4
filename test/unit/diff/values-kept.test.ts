import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * The miss class the held-out pairs showed first (session 3, STM32 SPI v3_i2s → v4_i2s: CR1/CR2
 * fields spread over new CFG1/CFG2 registers): a field renamed and moved into a register that is
 * not its old register's counterpart, whose enumerated values are all kept. Small specs of our
 * own; the first test fails on the matcher before src/diff/values-kept.ts.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] => cs.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`).sort();
const pairing = (cs: ChangeSet, before: string) => cs.changes.find((c) => c.before?.path === before && c.after !== undefined);

describe('a field renamed into another register, its values kept', () => {
  const before = `CR1: { offset: 0x0, fields: { SPE: { bits: 6, access: rw }, MSTR: { bits: 2, access: rw, enum: { Slave: 0, Master: 1 } }, BR: { bits: 5..3, access: rw, enum: { Div2: 0, Div4: 1, Div8: 2, Div16: 3 } } } }
CR2: { offset: 0x4, fields: { FRF: { bits: 4, access: rw, enum: { Motorola: 0, TI: 1 } }, TXEIE: { bits: 7, access: rw, enum: { Disabled: 0, Enabled: 1 } } } }`;
  const after = `CR1: { offset: 0x0, fields: { SPE: { bits: 0, access: rw }, CSTART: { bits: 9, access: rw } } }
CR2: { offset: 0x4, fields: { TSER: { bits: 31..16, access: rw } } }
CFG1: { offset: 0x8, fields: { MBR: { bits: 30..28, access: rw, enum: { Div2: 0, Div4: 1, Div8: 2, Div16: 3 } }, TXDMAEN: { bits: 15, access: rw, enum: { Disabled: 0, Enabled: 1 } } } }
CFG2: { offset: 0xc, fields: { MASTER: { bits: 22, access: rw, enum: { Slave: 0, Master: 1 } }, SP: { bits: 21..19, access: rw, enum: { Motorola: 0, TI: 1 } } } }`;

  it('pairs MSTR → CFG2.MASTER and BR → CFG1.MBR (related names) as certain renames and moves', () => {
    const cs = diff(before, after);
    const found = rules(cs);
    expect(found).toContain('field-renamed UART0.CR1.MSTR UART0.CFG2.MASTER');
    expect(found).toContain('field-moved UART0.CR1.MSTR UART0.CFG2.MASTER');
    expect(found).toContain('field-renamed UART0.CR1.BR UART0.CFG1.MBR');
    expect(found).toContain('field-moved UART0.CR1.BR UART0.CFG1.MBR');
    expect(found).not.toContain('field-removed UART0.CR1.MSTR -');
    expect(pairing(cs, 'UART0.CR1.MSTR')?.uncertain).toBeFalsy();
    expect(found).not.toContain('field-removed UART0.CR1.BR -');
  });

  it('pairs nothing on values alone, when the names are unrelated (FRF → SP; TXEIE and TXDMAEN, each alone with {Disabled, Enabled})', () => {
    const found = rules(diff(before, after));
    expect(found).toContain('field-removed UART0.CR2.FRF -');
    expect(found).toContain('field-removed UART0.CR2.TXEIE -');
    expect(found.filter((r) => r.includes('UART0.CFG2.SP') || r.includes('UART0.CFG1.TXDMAEN'))).toEqual([]);
  });

  describe('values kept with their meaning in words (session 4)', () => {
    const spec = (oldValues: string, newValues: string): ChangeSet =>
      diff(
        `CR1: { offset: 0x0, fields: { SPE: { bits: 6, access: rw } } }
CR2: { offset: 0x4, fields: { FMT: { bits: 4, access: rw, enums: [{ values: { ${oldValues} } }] } } }`,
        `CR1: { offset: 0x0, fields: { SPE: { bits: 6, access: rw } } }
CR2: { offset: 0x4, fields: { TSER: { bits: 31..16, access: rw } } }
CFG2: { offset: 0xc, fields: { PROTO: { bits: 21..19, access: rw, enums: [{ values: { ${newValues} } }] } } }`,
      );
    const described = (a: string, b: string): string => `Moto: { value: 0, description: ${a} }, Tix: { value: 1, description: ${b} }`;

    it('pairs unrelated names when every value is described alike, uncertain', () => {
      const cs = spec(described('Serial Moto mode', 'Serial Tix mode'), described('Moto serial protocol', 'Tix serial protocol'));
      expect(rules(cs)).toEqual(expect.arrayContaining(['field-renamed UART0.CR2.FMT UART0.CFG2.PROTO', 'field-moved UART0.CR2.FMT UART0.CFG2.PROTO']));
      expect(pairing(cs, 'UART0.CR2.FMT')?.uncertain).toBe(true);
    });

    it('guard: not when a value’s descriptions disagree', () => {
      const cs = spec(described('Serial Moto mode', 'Serial Tix mode'), described('Moto serial protocol', 'Clock stretched on overflow'));
      expect(rules(cs)).toContain('field-removed UART0.CR2.FMT -');
    });

    it('guard: not when the descriptions only repeat the value names', () => {
      const cs = spec(described('Moto', 'Tix'), described('Moto', 'Tix'));
      expect(rules(cs)).toContain('field-removed UART0.CR2.FMT -');
    });
  });

  it('never pairs on a value set another field of the peripheral also carries', () => {
    // MODE and MODE_SEL are related names with the same values, but CTRL.SPEED keeps that set on both
    // sides: the set names no single field. (The name alone may still pair them: uncertain by a name
    // one other name extends, src/diff/elsewhere.ts, or by the learned scorer on the name, which the
    // session-6 retrain does with confidence 0.86 — never certain by kept values.)
    const cs = diff(
      `CR1: { offset: 0x0, fields: { MODE: { bits: 2, access: rw, enum: { Slow: 0, Fast: 1 } } } }
CTRL: { offset: 0x40, fields: { SPEED: { bits: 0, access: rw, enum: { Slow: 0, Fast: 1 } } } }`,
      `CR1: { offset: 0x0, fields: { SPE: { bits: 0, access: rw } } }
CFG: { offset: 0x8, fields: { MODE_SEL: { bits: 5, access: rw, enum: { Slow: 0, Fast: 1 } } } }
CTRL: { offset: 0x40, fields: { SPEED: { bits: 0, access: rw, enum: { Slow: 0, Fast: 1 } } } }`,
    );
    const mode = pairing(cs, 'UART0.CR1.MODE');
    const how = cs.matches.find((m) => m.before === 'UART0.CR1.MODE')?.how;
    expect(mode === undefined || mode.uncertain === true || how === 'scored', JSON.stringify(mode)).toBe(true);
  });

  it('does not pair across access: a read-only field with the same values is another field', () => {
    const cs = diff(
      `CR1: { offset: 0x0, fields: { MSTR: { bits: 2, access: rw, enum: { Slave: 0, Master: 1 } } } }`,
      `CR1: { offset: 0x0, fields: { SPE: { bits: 0, access: rw } } }
SR: { offset: 0x8, fields: { MSTRF: { bits: 5, access: r, enum: { Slave: 0, Master: 1 } } } }`,
    );
    expect(rules(cs)).toContain('field-removed UART0.CR1.MSTR -');
  });
});
