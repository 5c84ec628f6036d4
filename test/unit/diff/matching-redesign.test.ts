import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * The failure classes the independently labelled pairs showed (session 3, I2C v1 → v2: a
 * re-laid-out peripheral), one small spec of our own each. Every test fails on the matcher as it
 * was before the fix it names.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] => cs.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`).sort();

describe('re-laid-out registers and fields', () => {
  it('does not pair two registers at one address whose names differ in a letter and whose fields share nothing (CCR → ICR)', () => {
    const cs = diff(
      `CCR: { offset: 0x1c, description: Clock control register, fields: { CCR: { bits: 11..0, access: rw }, DUTY: { bits: 14, access: rw }, F_S: { bits: 15, access: rw } } }`,
      `ICR: { offset: 0x1c, description: Interrupt clear register, fields: { ADDRCF: { bits: 3, access: w }, NACKCF: { bits: 4, access: w }, STOPCF: { bits: 5, access: w } } }`,
    );
    expect(rules(cs)).toEqual(['register-added - UART0.ICR', 'register-removed UART0.CCR -']);
  });

  it('pairs a register renamed and moved whose fields mostly kept their names (SR1 at 0x14 → ISR at 0x18)', () => {
    const cs = diff(
      `SR1: { offset: 0x14, fields: { ADDR: { bits: 1, access: r }, STOPF: { bits: 4, access: r }, RXNE: { bits: 6, access: r }, TXE: { bits: 7, access: r }, BTF: { bits: 2, access: r } } }
TIMING: { offset: 0x0, fields: { SCL: { bits: 7..0, access: rw } } }`,
      `ISR: { offset: 0x18, fields: { TXE: { bits: 0, access: r }, RXNE: { bits: 2, access: r }, ADDR: { bits: 3, access: r }, STOPF: { bits: 5, access: r }, TC: { bits: 6, access: r } } }
TIMING: { offset: 0x0, fields: { SCL: { bits: 7..0, access: rw } } }
TIMEOUT: { offset: 0x14, fields: { TIMEOUTA: { bits: 11..0, access: rw } } }`,
    );
    const found = rules(cs);
    expect(found).toContain('register-renamed UART0.SR1 UART0.ISR');
    expect(found).toContain('register-moved UART0.SR1 UART0.ISR');
    expect(found).toContain('field-moved UART0.SR1.TXE UART0.ISR.TXE');
    expect(found).not.toContain('register-removed UART0.SR1 -');
  });

  it('reports no merge of unrelated fields that merely lie inside a wider new field among others that stay', () => {
    const cs = diff(
      `CR2: { offset: 4, fields: { FREQ: { bits: 5..0, access: rw }, ITERREN: { bits: 8, access: rw }, ITEVTEN: { bits: 9, access: rw }, LAST: { bits: 12, access: rw } } }`,
      `CR2: { offset: 4, fields: { SADD: { bits: 9..0, access: rw }, DIR: { bits: 10, access: rw }, NACK: { bits: 15, access: rw } } }`,
    );
    expect(rules(cs).filter((r) => r.startsWith('field-merged'))).toEqual([]);
    expect(rules(cs)).toContain('field-removed UART0.CR2.FREQ -');
  });

  it('still reports a merge when the parts tile the new field, or are the whole old layout', () => {
    const tiled = diff(
      `BRR: { offset: 8, fields: { DIV_FRACTION: { bits: 3..0, access: rw }, DIV_MANTISSA: { bits: 15..4, access: rw } } }`,
      `BRR: { offset: 8, fields: { BRR: { bits: 15..0, access: rw } } }`,
    );
    expect(rules(tiled)).toEqual(['field-merged UART0.BRR.DIV_FRACTION UART0.BRR.BRR']);
    const whole = diff(
      `PTR: { offset: 8, fields: { OFFSET: { bits: 15..0, access: rw }, BASE: { bits: 29, access: rw } } }`,
      `PTR: { offset: 8, fields: { PTR: { bits: 31..0, access: rw } } }`,
    );
    expect(rules(whole)).toEqual(['field-merged UART0.PTR.OFFSET UART0.PTR.PTR']);
  });

  it('pairs a field renamed and moved within its register that kept every enumerated value (ADDMODE bit 15 → OA1MODE bit 10)', () => {
    const cs = diff(
      `OAR1: { offset: 8, fields: { ADD: { bits: 9..0, access: rw }, ADDMODE: { bits: 15, access: rw, enum: { Bit7: 0, Bit10: 1 } } } }`,
      `OAR1: { offset: 8, fields: { ADD: { bits: 9..0, access: rw }, OA1MODE: { bits: 10, access: rw, enum: { Bit7: 0, Bit10: 1 } }, OA1EN: { bits: 15, access: rw } } }`,
    );
    expect(rules(cs)).toEqual([
      'field-added - UART0.OAR1.OA1EN',
      'field-moved UART0.OAR1.ADDMODE UART0.OAR1.OA1MODE',
      'field-renamed UART0.OAR1.ADDMODE UART0.OAR1.OA1MODE',
    ]);
  });

  it('pairs a field renamed into another register on a related name and the same wording, as uncertain (FLTR.ANOFF → CR1.ANFOFF)', () => {
    const cs = diff(
      `CR1: { offset: 0, fields: { PE: { bits: 0, access: rw } } }
FLTR: { offset: 0x24, fields: { ANOFF: { bits: 4, access: rw, description: Analog noise filter } } }`,
      `CR1: { offset: 0, fields: { PE: { bits: 0, access: rw }, ANFOFF: { bits: 12, access: rw, description: Analog noise filter OFF } } }`,
    );
    const moved = cs.changes.find((c) => c.rule === 'field-moved');
    expect(moved?.before?.path).toBe('UART0.FLTR.ANOFF');
    expect(moved?.after?.path).toBe('UART0.CR1.ANFOFF');
    expect(moved?.uncertain).toBe(true);
    expect(rules(cs)).toContain('register-removed UART0.FLTR -');
    expect(rules(cs)).not.toContain('field-added - UART0.CR1.ANFOFF');
  });
});
