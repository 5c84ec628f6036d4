import { describe, expect, it } from 'vitest';
import { diffDevices, NAME_ONLY_SCORER, type Change } from '../../../src/diff/index.ts';
import { deviceFrom } from './helpers.ts';

function changes(beforeYaml: string, afterYaml: string, options: { beforeBase?: string; afterBase?: string; afterName?: string } = {}): Change[] {
  const before = deviceFrom(beforeYaml, { file: 'before.yaml', ...(options.beforeBase ? { base: options.beforeBase } : {}) });
  const after = deviceFrom(afterYaml, {
    file: 'after.yaml',
    ...(options.afterBase ? { base: options.afterBase } : {}),
    ...(options.afterName ? { name: options.afterName } : {}),
  });
  const result = diffDevices(before, after);
  expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return [...result.value!.changes];
}

const rules = (list: readonly Change[]): string[] => list.map((c) => `${c.rule} ${c.before?.path ?? '-'} ${c.after?.path ?? '-'}`);

const CTRL = `CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: rw }, MODE: { bits: 3..1, access: rw, enum: { A: 0, B: 1, C: 2 } } } }`;

describe('change detection rules', () => {
  it('reports nothing for identical revisions', () => {
    expect(changes(CTRL, CTRL)).toEqual([]);
  });

  it('detects access narrowing and widening', () => {
    const narrowed = changes(CTRL, CTRL.replace('EN: { bits: 0, access: rw }', 'EN: { bits: 0, access: r }'));
    expect(rules(narrowed)).toContain('access-narrowed UART0.CTRL.EN UART0.CTRL.EN');
    const c = narrowed.find((x) => x.rule === 'access-narrowed')!;
    expect(c.before?.value).toBe('rw');
    expect(c.after?.value).toBe('r');
    expect(c.before?.span.file).toBe('before.yaml');
    expect(c.after?.span.file).toBe('after.yaml');
    expect(c.after?.span.line).toBeGreaterThan(0);
    const widened = changes(CTRL.replace('EN: { bits: 0, access: rw }', 'EN: { bits: 0, access: w }'), CTRL);
    expect(rules(widened)).toContain('access-widened UART0.CTRL.EN UART0.CTRL.EN');
  });

  it('detects side-effect changes (rw → write-1-to-clear, read clears)', () => {
    const w1c = changes(CTRL, CTRL.replace('EN: { bits: 0, access: rw }', 'EN: { bits: 0, access: rw, onwrite: woclr }'));
    const effect = w1c.find((x) => x.rule === 'side-effect-changed')!;
    expect(effect.before?.value).toBe('none');
    expect(effect.after?.value).toBe('write:woclr');
    const rc = changes(CTRL, CTRL.replace('EN: { bits: 0, access: rw }', 'EN: { bits: 0, access: rw, onread: rclr }'));
    expect(rc.find((x) => x.rule === 'side-effect-changed')?.after?.value).toBe('read:rclr');
  });

  it('detects reset, width and position changes of fields', () => {
    const list = changes(
      CTRL,
      `CTRL: { offset: 0x00, fields: { EN: { bits: 0, access: rw, reset: 1 }, MODE: { bits: 5..4, access: rw, enum: { A: 0, B: 1, C: 2 } } } }`,
    );
    expect(rules(list)).toEqual(
      expect.arrayContaining([
        'reset-changed UART0.CTRL.EN UART0.CTRL.EN',
        'field-moved UART0.CTRL.MODE UART0.CTRL.MODE',
        'field-narrowed UART0.CTRL.MODE UART0.CTRL.MODE',
      ]),
    );
    expect(list.find((c) => c.rule === 'reset-changed')?.after?.value).toBe('0x1');
    expect(list.find((c) => c.rule === 'field-moved')?.after?.value).toBe('UART0.CTRL[5:4]');
  });

  it('detects enum values added, removed, renamed and renumbered', () => {
    const list = changes(CTRL, CTRL.replace('enum: { A: 0, B: 1, C: 2 }', 'enum: { A: 0, BB: 1, C: 3, D: 4 }'));
    expect(rules(list).filter((r) => r.startsWith('enum'))).toEqual([
      'enum-value-renamed UART0.CTRL.MODE.B UART0.CTRL.MODE.BB',
      'enum-value-renumbered UART0.CTRL.MODE.C UART0.CTRL.MODE.C',
      'enum-value-added - UART0.CTRL.MODE.D',
    ]);
  });

  it('detects register moves, resizes, renames and array shape changes', () => {
    const before = `${CTRL}\nDATA: { offset: 0x04, fields: { DATA: { bits: 7..0 } } }\nFIFO: { offset: 0x10, dim: { count: 4, stride: 4 }, fields: { V: { bits: 0 } } }`;
    const after = `CONTROL: { offset: 0x00, fields: { EN: { bits: 0, access: rw }, MODE: { bits: 3..1, access: rw, enum: { A: 0, B: 1, C: 2 } } } }\nDATA: { offset: 0x08, size: 16, fields: { DATA: { bits: 7..0 } } }\nFIFO: { offset: 0x10, dim: { count: 8, stride: 4 }, fields: { V: { bits: 0 } } }`;
    const list = changes(before, after);
    expect(rules(list)).toEqual(
      expect.arrayContaining([
        'register-renamed UART0.CTRL UART0.CONTROL',
        'register-moved UART0.DATA UART0.DATA',
        'register-resized UART0.DATA UART0.DATA',
        'array-shape-changed UART0.FIFO UART0.FIFO',
      ]),
    );
    // The fields of a renamed register are matched exactly under it, not reported as removed and added.
    expect(list.filter((c) => c.rule === 'field-removed' || c.rule === 'field-added')).toEqual([]);
    expect(list.find((c) => c.rule === 'array-shape-changed')?.after?.value).toBe('8x4');
  });

  it('detects peripheral rename and re-base, without cascading into registers', () => {
    const list = changes(CTRL, CTRL, { afterBase: '0x4000_2000', afterName: 'USART0' });
    expect(rules(list)).toEqual(['peripheral-renamed UART0 USART0', 'peripheral-rebased UART0 USART0']);
  });

  it('detects a field split and a field merge', () => {
    const whole = `BAUD: { offset: 0x0C, fields: { DIV: { bits: 15..0, access: rw } } }`;
    const parts = `BAUD: { offset: 0x0C, fields: { DIV_MANTISSA: { bits: 15..4, access: rw }, DIV_FRACTION: { bits: 3..0, access: rw } } }`;
    const split = changes(whole, parts);
    expect(split.map((c) => c.rule)).toEqual(['field-split']);
    expect(split[0]!.before?.path).toBe('UART0.BAUD.DIV');
    expect([split[0]!.after!.path, ...split[0]!.parts!.map((p) => p.path)].sort()).toEqual(['UART0.BAUD.DIV_FRACTION', 'UART0.BAUD.DIV_MANTISSA']);
    const merge = changes(parts, whole);
    expect(merge.map((c) => c.rule)).toEqual(['field-merged']);
    expect(merge[0]!.after?.path).toBe('UART0.BAUD.DIV');
  });

  it('reports a split as one change, not also a wording change of its first part (session 6)', () => {
    const whole = `SECBB: { offset: 0x80, fields: { SECBB: { bits: 31..0, access: rw, description: SECBB } } }`;
    const bits = Array.from({ length: 32 }, (_, i) => `SECBB${i}: { bits: ${i}, access: rw, description: page secure attribution }`).join(', ');
    const split = changes(whole, `SECBB: { offset: 0x80, fields: { ${bits} } }`);
    expect(split.map((c) => c.rule)).toEqual(['field-split']);
  });

  it('reports only the top of a removed subtree', () => {
    const list = changes(`${CTRL}\nDATA: { offset: 0x04, fields: { DATA: { bits: 7..0 } } }`, CTRL);
    expect(rules(list)).toEqual(['register-removed UART0.DATA -']);
  });

  it('detects description-only changes', () => {
    const list = changes(CTRL, CTRL.replace('EN: { bits: 0, access: rw }', 'EN: { bits: 0, access: rw, description: Enables it. }'));
    expect(list.map((c) => c.rule)).toEqual(['description-changed']);
  });

  it('follows a rename to an abbreviation and a field moved to another register', () => {
    const before = `CTRL: { offset: 0x00, fields: { ENABLE: { bits: 0 }, PARITY: { bits: 2..1 } } }\nCFG: { offset: 0x04, fields: { STOP: { bits: 1..0 } } }`;
    const after = `CTRL: { offset: 0x00, fields: { EN: { bits: 0 } } }\nCFG: { offset: 0x04, fields: { STOP: { bits: 1..0 }, PARITY: { bits: 3..2 } } }`;
    const list = changes(before, after);
    expect(rules(list)).toEqual(['field-renamed UART0.CTRL.ENABLE UART0.CTRL.EN', 'field-moved UART0.CTRL.PARITY UART0.CFG.PARITY']);
  });

  it('reports ambiguous pairings as uncertain instead of guessing silently', () => {
    // One data register became two identical ones (RX and TX): nothing says which one it is.
    const before = `DATA: { offset: 0x04, fields: { DATA: { bits: 7..0 } } }`;
    const after = `RXDATA: { offset: 0x24, fields: { DATA: { bits: 7..0 } } }\nTXDATA: { offset: 0x28, fields: { DATA: { bits: 7..0 } } }`;
    const result = diffDevices(deviceFrom(before), deviceFrom(after));
    const data = result.value!.matches.find((m) => m.before === 'UART0.DATA')!;
    expect(data.uncertain).toBe(true);
    expect([data.after, ...(data.alternatives ?? [])].sort()).toEqual(['UART0.RXDATA', 'UART0.TXDATA']);
    expect(result.value!.changes.find((c) => c.rule === 'register-renamed')?.uncertain).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).toContain('diff/uncertain-match');
    expect(result.value!.stats.uncertainMatches).toBeGreaterThan(0);
  });

  it('matches renames by name similarity with the baseline scorer too', () => {
    const before = deviceFrom(`CTRL: { offset: 0x00, fields: { PARITY_MODE: { bits: 1..0 } } }`);
    const after = deviceFrom(`CTRL: { offset: 0x00, fields: { PARITY_MOD: { bits: 1..0 } } }`);
    const result = diffDevices(before, after, { scorer: NAME_ONLY_SCORER });
    expect(rules(result.value!.changes)).toEqual(['field-renamed UART0.CTRL.PARITY_MODE UART0.CTRL.PARITY_MOD']);
  });
});
