/**
 * The host ⇄ device wire protocol (docs/protocol.md): SLIP framing, the frame codec with CRC-32,
 * and the TypeScript client that generated SDKs build on.
 */
export { crc32 } from './crc32.ts';
export { SlipDecoder, slipEncode, SLIP_END, SLIP_ESC, SLIP_ESC_END, SLIP_ESC_ESC, type SlipEvent } from './slip.ts';
export {
  PROTOCOL_VERSION,
  HEADER_SIZE,
  CRC_SIZE,
  MIN_FRAME_SIZE,
  MAX_PAYLOAD,
  Flag,
  Op,
  Status,
  ResetKind,
  EventKind,
  opName,
  statusName,
  encodeFrame,
  decodeFrame,
  encodeHelloInfo,
  decodeHelloInfo,
  encodeEventPayload,
  decodeEventPayload,
  type Frame,
  type FrameInput,
  type DecodeResult,
  type HelloInfo,
  type DeviceEvent,
  type OpName,
  type StatusName,
} from './frame.ts';
export { Client, connect, TICKS_PER_REQUEST, type ClientOptions, type AccessOptions, type BurstOptions, type ClientStats } from './client.ts';
export { ProtocolError, LinkError, type LinkErrorCode } from './errors.ts';
export { inProcessPair, streamTransport, type ByteTransport } from './transport.ts';
export { connectUnix, connectTcp, openSerial } from './node-transports.ts';
export { openUsb, UsbTransportError, type UsbOptions, type UsbModule } from './usb-transport.ts';
