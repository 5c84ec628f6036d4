import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * Two miss classes of the held-out-2 pairs (session 4), on small specs of our own:
 * - a register renamed in place with every field renamed (its fields at the same bits, widths and
 *   access; a field array expanded into scalars): the layout pairs it, then its fields by bit;
 * - one scalar "collected" into an array on its position and a resembling name while it means
 *   something else: no collection, no pairing.
 * The first test of each group fails on the diff before src/diff/same-layout.ts and the
 * `sameThingAsElement` check of src/diff/arrays.ts.
 */
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(before), deviceFrom(after)).value!;
const rules = (cs: ChangeSet): string[] => cs.changes.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`).sort();
const pairing = (cs: ChangeSet, before: string) => cs.changes.find((c) => c.before?.path === before && c.after !== undefined);

const CTRL = `CTRL: { offset: 0x0, fields: { EN: { bits: 0, access: rw } } }`;

describe('a register renamed in place with every field renamed', () => {
  const before = `${CTRL}
LOCKR: { offset: 0x20, fields: { CHLOCK: { bits: 0, access: rw, dim: { count: 2, stride: 1 }, description: Channel x lock }, TMRLOCK: { bits: 2, access: rw, description: Timer lock }, CFGLOCK: { bits: 13, access: rw, description: Configuration lock }, GLOBALLOCK: { bits: 15, access: rw, description: Global lock } } }`;
  const after = `${CTRL}
GUARDR: { offset: 0x20, description: Guard register, fields: { CHAGRD: { bits: 0, access: rw }, CHBGRD: { bits: 1, access: rw }, TMRGRD: { bits: 2, access: rw }, CFGGRD: { bits: 13, access: rw }, GRD: { bits: 15, access: rw } } }`;

  it('pairs the register by its layout and its fields by bit: renames and an array expansion, no removal', () => {
    const cs = diff(before, after);
    const found = rules(cs);
    expect(found).toContain('register-renamed UART0.LOCKR UART0.GUARDR');
    expect(found).toContain('field-expanded-from-array UART0.LOCKR.CHLOCK UART0.GUARDR.CHAGRD');
    expect(found).toContain('field-renamed UART0.LOCKR.TMRLOCK UART0.GUARDR.TMRGRD');
    expect(found).toContain('field-renamed UART0.LOCKR.CFGLOCK UART0.GUARDR.CFGGRD');
    expect(found).toContain('field-renamed UART0.LOCKR.GLOBALLOCK UART0.GUARDR.GRD');
    expect(found.filter((r) => r.startsWith('register-removed') || r.startsWith('field-removed'))).toEqual([]);
    expect(pairing(cs, 'UART0.LOCKR.TMRLOCK')?.uncertain).toBeFalsy();
    // Nothing in GLOBALLOCK's name or wording is left in GRD: the bit and the layout alone, for a person to confirm.
    expect(pairing(cs, 'UART0.LOCKR.GLOBALLOCK')?.uncertain).toBe(true);
  });

  it('guard: not when one field differs in width or access (the layouts are not the same)', () => {
    const found = rules(diff(before, after.replace('CFGGRD: { bits: 13, access: rw }', 'CFGGRD: { bits: 13, access: ro }')));
    expect(found).toContain('register-removed UART0.LOCKR -');
    expect(found).toContain('register-added - UART0.GUARDR');
  });

  it('guard: not on two flags alone with nothing in common in the names or words', () => {
    const found = rules(
      diff(
        `${CTRL}\nHOLDR: { offset: 0x20, fields: { RXA: { bits: 0, access: rw }, TXA: { bits: 1, access: rw } } }`,
        `${CTRL}\nQMX: { offset: 0x20, fields: { P: { bits: 0, access: rw }, Q: { bits: 1, access: rw } } }`,
      ),
    );
    expect(found).toContain('register-removed UART0.HOLDR -');
  });

  it('pairs the one field of a renamed register named after it (CMP.CMP → CCR.CCR)', () => {
    const cs = diff(
      `${CTRL}\nCMP: { offset: 0x14, description: Compare register, fields: { CMP: { bits: 15..0, access: rw, description: Compare value loaded at each update } } }`,
      `${CTRL}\nCCR: { offset: 0x14, description: Compare register, fields: { CCR: { bits: 15..0, access: rw, description: Capture value } } }`,
    );
    const found = rules(cs);
    expect(found).toContain('register-renamed UART0.CMP UART0.CCR');
    expect(found).toContain('field-renamed UART0.CMP.CMP UART0.CCR.CCR');
    expect(found).not.toContain('field-removed UART0.CMP.CMP -');
  });
});

describe('one scalar at an array element that means something else', () => {
  const before = `CR: { offset: 0x40, fields: { PROB1INSEL: { bits: 16, access: rw, description: Probe 1 mapping }, PROBEN: { bits: 2, access: rw, description: Probe enable } } }`;
  const after = `CR: { offset: 0x40, fields: { PROBXIE: { bits: 16, access: rw, dim: { count: 3, stride: 3 }, description: Probe interrupt enable }, PROBEN: { bits: 2, access: rw, description: Probe enable } } }`;

  it('is no collection and no pairing: removed, and the array added', () => {
    const found = rules(diff(before, after));
    expect(found).toContain('field-removed UART0.CR.PROB1INSEL -');
    expect(found).toContain('field-added - UART0.CR.PROBXIE');
    expect(found.filter((r) => r.includes('collected-into-array'))).toEqual([]);
  });

  it('still collects one scalar named like the element', () => {
    const found = rules(
      diff(
        before.replace(
          'PROB1INSEL: { bits: 16, access: rw, description: Probe 1 mapping }',
          'PROBXIE0: { bits: 16, access: rw, description: Probe interrupt enable }',
        ),
        after,
      ),
    );
    expect(found).toContain('field-collected-into-array UART0.CR.PROBXIE0 UART0.CR.PROBXIE');
  });
});
