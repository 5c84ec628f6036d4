import { describe, expect, it } from 'vitest';
import { importNativeYaml } from '../../../src/importers/native-yaml/index.ts';
import { validateDevice } from '../../../src/validate/index.ts';
import { applyOverlay, applyWaivers, globToRegExp, matchesGlob, parseOverlay, unmatchedEntries } from '../../../src/overlay/index.ts';
import { findByPath } from '../../../src/ir/walk.ts';
import type { Device, Field, Register } from '../../../src/ir/types.ts';

const spec = `spec: specdrive/hardware@1
board: tiny
revision: rev-a
peripherals:
  UART0:
    base: 0x4000_0000
    registers:
      SR:
        offset: 0x0
        reset: 0x0000_0000
        fields:
          TXE: { bits: 7, access: r }
          RXNE: { bits: 5, access: r }
      DR:
        offset: 0x4
        fields:
          DATA: { bits: 7..0, access: rw }
  UART1:
    base: 0x4000_1000
    registers:
      SR: { offset: 0x0, fields: { TXE: { bits: 7, access: r } } }
  USBD:
    base: 0x4000_2000
    registers:
      EPSTALL: { offset: 0x0, fields: { STALL: { bits: 0, access: w, onread: rclr } } }
`;

function device(): Device {
  const r = importNativeYaml(spec, 'tiny.yaml');
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

function overlay(text: string) {
  const r = parseOverlay(text, 'board.overlay.yaml');
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return { overlay: r.value, source: r.located?.source };
}

const node = <T>(d: Device, path: string): T => findByPath(d, path) as T;

describe('globs', () => {
  it('match whole names: * within a name, ** across dots, ?, classes and {a,b}', () => {
    expect(matchesGlob('UART*', 'UART0')).toBe(true);
    expect(matchesGlob('UART*', 'USART1')).toBe(false);
    expect(matchesGlob('{UART,USART}?', 'USART1')).toBe(true);
    expect(matchesGlob('TIM[12]', 'TIM2')).toBe(true);
    expect(matchesGlob('TIM[12]', 'TIM3')).toBe(false);
    expect(matchesGlob('USBD.*', 'USBD.EPSTALL.STALL')).toBe(false);
    expect(matchesGlob('USBD.**', 'USBD.EPSTALL.STALL')).toBe(true);
    expect(globToRegExp('A.B').test('AxB')).toBe(false);
  });
});

describe('applyOverlay', () => {
  it('gives every matched peripheral its kind, quantities, behaviours, irq and aliases, and adds clocks', () => {
    const { overlay: o, source } = overlay(`spec: specdrive/overlay@1
clocks: { PCLK: 16_000_000 }
peripherals:
  "UART*":
    kind: uart
    irq: 5
    aliases: { set: 0x2000, clear: 0x3000, toggle: 0x1000 }
    quantities: { rate: PCLK / 16 }
    behaviours:
      - on: write DR
        do: [emit tx DR.DATA]
`);
    const { device: d, matched, diagnostics } = applyOverlay(device(), o, source);
    // UART1 has no DR: the glob gave it a behaviour that cannot be parsed there, located in the overlay.
    expect(diagnostics.map((x) => [x.code, x.path, x.span?.file, x.span?.line])).toEqual([
      ['sim/behaviour-unknown-register', 'UART1', 'board.overlay.yaml', 10],
      ['sim/behaviour-unknown-field', 'UART1', 'board.overlay.yaml', 11],
    ]);
    expect(d.clocks.map((c) => [c.name, c.hz])).toEqual([['PCLK', 16_000_000]]);
    const uarts = d.peripherals.filter((p) => p.name.startsWith('UART'));
    expect(uarts.map((p) => [p.driverKind, p.interrupts.map((i) => `${i.name}=${i.value}`), p.quantities.map((q) => q.expression), p.atomicAliases])).toEqual([
      ['uart', ['UART0_IRQ=5'], ['PCLK / 16'], { set: 0x2000, clear: 0x3000, toggle: 0x1000 }],
      ['uart', ['UART1_IRQ=5'], ['PCLK / 16'], { set: 0x2000, clear: 0x3000, toggle: 0x1000 }],
    ]);
    expect(d.peripherals.find((p) => p.name === 'USBD')?.driverKind).toBeUndefined();
    expect(uarts[0]?.behaviours[0]?.span.file).toBe('board.overlay.yaml');
    expect(matched.has('peripheral:UART*')).toBe(true);
  });

  it('fixes a register reset (fields follow) and a field reset (the register follows), and access', () => {
    const { overlay: o } = overlay(`spec: specdrive/overlay@1
peripherals:
  UART0:
    registers:
      SR: { reset: 0xC0 }
    fields:
      DR.DATA: { onread: fifo, access: rw }
  UART1:
    fields:
      SR.TXE: { reset: 1 }
`);
    const before = device();
    expect(node<Field>(before, 'UART0.SR.TXE').reset).toBeUndefined();
    const { device: d } = applyOverlay(before, o);
    expect(node<Register>(d, 'UART0.SR').resetValue).toBe(0xc0n);
    expect(node<Field>(d, 'UART0.SR.TXE').reset).toBe(1n);
    expect(node<Field>(d, 'UART0.SR.RXNE').reset).toBe(0n);
    expect(node<Field>(d, 'UART0.DR.DATA').access.onRead).toBe('external');
    expect(node<Register>(d, 'UART1.SR').resetValue).toBe(0x80n);
    expect(node<Register>(d, 'UART1.SR').resetMask & 0x80n).toBe(0x80n);
    // The input is not changed: transforms return new trees.
    expect(node<Register>(before, 'UART0.SR').resetValue).toBe(0n);
  });

  it('removes a wrong side effect with none', () => {
    const { overlay: o } = overlay(`spec: specdrive/overlay@1
peripherals:
  USBD:
    fields:
      EPSTALL.STALL: { onread: none }
`);
    const { device: d } = applyOverlay(device(), o);
    expect(node<Field>(d, 'USBD.EPSTALL.STALL').access.onRead).toBeUndefined();
    expect(validateDevice(d).filter((x) => x.code === 'validate/read-effect-unreadable')).toEqual([]);
  });

  it('gives a field a write constraint with range, which validation checks against the field', () => {
    const { overlay: o } = overlay(`spec: specdrive/overlay@1
peripherals:
  UART0:
    fields:
      DR.DATA: { range: [0, 9] }
  UART1:
    fields:
      SR.TXE: { range: [0, 2] }
`);
    const { device: d } = applyOverlay(device(), o);
    expect(node<Field>(d, 'UART0.DR.DATA').access.writeConstraint).toEqual({ kind: 'range', min: 0, max: 9 });
    // A one-bit field cannot take 2: the overlay's range is a finding of the overlaid revision.
    expect(
      validateDevice(d)
        .filter((x) => x.path === 'UART1.SR.TXE')
        .map((x) => x.code),
    ).toEqual(['validate/write-constraint-range']);
  });
});

describe('waivers', () => {
  it('turn a matching finding into a located info that says why, never drop it', () => {
    const { overlay: o, source } = overlay(`spec: specdrive/overlay@1
waivers:
  - rule: validate/read-effect-unreadable
    path: USBD.EPSTALL.*
    reason: the vendor marks the stall bits read-clear on a write-only register
`);
    const applied = applyOverlay(device(), o, source);
    const findings = validateDevice(applied.device);
    const before = findings.filter((d) => d.code === 'validate/read-effect-unreadable');
    expect(before).toHaveLength(1);
    expect(before[0]?.severity).not.toBe('info');
    const waived = applyWaivers(findings, o.waivers, applied.matched);
    const after = waived.filter((d) => d.code === 'validate/read-effect-unreadable');
    expect(after).toHaveLength(1);
    expect(after[0]?.severity).toBe('info');
    expect(after[0]?.message).toMatch(/^waived \(the vendor marks the stall bits read-clear on a write-only register\): /);
    expect(after[0]?.related?.at(-1)?.span.file).toBe('board.overlay.yaml');
    expect(unmatchedEntries(o, [{ label: 'tiny rev-a', matched: applied.matched }])).toEqual([]);
  });
});
