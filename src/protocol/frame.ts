import { crc32 } from './crc32.ts';

/**
 * The frame inside a SLIP packet (DESIGN.md §5; byte layout in docs/protocol.md):
 *
 *   0 version u8 | 1 flags u8 | 2 seq u16 LE | 4 device u8 | 5 op u8 | 6 width u8 |
 *   7 count u16 LE | 9 address u32 LE | 13 payload … | CRC-32 u32 LE over every byte before it
 */
export const PROTOCOL_VERSION = 1;
export const HEADER_SIZE = 13;
export const CRC_SIZE = 4;
export const MIN_FRAME_SIZE = HEADER_SIZE + CRC_SIZE;
/** Largest payload a peer must accept; bursts are limited so a response fits. */
export const MAX_PAYLOAD = 4096;

export const Flag = {
  /** Set on every device → host frame. */
  RESPONSE: 0x01,
  /** Unsolicited device → host frame (EVENT); `seq` is then the event counter. */
  ASYNC: 0x02,
  /** The response status is not OK. */
  ERROR: 0x04,
  /** Bursts: every beat at the same address (a FIFO register) instead of incrementing. */
  FIXED: 0x08,
} as const;

export const Op = {
  HELLO: 0x01,
  READ: 0x02,
  WRITE: 0x03,
  MODIFY: 0x04,
  READ_BURST: 0x05,
  WRITE_BURST: 0x06,
  WAIT: 0x07,
  TICK: 0x08,
  RESET: 0x09,
  INJECT: 0x0a,
  EVENT: 0x0b,
} as const;
export type OpName = keyof typeof Op;
export type OpCode = (typeof Op)[OpName];

export const Status = {
  OK: 0x00,
  BUS_ERROR: 0x01,
  ACCESS_ERROR: 0x02,
  ALIGN: 0x03,
  CRC: 0x04,
  BUSY: 0x05,
  BAD_DEVICE: 0x06,
  TIMEOUT: 0x07,
  /** Addition to DESIGN.md §5: unknown op, bad width, wrong payload length, unsupported version. */
  BAD_REQUEST: 0x08,
} as const;
export type StatusName = keyof typeof Status;
export type StatusCode = (typeof Status)[StatusName];

export const ResetKind = { POWER_ON: 0, SOFT: 1 } as const;
export const EventKind = { IRQ: 1, STREAM: 2 } as const;

const opNames = new Map<number, OpName>(Object.entries(Op).map(([k, v]) => [v, k as OpName]));
const statusNames = new Map<number, StatusName>(Object.entries(Status).map(([k, v]) => [v, k as StatusName]));
export const opName = (op: number): string => opNames.get(op) ?? `OP_0x${op.toString(16).padStart(2, '0')}`;
export const statusName = (status: number): string => statusNames.get(status) ?? `STATUS_0x${status.toString(16).padStart(2, '0')}`;

export interface Frame {
  readonly version: number;
  readonly flags: number;
  readonly seq: number;
  readonly device: number;
  readonly op: number;
  readonly width: number;
  readonly count: number;
  readonly address: number;
  readonly payload: Uint8Array;
}

export type FrameInput = Partial<Omit<Frame, 'op' | 'seq'>> & Pick<Frame, 'op' | 'seq'>;

/**
 * Builds the unescaped frame bytes (header, payload, CRC). Fields are written byte by byte rather
 * than through a DataView: a view needs the array's ArrayBuffer, which moves a small on-heap typed
 * array off the heap, and that allocation per frame was a third of a pipelined link's time (GC).
 */
export function encodeFrame(input: FrameInput): Uint8Array {
  const payload = input.payload;
  const payloadLength = payload?.length ?? 0;
  const bytes = new Uint8Array(HEADER_SIZE + payloadLength + CRC_SIZE);
  bytes[0] = input.version ?? PROTOCOL_VERSION;
  bytes[1] = input.flags ?? 0;
  putUint(bytes, 2, input.seq & 0xffff, 2);
  bytes[4] = input.device ?? 0;
  bytes[5] = input.op;
  bytes[6] = input.width ?? 0;
  putUint(bytes, 7, (input.count ?? 0) & 0xffff, 2);
  putUint(bytes, 9, input.address ?? 0, 4);
  if (payload) bytes.set(payload, HEADER_SIZE);
  putUint(bytes, HEADER_SIZE + payloadLength, crc32(bytes, 0, HEADER_SIZE + payloadLength), 4);
  return bytes;
}

export type DecodeResult =
  | { readonly ok: true; readonly frame: Frame }
  /** `header` is what could be read of a frame whose CRC failed (untrusted; used to answer CRC). */
  | { readonly ok: false; readonly reason: 'short' | 'crc'; readonly header?: Omit<Frame, 'payload'> };

/** Decodes the frame in `bytes[start, end)`; the payload is a copy, so the result outlives `bytes`. */
export function decodeFrame(bytes: Uint8Array, start = 0, end = bytes.length): DecodeResult {
  if (end - start < MIN_FRAME_SIZE) return { ok: false, reason: 'short' };
  const crcAt = end - CRC_SIZE;
  const crcOk = crc32(bytes, start, crcAt) === getUint(bytes, crcAt, 4);
  const version = bytes[start]!;
  const flags = bytes[start + 1]!;
  const seq = getUint(bytes, start + 2, 2);
  const device = bytes[start + 4]!;
  const op = bytes[start + 5]!;
  const width = bytes[start + 6]!;
  const count = getUint(bytes, start + 7, 2);
  const address = getUint(bytes, start + 9, 4);
  if (!crcOk) return { ok: false, reason: 'crc', header: { version, flags, seq, device, op, width, count, address } };
  // A copy, not a view: a view would need the ArrayBuffer and move the small frame off the heap.
  return { ok: true, frame: { version, flags, seq, device, op, width, count, address, payload: copyBytes(bytes, start + HEADER_SIZE, crcAt) } };
}

/** True when `bytes[start, end)` is long enough for a frame and its CRC matches. */
export function frameIntact(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= MIN_FRAME_SIZE && crc32(bytes, start, end - CRC_SIZE) === getUint(bytes, end - CRC_SIZE, 4);
}

// ---- little-endian payload helpers shared by client and server ----

/** Shared by every empty copy (a READ's payload): an empty array has nothing to change. */
const NO_BYTES = new Uint8Array(0);

/**
 * A copy of `bytes[start, end)` in a new small array. Not `bytes.slice`: on a Node Buffer (what a
 * socket delivers) slice is a view that pins the whole received chunk, and making views was a
 * visible share of a pipelined link's time; a short copy loop into an on-heap array is cheaper.
 */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  if (end <= start) return NO_BYTES;
  const out = new Uint8Array(end - start);
  if (end - start > 64) out.set(bytes.subarray(start, end));
  else for (let i = start; i < end; i++) out[i - start] = bytes[i]!;
  return out;
}

/** Writes `value` (an unsigned integer of up to 4 bytes) little-endian. */
export function putUint(target: Uint8Array, offset: number, value: number, width: number): void {
  let v = value >>> 0;
  for (let i = 0; i < width; i++) {
    target[offset + i] = v & 0xff;
    v >>>= 8;
  }
}

export function getUint(source: Uint8Array, offset: number, width: number): number {
  // Four whole bytes (an address, a value, a CRC: every frame has several) without the loop.
  if (width === 4 && offset >= 0 && offset + 4 <= source.length) {
    return (source[offset]! | (source[offset + 1]! << 8) | (source[offset + 2]! << 16) | (source[offset + 3]! << 24)) >>> 0;
  }
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + (source[offset + i] ?? 0);
  return v;
}

/** u64 little-endian from a non-negative safe integer (virtual time). */
export function putU64(target: Uint8Array, offset: number, value: number): void {
  putUint(target, offset, value % 2 ** 32, 4);
  putUint(target, offset + 4, Math.floor(value / 2 ** 32), 4);
}

export function getU64(source: Uint8Array, offset: number): number {
  return getUint(source, offset, 4) + getUint(source, offset + 4, 4) * 2 ** 32;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** A u8 length followed by UTF-8 bytes (names, board, revision, hash). Longer strings are cut at 255 bytes. */
export function lengthPrefixed(text: string): Uint8Array {
  const bytes = utf8.encode(text).subarray(0, 255);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}

/** Reads a length-prefixed string; undefined when the payload is too short. */
export function readLengthPrefixed(source: Uint8Array, offset: number): { text: string; next: number } | undefined {
  const length = source[offset];
  if (length === undefined || offset + 1 + length > source.length) return undefined;
  return { text: utf8Decoder.decode(source.subarray(offset + 1, offset + 1 + length)), next: offset + 1 + length };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** HELLO response body after the status byte. */
export interface HelloInfo {
  readonly protocolVersion: number;
  readonly deviceCount: number;
  readonly maxPayload: number;
  readonly board: string;
  readonly revision: string;
  /** sha256 hex of the canonical IR (src/ir/canonical.ts `specHash`). */
  readonly specHash: string;
}

export function encodeHelloInfo(info: HelloInfo): Uint8Array {
  const head = new Uint8Array(4);
  head[0] = info.protocolVersion;
  head[1] = info.deviceCount;
  putUint(head, 2, info.maxPayload, 2);
  return concatBytes([head, lengthPrefixed(info.board), lengthPrefixed(info.revision), lengthPrefixed(info.specHash)]);
}

export function decodeHelloInfo(bytes: Uint8Array, offset = 0): HelloInfo | undefined {
  if (bytes.length < offset + 4) return undefined;
  const board = readLengthPrefixed(bytes, offset + 4);
  const revision = board && readLengthPrefixed(bytes, board.next);
  const hash = revision && readLengthPrefixed(bytes, revision.next);
  if (!board || !revision || !hash) return undefined;
  return {
    protocolVersion: bytes[offset]!,
    deviceCount: bytes[offset + 1]!,
    maxPayload: getUint(bytes, offset + 2, 2),
    board: board.text,
    revision: revision.text,
    specHash: hash.text,
  };
}

/** An EVENT frame's payload. */
export interface DeviceEvent {
  readonly device: number;
  /** Event counter from the frame's seq; gaps mean events were lost on the link. */
  readonly seq: number;
  readonly kind: 'irq' | 'stream';
  /** Virtual time in ticks when the event happened. */
  readonly time: number;
  /** Interrupt name (`UART0_IRQ`) or stream name (`UART0.tx`). */
  readonly name: string;
  /** irq: the line number and level; stream: the bytes. */
  readonly irq?: { readonly line: number; readonly level: boolean };
  readonly data?: Uint8Array;
}

export function encodeEventPayload(event: Omit<DeviceEvent, 'device' | 'seq'>): Uint8Array {
  const head = new Uint8Array(9);
  head[0] = event.kind === 'irq' ? EventKind.IRQ : EventKind.STREAM;
  putU64(head, 1, event.time);
  let tail: Uint8Array;
  if (event.kind === 'irq') {
    tail = new Uint8Array(3);
    putUint(tail, 0, event.irq?.line ?? 0, 2);
    tail[2] = event.irq?.level ? 1 : 0;
  } else tail = event.data ?? new Uint8Array(0);
  return concatBytes([head, lengthPrefixed(event.name), tail]);
}

export function decodeEventPayload(frame: Frame): DeviceEvent | undefined {
  const p = frame.payload;
  if (p.length < 10) return undefined;
  const kind = p[0] === EventKind.IRQ ? 'irq' : p[0] === EventKind.STREAM ? 'stream' : undefined;
  const name = readLengthPrefixed(p, 9);
  if (!kind || !name) return undefined;
  const rest = p.slice(name.next);
  const base = { device: frame.device, seq: frame.seq, kind, time: getU64(p, 1), name: name.text } as const;
  if (kind === 'irq') {
    if (rest.length < 3) return undefined;
    return { ...base, irq: { line: getUint(rest, 0, 2), level: rest[2] === 1 } };
  }
  return { ...base, data: rest };
}
