import { createRequire } from 'node:module';
import type { ByteTransport } from './transport.ts';

/**
 * USB link to a real board: the same SLIP frames carried over the bulk endpoints of the board's
 * vendor-specific interface (class 0xFF). The board is found by the USB ids in its hardware spec
 * (`usb: { vendor, product }`). Only the small part of the `usb` package (v2, libusb) used here is
 * typed, so tests can pass a fake bus.
 */
export interface UsbEndpointLike {
  readonly direction: 'in' | 'out';
  readonly transferType: number;
}
export interface UsbInEndpointLike extends UsbEndpointLike {
  startPoll(nTransfers?: number, transferSize?: number): unknown;
  stopPoll(callback?: () => void): void;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}
export interface UsbOutEndpointLike extends UsbEndpointLike {
  transfer(buffer: Buffer, callback?: (error: Error | undefined) => void): unknown;
}
export interface UsbInterfaceLike {
  readonly descriptor: { readonly bInterfaceClass: number; readonly bInterfaceNumber: number };
  readonly endpoints: readonly (UsbInEndpointLike | UsbOutEndpointLike)[];
  isKernelDriverActive?(): boolean;
  detachKernelDriver?(): void;
  claim(): void;
  release(closeEndpoints: boolean, callback?: (error?: Error) => void): void;
}
export interface UsbDeviceLike {
  readonly deviceDescriptor: { readonly idVendor: number; readonly idProduct: number };
  readonly interfaces: readonly UsbInterfaceLike[] | undefined;
  open(): void;
  close(): void;
}
export interface UsbModule {
  getDeviceList(): UsbDeviceLike[];
}

export interface UsbOptions {
  readonly vendorId: number;
  readonly productId: number;
  /** Which of several matching boards (default the first). */
  readonly index?: number;
  /** The `usb` package or a stand-in (tests). */
  readonly usb?: UsbModule;
}

export type UsbErrorCode = 'transport/no-usb-device' | 'transport/usb-unavailable' | 'transport/usb-no-interface' | 'transport/usb-open';

export class UsbTransportError extends Error {
  constructor(
    readonly code: UsbErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UsbTransportError';
  }
}

const VENDOR_CLASS = 0xff;
const BULK = 2;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

function loadUsb(): UsbModule {
  try {
    // createRequire: the `usb` package is CommonJS with native bindings loaded at require time.
    return createRequire(import.meta.url)('usb') as UsbModule;
  } catch (error) {
    throw new UsbTransportError('transport/usb-unavailable', `the usb package cannot load (${(error as Error).message})`);
  }
}

/** Finds the board by its USB ids and opens its vendor interface as a byte transport. */
export function openUsb(options: UsbOptions): ByteTransport {
  const usb = options.usb ?? loadUsb();
  const wanted = `${hex4(options.vendorId)}:${hex4(options.productId)}`;
  let devices: UsbDeviceLike[];
  try {
    devices = usb.getDeviceList();
  } catch (error) {
    throw new UsbTransportError('transport/no-usb-device', `no USB device ${wanted}: the USB bus cannot be listed (${(error as Error).message})`);
  }
  const matches = devices.filter((d) => d.deviceDescriptor.idVendor === options.vendorId && d.deviceDescriptor.idProduct === options.productId);
  const device = matches[options.index ?? 0];
  if (!device) {
    throw new UsbTransportError(
      'transport/no-usb-device',
      `no USB device ${wanted} found (${devices.length} device(s) on the bus${matches.length > 0 ? `, ${matches.length} matching` : ''}); is the board plugged in and readable by this user?`,
    );
  }
  try {
    device.open();
  } catch (error) {
    throw new UsbTransportError('transport/usb-open', `cannot open USB device ${wanted}: ${(error as Error).message}`);
  }
  const iface = device.interfaces?.find((i) => i.descriptor.bInterfaceClass === VENDOR_CLASS);
  const input = iface?.endpoints.find((e): e is UsbInEndpointLike => e.direction === 'in' && e.transferType === BULK);
  const output = iface?.endpoints.find((e): e is UsbOutEndpointLike => e.direction === 'out' && e.transferType === BULK);
  if (!iface || !input || !output) {
    device.close();
    throw new UsbTransportError('transport/usb-no-interface', `USB device ${wanted} has no vendor-specific (class 0xFF) interface with bulk IN and OUT endpoints`);
  }
  if (iface.isKernelDriverActive?.()) iface.detachKernelDriver?.();
  iface.claim();
  const closeListeners: ((error?: Error) => void)[] = [];
  let closed = false;
  const finish = (error?: Error): void => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(error);
  };
  input.on('error', (error) => finish(error));
  input.on('end', () => finish());
  input.startPoll(4, 512);
  return {
    description: `usb ${wanted}`,
    write(bytes) {
      if (closed) return;
      output.transfer(Buffer.from(bytes), (error) => {
        if (error) finish(error);
      });
    },
    onData(listener) {
      input.on('data', (data) => listener(data));
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    close() {
      return new Promise<void>((resolve) => {
        if (closed) {
          resolve();
          return;
        }
        input.stopPoll(() => {
          iface.release(true, () => {
            device.close();
            finish();
            resolve();
          });
        });
      });
    },
  };
}
