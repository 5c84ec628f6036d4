import { describe, expect, it } from 'vitest';
import { diffDevices, type ChangeSet } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

/**
 * An enumerated value at the same number under another name (held-out-5's `enum-value-renamed`
 * precision, seen since its measurement: kernel clock selections whose sources were withdrawn and
 * replaced, each new source given a freed number). Specs and names of our own. "withdrawn" fails
 * without the `namesAnother` check of src/diff/evidence.ts `evidenceOf`; the guards pin what stays a
 * rename.
 */
const selector = (values: string): string => `CKSEL: { offset: 0x0, fields: { SEL: { bits: 2..0, access: rw, enums: [{ values: { ${values} } }] } } }`;
const diff = (before: string, after: string): ChangeSet => diffDevices(deviceFrom(selector(before)), deviceFrom(selector(after))).value!;
const rules = (cs: ChangeSet): string[] =>
  cs.changes
    .filter((c) => c.kind === 'enum-value' && c.rule !== 'description-changed')
    .map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`);
const KEPT = 'BUS: { value: 0, description: bus_ck selected as kernel clock }';

describe('enumerated values at one number under another name', () => {
  it('reports a withdrawn source and a new one, each named in its own description, as removed and added', () => {
    const found = rules(
      diff(
        `${KEPT}, GEN2_Q: { value: 1, description: gen2_q selected as kernel clock }`,
        `${KEPT}, OSCK: { value: 1, description: osck_ck selected as kernel clock }`,
      ),
    );
    expect(found.sort()).toEqual(['enum-value-added - UART0.CKSEL.SEL.OSCK', 'enum-value-removed UART0.CKSEL.SEL.GEN2_Q -']);
  });

  it('guard: names that say the same thing stay a rename', () => {
    const found = rules(
      diff(
        `${KEPT}, GEN: { value: 1, description: gen selected as kernel clock }`,
        `${KEPT}, GENCLK: { value: 1, description: genclk selected as kernel clock }`,
      ),
    );
    expect(found).toEqual(['enum-value-renamed UART0.CKSEL.SEL.GEN UART0.CKSEL.SEL.GENCLK']);
  });

  it('guard: without descriptions naming them, the number still carries the value', () => {
    const found = rules(diff(`${KEPT}, Slow: { value: 1 }`, `${KEPT}, Relaxed: { value: 1 }`));
    expect(found).toEqual(['enum-value-renamed UART0.CKSEL.SEL.Slow UART0.CKSEL.SEL.Relaxed']);
  });
});

/**
 * A value of a numbered series renumbered at one encoding (held-out-5's sampling-time fields, seen:
 * a series of `CyclesN_5` values, some replaced by others at the same encodings). Fails without
 * `otherMemberOfSeries` in src/diff/evidence.ts; the value alone of its kind renumbered in its name
 * pairs by `renumberedNamePairs` (src/diff/shared-values.ts), not by the score (main's second
 * retrain stopped scoring it).
 */
describe('enumerated values of a numbered series', () => {
  const series = (third: string, fourth: string): string => `Wait1_5: { value: 0 }, Wait2_5: { value: 1 }, ${third}: { value: 2 }, ${fourth}: { value: 3 }`;

  it('reports a member withdrawn and another given its encoding as removed and added, not renamed', () => {
    const found = rules(diff(series('Wait4_5', 'Wait7_5'), series('Wait12_5', 'Wait7_5')));
    expect(found.sort()).toEqual(['enum-value-added - UART0.CKSEL.SEL.Wait12_5', 'enum-value-removed UART0.CKSEL.SEL.Wait4_5 -']);
  });

  it('tells a number with a decimal part from the number its digits squash into (1_5 is not 15)', () => {
    const found = rules(diff(series('Wait4_5', 'Wait7_5'), series('Wait4_5', 'Wait75')));
    expect(found.sort()).toEqual(['enum-value-added - UART0.CKSEL.SEL.Wait75', 'enum-value-removed UART0.CKSEL.SEL.Wait7_5 -']);
  });

  it('guard: a value alone of its kind renumbered in its name stays a rename (the one bus clock of a selector)', () => {
    const found = rules(diff(`${KEPT}, PCLK1: { value: 1 }, HSI: { value: 2 }`, `${KEPT}, PCLK2: { value: 1 }, HSI: { value: 2 }`));
    expect(found).toEqual(['enum-value-renamed UART0.CKSEL.SEL.PCLK1 UART0.CKSEL.SEL.PCLK2']);
  });

  it('guard: a name that gains its number in a series stays a rename', () => {
    const found = rules(diff(`${KEPT}, OSC: { value: 1 }, OSC2: { value: 2 }`, `${KEPT}, OSC1: { value: 1 }, OSC2: { value: 2 }`));
    expect(found).toEqual(['enum-value-renamed UART0.CKSEL.SEL.OSC UART0.CKSEL.SEL.OSC1']);
  });
});
