import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import type { Simulator } from '../../../firmware-sim/simulator.ts';
import { SimServer } from '../../../firmware-sim/server.ts';
import { connect, inProcessPair, openUsb, UsbTransportError } from '../../../src/protocol/index.ts';
import type { UsbDeviceLike, UsbModule } from '../../../src/protocol/usb-transport.ts';
import { demoSim, UART0 } from './helpers.ts';

/**
 * A stand-in USB bus with one board whose vendor interface is bridged to the simulator: bytes the
 * host transfers OUT reach the device side, device bytes arrive as IN poll data, chopped into
 * 64-byte USB packets so SLIP reassembly across transfers is exercised.
 */
function fakeBoard(sim: Simulator, ids = { idVendor: 0x1209, idProduct: 0x5d01 }): { usb: UsbModule; claimed: () => boolean } {
  const [hostSide, deviceSide] = inProcessPair('fake usb');
  new SimServer([sim]).attach(deviceSide);
  const input = Object.assign(new EventEmitter(), {
    direction: 'in' as const,
    transferType: 2,
    startPoll: () => undefined,
    stopPoll: (cb?: () => void) => cb?.(),
  });
  hostSide.onData((bytes) => {
    for (let i = 0; i < bytes.length; i += 64) input.emit('data', Buffer.from(bytes.subarray(i, i + 64)));
  });
  const output = {
    direction: 'out' as const,
    transferType: 2,
    transfer: (buffer: Buffer, cb?: (e: Error | undefined) => void) => (hostSide.write(buffer), cb?.(undefined)),
  };
  let claimed = false;
  const device: UsbDeviceLike = {
    deviceDescriptor: ids,
    interfaces: [
      { descriptor: { bInterfaceClass: 0x02, bInterfaceNumber: 0 }, endpoints: [], claim: () => undefined, release: (_c, cb) => cb?.() },
      {
        descriptor: { bInterfaceClass: 0xff, bInterfaceNumber: 1 },
        endpoints: [input, output],
        claim: () => void (claimed = true),
        release: (_c, cb) => cb?.(),
      },
    ],
    open: () => undefined,
    close: () => undefined,
  };
  return { usb: { getDeviceList: () => [device] }, claimed: () => claimed };
}

describe('USB transport', () => {
  it('with the real usb package and no bus here: a clear transport/no-usb-device error', () => {
    const ids = demoSim('rev-b').device.usb!;
    expect(ids).toEqual({ vendorId: 0x1209, productId: 0x5d01 });
    let error: unknown;
    try {
      openUsb(ids);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsbTransportError);
    expect((error as UsbTransportError).code).toBe('transport/no-usb-device');
    expect((error as Error).message).toContain('1209:5d01');
  });

  it('finds the board by the ids in its hardware spec and carries the protocol over bulk endpoints', async () => {
    const sim = demoSim('rev-b');
    const board = fakeBoard(sim);
    const client = await connect(openUsb({ ...sim.device.usb!, usb: board.usb }), { heartbeatMs: 0 });
    expect(board.claimed()).toBe(true);
    expect(client.info?.specHash).toBe(sim.specHash);
    await client.writeBurst(UART0 + 0x0c, [0xc0db]); // SLIP special bytes inside the payload
    expect(await client.readBurst(UART0, 4)).toEqual([0, 1, 0, 0xc0db]);
    await client.close();
  });

  it('a board without a vendor interface, or with other ids, is refused with a coded error', () => {
    const sim = demoSim('rev-b');
    const other = fakeBoard(sim, { idVendor: 0x1234, idProduct: 1 });
    expect(() => openUsb({ ...sim.device.usb!, usb: other.usb })).toThrow(expect.objectContaining({ code: 'transport/no-usb-device' }));
    const bare: UsbModule = {
      getDeviceList: () => [{ deviceDescriptor: { idVendor: 0x1209, idProduct: 0x5d01 }, interfaces: [], open: () => undefined, close: () => undefined }],
    };
    expect(() => openUsb({ ...sim.device.usb!, usb: bare })).toThrow(expect.objectContaining({ code: 'transport/usb-no-interface' }));
  });
});
