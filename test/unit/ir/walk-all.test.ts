import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/importers/index.ts';
import type { Device } from '../../../src/ir/types.ts';
import { type IrListener, walkDevice, walkDeviceWithAll } from '../../../src/ir/walk.ts';

const field = (name: string, lsb: number, width: number): string =>
  `<field><name>${name}</name><bitOffset>${lsb}</bitOffset><bitWidth>${width}</bitWidth></field>`;
const register = (name: string, offset: number, fields: string): string =>
  `<register><name>${name}</name><addressOffset>${offset}</addressOffset><size>32</size>${fields ? `<fields>${fields}</fields>` : ''}</register>`;

/** Two peripherals, a cluster, registers with and without fields: every hook of the walk is called. */
const svd = `<?xml version="1.0"?>
<device><name>D</name><addressUnitBits>8</addressUnitBits><width>32</width><size>32</size><peripherals>
<peripheral><name>UART0</name><baseAddress>0x40000000</baseAddress><registers>
${register('CR', 0, field('A', 0, 4) + field('B', 4, 4))}
${register('SR', 4, '')}
<cluster><name>CH</name><addressOffset>0x10</addressOffset>${register('DATA', 0, field('V', 0, 8))}</cluster>
</registers></peripheral>
<peripheral><name>TIMER0</name><baseAddress>0x40001000</baseAddress><registers>${register('CNT', 0, field('C', 0, 16))}</registers></peripheral>
</peripherals></device>`;

function load(): Device {
  const result = importText(svd, 'walk.svd');
  if (!result.value) throw new Error(`test SVD does not load: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}
const device = load();

/** A listener recording every call it hears (hook, node path, and the path of each argument after it). */
function recorder(hooks: readonly (keyof IrListener)[]): { listener: IrListener; calls: string[] } {
  const calls: string[] = [];
  const listener: IrListener = {};
  const label = (x: unknown): string => (Array.isArray(x) ? `[${x.map(label).join(',')}]` : ((x as { path?: string; name?: string })?.path ?? 'device'));
  for (const hook of hooks) {
    (listener as Record<string, unknown>)[hook] = function (this: IrListener, ...args: unknown[]) {
      // The walk must call each hook on its own listener (rules keep state in closures, but a class listener would use `this`).
      expect(this).toBe(listener);
      calls.push(`${hook} ${args.map(label).join(' ')}`);
    };
  }
  return { listener, calls };
}

describe('walkDeviceWithAll', () => {
  it('gives each listener exactly the calls it hears walking alone, with itself as `this`', () => {
    const shapes: (keyof IrListener)[][] = [
      ['enterDevice', 'enterPeripheral', 'exitPeripheral', 'enterCluster', 'exitCluster', 'enterRegister', 'enterField'],
      ['enterField'],
      ['enterRegister', 'enterField'],
      ['enterCluster', 'exitPeripheral'],
    ];
    const alone = shapes.map((hooks) => {
      const r = recorder(hooks);
      walkDevice(device, r.listener);
      return r.calls;
    });
    const together = shapes.map((hooks) => recorder(hooks));
    walkDeviceWithAll(
      device,
      together.map((r) => r.listener),
    );
    expect(together.map((r) => r.calls)).toEqual(alone);
    // Worth something only if the walk reached fields inside a cluster and in both peripherals.
    expect(alone[1]).toEqual([
      'enterField UART0.CR.A UART0.CR UART0',
      'enterField UART0.CR.B UART0.CR UART0',
      'enterField UART0.CH.DATA.V UART0.CH.DATA UART0',
      'enterField TIMER0.CNT.C TIMER0.CNT TIMER0',
    ]);
  });
});
