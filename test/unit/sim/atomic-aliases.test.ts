import { describe, expect, it } from 'vitest';
import { importNativeYaml } from '../../../src/importers/native-yaml/index.ts';
import { applyOverlay, parseOverlay } from '../../../src/overlay/index.ts';
import { DeviceModel } from '../../../firmware-sim/index.ts';
import { Status } from '../../../src/protocol/index.ts';

/** Writes through RP2040-style atomic aliases, declared by a board overlay, in the simulator. */
const spec = `spec: specdrive/hardware@1
board: tiny
revision: a
peripherals:
  P0:
    base: 0x4000_0000
    size: 0x1000
    registers:
      CTRL: { offset: 0x4, fields: { EN: { bits: 0 }, MODE: { bits: 3..1 }, IRQ: { bits: 8, onwrite: woclr } } }
`;
const overlay = parseOverlay('spec: specdrive/overlay@1\nperipherals:\n  P0:\n    aliases: { toggle: 0x1000, set: 0x2000, clear: 0x3000 }\n', 'o.yaml').value!;
const device = applyOverlay(importNativeYaml(spec, 'tiny.yaml').value!, overlay).device;

describe('atomic aliases in the simulator', () => {
  it('set, clear and toggle only the bits written; reads of an alias read the register', () => {
    const m = new DeviceModel(device);
    const ctrl = 0x4000_0004;
    expect(m.write(ctrl + 0x2000, 4, 0b1011).status).toBe(Status.OK);
    expect(m.read(ctrl, 4).value).toBe(0b1011);
    m.write(ctrl + 0x3000, 4, 0b0010);
    expect(m.read(ctrl, 4).value).toBe(0b1001);
    m.write(ctrl + 0x1000, 4, 0b0101);
    expect(m.read(ctrl, 4).value).toBe(0b1100);
    expect(m.read(ctrl + 0x2000, 4).value).toBe(0b1100);
  });

  it('without aliases the same addresses are bus errors', () => {
    const plain = new DeviceModel(importNativeYaml(spec, 'tiny.yaml').value!);
    expect(plain.write(0x4000_2004, 4, 1).status).toBe(Status.BUS_ERROR);
  });
});
