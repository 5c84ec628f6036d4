import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { coreChanges } from '../../../src/diff/renamed-alike.ts';
import { deviceFrom } from './helpers.ts';

/**
 * A register whose fields were all renamed the same way, the register renamed otherwise (held-out-5's
 * flash clear registers, seen: `CLR_x` flags re-spelt `xF` in an interrupt clear register). Specs and
 * names of our own. "pairs" fails without src/diff/renamed-alike.ts; the guards pin what it leaves.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] =>
  cs.changes.filter((c) => c.rule !== 'description-changed').map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`);
const CR = `CR: { offset: 0x0, fields: { EN: { bits: 0, access: rw, description: Enable } } }`;
const flags = (spell: (n: string) => string, names: readonly string[], words: string): string =>
  names.map((n, bit) => `${spell(n)}: { bits: ${bit + 16}, access: w, description: ${words} ${n.toLowerCase()} }`).join(', ');
const FLAGS = ['DONE', 'WERR', 'PERR', 'SEQERR'];

describe('a register whose fields were renamed alike', () => {
  const before = `${CR}\nCCR: { offset: 0x14, description: Clear control register, fields: { ${flags((n) => `CLR_${n}`, FLAGS, 'Clear flag')} } }`;

  it('pairs the register and each field by the one change they share', () => {
    // The status register shows the same flags spelt alike, read-only: the write-only clears are the clear register's.
    const status = flags((n) => `${n}F`, FLAGS, 'Status').replaceAll('access: w', 'access: r');
    const after = `${CR}\nMISC: { offset: 0x14, fields: { SPARE: { bits: 0, access: rw } } }\nISR: { offset: 0x24, fields: { ${status} } }\nICR: { offset: 0x28, description: Interrupt clear register, fields: { ${flags((n) => `${n}F`, FLAGS, 'Write 1 to clear')} } }`;
    const found = rules(diff(before, after));
    expect(found).toContain('register-renamed UART0.CCR UART0.ICR');
    for (const n of FLAGS) expect(found).toContain(`field-renamed UART0.CCR.CLR_${n} UART0.ICR.${n}F`);
    expect(found.filter((r) => r.includes('-removed') || r.startsWith('field-added'))).toEqual([]);
  });

  it('between two registers whose flags are spelt alike with the same access, follows the closer register name', () => {
    const spelt = (name: string, offset: number): string => `${name}: { offset: ${offset}, fields: { ${flags((n) => `${n}F`, FLAGS, 'Flag')} } }`;
    const found = rules(diff(before, `${CR}\n${spelt('ISR', 0x24)}\n${spelt('ICR', 0x28)}`));
    expect(found).toContain('register-renamed UART0.CCR UART0.ICR');
  });

  it('guard: two fields renamed alike are not enough', () => {
    const two = ['DONE', 'WERR'];
    const b = `${CR}\nCCR: { offset: 0x14, fields: { ${flags((n) => `CLR_${n}`, two, 'Clear flag')} } }`;
    const after = `${CR}\nICR: { offset: 0x28, fields: { ${flags((n) => `${n}F`, two, 'Write 1 to clear')}, OTHER: { bits: 0, access: rw } } }`;
    expect(rules(diff(b, after))).toContain('register-removed UART0.CCR -');
  });

  it('guard: the change is found around the longest core; digits alone are no change', () => {
    expect(coreChanges('clreop', 'eopf')).toEqual(['clr>|>f']);
    expect(coreChanges('ch1cfg', 'ch2cfg')).toEqual([]);
    expect(coreChanges('eop', 'eop')).toEqual([]);
  });
});
