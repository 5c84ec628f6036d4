import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/importers/index.ts';
import type { Device } from '../../../src/ir/types.ts';
import { applyPolicy, diffDevices, pathMap, type ChangeSet, type JudgedChange } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * One small spec per failure class measured on real vendor releases (issue 15): each shows the class
 * and fails if the diff falls back into it.
 */
function diff(before: Device, after: Device): { cs: ChangeSet; judged: readonly JudgedChange[] } {
  const cs = diffDevices(before, after).value!;
  return { cs, judged: applyPolicy(cs).changes };
}
const rules = (cs: ChangeSet): string[] => cs.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`);
const fields = `fields: { CLR: { bits: 0, access: w }, MASK: { bits: 7..4, access: rw } }`;

describe('scalars collected into an array, and back', () => {
  const scalars = `
INT_CLR_CH0: { offset: 0x10, ${fields} }
INT_CLR_CH1: { offset: 0x14, ${fields} }
INT_CLR_CH2: { offset: 0x18, ${fields} }
STATUS: { offset: 0x00, fields: { BUSY: { bits: 0, access: r } } }`;
  const array = `
INT_CLR_CH: { offset: 0x10, dim: { count: 3, stride: 4, namePattern: 'INT_CLR_CH%s' }, ${fields} }
STATUS: { offset: 0x00, fields: { BUSY: { bits: 0, access: r } } }`;

  it('reports one register-collected-into-array (compatible), never removals', () => {
    const { cs, judged } = diff(deviceFrom(scalars), deviceFrom(array));
    expect(rules(cs)).toEqual(['register-collected-into-array UART0.INT_CLR_CH0 UART0.INT_CLR_CH']);
    expect(cs.changes[0]!.parts?.map((p) => p.path)).toEqual(['UART0.INT_CLR_CH1', 'UART0.INT_CLR_CH2']);
    expect(judged[0]!.severity).toBe('compatible');
    // The binding stage can follow every old scalar (and its fields) to the array.
    expect(pathMap(cs).get('UART0.INT_CLR_CH2')).toBe('UART0.INT_CLR_CH');
    expect(pathMap(cs).get('UART0.INT_CLR_CH1.MASK')).toBe('UART0.INT_CLR_CH.MASK');
  });

  it('reports the inverse as one register-expanded-from-array', () => {
    const { cs } = diff(deviceFrom(array), deviceFrom(scalars));
    expect(rules(cs)).toEqual(['register-expanded-from-array UART0.INT_CLR_CH UART0.INT_CLR_CH0']);
  });

  it('collects registers into a cluster array (CH0_CFG, CH1_CFG → CH[2].CFG)', () => {
    const before = `
CH0_CFG: { offset: 0x20, ${fields} }
CH0_DATA: { offset: 0x24, fields: { DATA: { bits: 15..0, access: rw } } }
CH1_CFG: { offset: 0x30, ${fields} }
CH1_DATA: { offset: 0x34, fields: { DATA: { bits: 15..0, access: rw } } }`;
    const after = `
CH:
  offset: 0x20
  dim: { count: 2, stride: 0x10 }
  registers:
    CFG: { offset: 0x0, ${fields} }
    DATA: { offset: 0x4, fields: { DATA: { bits: 15..0, access: rw } } }`;
    const { cs } = diff(deviceFrom(before), deviceFrom(after));
    expect(rules(cs).sort()).toEqual([
      'register-collected-into-array UART0.CH0_CFG UART0.CH.CFG',
      'register-collected-into-array UART0.CH0_DATA UART0.CH.DATA',
    ]);
  });

  it('does not collect when the layout changed (then it is not the same registers at the same place)', () => {
    const { cs } = diff(deviceFrom(scalars), deviceFrom(array.replace('MASK: { bits: 7..4', 'MASK: { bits: 9..6')));
    expect(cs.changes.some((c) => c.rule === 'register-collected-into-array')).toBe(false);
  });
});

describe('absolute addresses', () => {
  it('a base moved +0x1000 with every offset −0x1000 is no move at all', () => {
    const before = deviceFrom(`CTRL: { offset: 0x1000, ${fields} }\nDATA: { offset: 0x1004, fields: { D: { bits: 7..0, access: rw } } }`, {
      base: '0x4000_0000',
    });
    const after = deviceFrom(`CTRL: { offset: 0x0, ${fields} }\nDATA: { offset: 0x4, fields: { D: { bits: 7..0, access: rw } } }`, { base: '0x4000_1000' });
    expect(rules(diff(before, after).cs)).toEqual([]);
  });

  it('a real move is still reported', () => {
    const before = deviceFrom(`CTRL: { offset: 0x0, ${fields} }`);
    const after = deviceFrom(`CTRL: { offset: 0x8, ${fields} }`);
    expect(rules(diff(before, after).cs)).toEqual(['register-moved UART0.CTRL UART0.CTRL']);
  });
});

describe('evidence beyond bit position', () => {
  const intr = (names: readonly string[]): string =>
    ['INTR_STATE', 'INTR_ENABLE', 'INTR_TEST']
      .map(
        (r, k) =>
          `${r}: { offset: ${k * 4}, fields: { ${names.map((n, bit) => `${n}: { bits: ${bit}, access: ${r === 'INTR_TEST' ? 'w' : 'rw'} }`).join(', ')} } }`,
      )
      .join('\n');
  const before = deviceFrom(intr(['tx_watermark', 'rx_watermark', 'tx_empty', 'rx_overflow']));
  const after = deviceFrom(intr(['tx_watermark', 'rx_watermark', 'tx_empty', 'unexp_stop']));

  it('no pairing on bit position alone: a breaking removal that names the candidate', () => {
    const { cs, judged } = diff(before, after);
    for (const register of ['INTR_STATE', 'INTR_ENABLE', 'INTR_TEST']) {
      const about = judged.filter((c) => c.before?.path === `UART0.${register}.rx_overflow`);
      expect(about.map((c) => [c.rule, c.severity, c.positionOnly, c.alternatives])).toEqual([
        ['field-removed', 'breaking', true, [`UART0.${register}.unexp_stop`]],
      ]);
    }
    expect(cs.matches.filter((m) => m.before.endsWith('.rx_overflow'))).toEqual([]);
  });

  it('weak evidence (one shared word) pairs, uncertain, graded as the removal it may hide', () => {
    const { judged } = diff(
      deviceFrom(`CTRL: { offset: 0, fields: { FIFO_FLUSH: { bits: 4, access: rw }, EN: { bits: 0, access: rw } } }`),
      deviceFrom(`CTRL: { offset: 0, fields: { FIFO_RESET_REQUEST: { bits: 4, access: rw }, EN: { bits: 0, access: rw } } }`),
    );
    const renamed = judged.filter((c) => c.rule === 'field-renamed');
    expect(renamed.map((c) => [c.before?.path, c.after?.path, c.uncertain, c.weakEvidence, c.severity])).toEqual([
      ['UART0.CTRL.FIFO_FLUSH', 'UART0.CTRL.FIFO_RESET_REQUEST', true, true, 'breaking'],
    ]);
  });

  it('parallel registers pair their fields the same way', () => {
    const { cs } = diff(before, after);
    const target = (register: string): string => pathMap(cs).get(`UART0.${register}.rx_overflow`)?.split('.').pop() ?? 'removed';
    const choices = new Set(['INTR_STATE', 'INTR_ENABLE', 'INTR_TEST'].map(target));
    expect(choices.size).toBe(1);
  });

  it('a shared name is evidence: a field renamed at the same bit keeps a confident pairing', () => {
    const { cs } = diff(
      deviceFrom(`CTRL: { offset: 0, fields: { RX_ENABLE: { bits: 0, access: rw } } }`),
      deviceFrom(`CTRL: { offset: 0, fields: { RXEN: { bits: 0, access: rw } } }`),
    );
    expect(cs.changes.map((c) => [c.rule, c.uncertain ?? false])).toEqual([['field-renamed', false]]);
  });
});

describe('content identity', () => {
  const body = `CFG: { offset: 0x0, ${fields} }\nDATA: { offset: 0x4, fields: { D: { bits: 7..0, access: rw } } }`;

  it('pairs a peripheral renamed and re-based with identical contents', () => {
    const { cs } = diff(deviceFrom(body, { name: 'TIMER_A', base: '0x4000_0000' }), deviceFrom(body, { name: 'TMR0', base: '0x4001_0000' }));
    expect(rules(cs).sort()).toEqual(['peripheral-rebased TIMER_A TMR0', 'peripheral-renamed TIMER_A TMR0']);
  });

  it('pairs a register whose name and offset both changed when its fields are identical and unique', () => {
    const { cs } = diff(
      deviceFrom(`${body}\nCH0_CFG: { offset: 0x10, fields: { PRIO: { bits: 3..0, access: rw }, BURST: { bits: 9..8, access: rw } } }`),
      deviceFrom(`${body}\nCHA_CFG: { offset: 0x20, fields: { PRIO: { bits: 3..0, access: rw }, BURST: { bits: 9..8, access: rw } } }`),
    );
    expect(rules(cs).sort()).toEqual(['register-moved UART0.CH0_CFG UART0.CHA_CFG', 'register-renamed UART0.CH0_CFG UART0.CHA_CFG']);
  });

  it('pairs a field renamed with the same bits, access and enumeration', () => {
    const before = `CTRL: { offset: 0, fields: { EN: { bits: 0, access: rw }, PARITY_SEL: { bits: 3..2, access: rw, enum: { NONE: 0, EVEN: 1, ODD: 2 } } } }`;
    const after = `CTRL: { offset: 0, fields: { EN: { bits: 0, access: rw }, PS: { bits: 3..2, access: rw, enum: { NONE: 0, EVEN: 1, ODD: 2 } } } }`;
    const { cs } = diff(deviceFrom(before), deviceFrom(after));
    expect(rules(cs)).toEqual(['field-renamed UART0.CTRL.PARITY_SEL UART0.CTRL.PS']);
    expect(cs.matches.find((m) => m.before === 'UART0.CTRL.PARITY_SEL')?.how).toBe('content');
  });
});

describe('no inferred findings', () => {
  const svd = (peripherals: string): Device => {
    const text = `<?xml version="1.0"?>
<device schemaVersion="1.1"><name>CHIP</name><width>32</width><size>32</size><access>read-write</access><resetValue>0</resetValue><resetMask>0xFFFFFFFF</resetMask>
<peripherals>${peripherals}</peripherals></device>`;
    const imported = importText(text, 'chip.svd');
    if (!imported.value) throw new Error(JSON.stringify(imported.diagnostics));
    return imported.value;
  };
  const register = (access: string): string =>
    `<registers><register><name>CTRL</name><addressOffset>0</addressOffset><fields><field><name>EN</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth><access>${access}</access></field></fields></register></registers>`;

  it('no hw-access-changed for SVD, which does not describe hardware access', () => {
    const { cs } = diff(
      svd(`<peripheral><name>P</name><baseAddress>0x40000000</baseAddress>${register('read-write')}</peripheral>`),
      svd(`<peripheral><name>P</name><baseAddress>0x40000000</baseAddress>${register('read-only')}</peripheral>`),
    );
    expect(rules(cs)).toEqual(['access-narrowed P.CTRL.EN P.CTRL.EN']);
  });

  it('still reports hardware-access changes where the format carries them (native YAML)', () => {
    const { cs } = diff(
      deviceFrom(`CTRL: { offset: 0, fields: { EN: { bits: 0, access: rw, hw: r } } }`),
      deviceFrom(`CTRL: { offset: 0, fields: { EN: { bits: 0, access: rw, hw: rw } } }`),
    );
    expect(rules(cs)).toEqual(['hw-access-changed UART0.CTRL.EN UART0.CTRL.EN']);
  });

  it('no removal for a template peripheral (base 0, only a derivedFrom source)', () => {
    const uart = (name: string, base: string): string =>
      `<peripheral><name>${name}</name><baseAddress>${base}</baseAddress>${register('read-write')}</peripheral>`;
    const before = svd(`<peripheral><name>UART_T</name><baseAddress>0x0</baseAddress>${register('read-write')}</peripheral>
<peripheral derivedFrom="UART_T"><name>UART0</name><baseAddress>0x40001000</baseAddress></peripheral>
<peripheral derivedFrom="UART_T"><name>UART1</name><baseAddress>0x40002000</baseAddress></peripheral>`);
    const after = svd(uart('UART0', '0x40001000') + uart('UART1', '0x40002000'));
    expect(rules(diff(before, after).cs)).toEqual([]);
  });
});
