import { importText } from '../../../src/importers/index.ts';
import type { Device } from '../../../src/ir/types.ts';
import { Simulator, type SimulatorOptions } from '../../../firmware-sim/simulator.ts';

/** A device with one field per access semantic, at known places (tests compute S from byte lanes). */
export const SEMANTICS_SPEC = `spec: specdrive/hardware@1
board: semantics
revision: r1
peripherals:
  P:
    base: 0x1000
    irq: 3
    registers:
      W:
        offset: 0x0
        fields:
          PLAIN: { bits: 3..0, access: rw }
          WOSET: { bits: 7..4, access: rw, onwrite: woset }
          WOCLR: { bits: 11..8, access: rw, onwrite: woclr }
          WOT: { bits: 15..12, access: rw, onwrite: wot }
          WZS: { bits: 19..16, access: rw, onwrite: wzs }
          WZC: { bits: 23..20, access: rw, onwrite: wzc }
          WZT: { bits: 27..24, access: rw, onwrite: wzt }
          WCLR: { bits: 29..28, access: rw, onwrite: wclr }
          WSET: { bits: 31..30, access: rw, onwrite: wset }
      R:
        offset: 0x4
        fields:
          RCLR: { bits: 7..0, access: rw, onread: rclr }
          RSET: { bits: 15..8, access: rw, onread: rset }
          RO: { bits: 23..16, access: r, reset: 0x5A }
          WO: { bits: 31..24, access: w }
      ONCE:
        offset: 0x8
        fields:
          W1: { bits: 7..0, access: w1 }
          RW1: { bits: 15..8, access: rw1, reset: 0x11 }
          SP: { bits: 16, access: rw, singlepulse: true }
          NR: { bits: 31..24, access: rw }
      INT:
        offset: 0xC
        fields:
          LVL: { bits: 0, access: rw, onwrite: woclr, interrupt: { enable: P.EN.E0 } }
          POS: { bits: 1, access: rw, onwrite: woclr, interrupt: { kind: posedge } }
          NEG: { bits: 2, access: rw, onwrite: woclr, interrupt: { kind: negedge } }
          BOTH: { bits: 3, access: rw, onwrite: woclr, interrupt: { kind: bothedge } }
          STK: { bits: 7..4, access: rw, onwrite: woclr, interrupt: { sticky: sticky } }
          NON: { bits: 11..8, access: r, interrupt: { sticky: nonsticky, mask: P.EN.M } }
          HWP: { bits: 12, access: rw, onwrite: woclr, precedence: hw, interrupt: true }
      EN:
        offset: 0x10
        fields:
          E0: { bits: 0, access: rw }
          M: { bits: 1, access: rw, reset: 1 }
      CNT:
        offset: 0x14
        fields:
          C: { bits: 7..0, access: rw, counter: { incr: 3, overflow: true } }
          S: { bits: 15..8, access: rw, counter: { saturate: 200, threshold: 100 } }
      RO8:
        offset: 0x18
        size: 8
        fields:
          V: { bits: 7..0, access: r, reset: 0x42 }
      RW8:
        offset: 0x19
        size: 8
        fields:
          V: { bits: 7..0, access: rw }
      H16:
        offset: 0x1A
        size: 16
        fields:
          V: { bits: 15..0, access: rw, reset: 0xBEEF }
`;

export function semanticsDevice(): Device {
  const imported = importText(SEMANTICS_SPEC, 'semantics.yaml');
  if (!imported.value) throw new Error(imported.diagnostics.map((d) => d.message).join('\n'));
  return imported.value;
}

export function semanticsSim(options: SimulatorOptions = {}): Simulator {
  return new Simulator(semanticsDevice(), options);
}
