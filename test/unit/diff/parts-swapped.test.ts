import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * A field whose name kept its parts in the other order (the independent set's I2C pair, seen: enable
 * bits re-spelt with the role last, each at another bit). Specs and names of our own. "pairs" fails
 * without `partsSwapped` (src/diff/elsewhere.ts); the guards pin what it leaves.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] =>
  cs.changes.filter((c) => c.rule !== 'description-changed').map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`);
const cr = (fields: string): string => `CR: { offset: 0x0, fields: { PE: { bits: 0, access: rw, description: Peripheral enable }, ${fields} } }`;

describe('a field whose name parts were swapped', () => {
  it('pairs it, moved to its new bit', () => {
    const found = rules(
      diff(cr('ENWK: { bits: 6, access: rw, description: Wakeup enable }'), cr('WKEN: { bits: 19, access: rw, description: Wake-up from stop enable }')),
    );
    expect(found.sort()).toEqual(['field-moved UART0.CR.ENWK UART0.CR.WKEN', 'field-renamed UART0.CR.ENWK UART0.CR.WKEN']);
  });

  it('guard: another access, or a single letter moved, is no such pairing', () => {
    expect(rules(diff(cr('ENWK: { bits: 6, access: rw }'), cr('WKEN: { bits: 19, access: r }')))).toContain('field-removed UART0.CR.ENWK -');
    expect(rules(diff(cr('ABCD: { bits: 6, access: rw }'), cr('BCDA: { bits: 19, access: rw }')))).toContain('field-removed UART0.CR.ABCD -');
  });
});
