import { Status } from '../src/protocol/frame.ts';
import type { RegisterState } from './model-types.ts';

/** One register's share of a bus access. */
export interface LanePart {
  readonly register: RegisterState;
  /** Bit enables in register space. */
  S: number;
  /** Data in register space (writes). */
  D: number;
  /** Bit offset of the register's lane 0 within the access (may be negative when the access starts inside the register). */
  readonly shift: number;
}

/**
 * Splits an access into per-register parts (byte lanes, little-endian), checking width,
 * alignment and decoding. Returns a status when the access cannot proceed.
 */
export function decodeAccess(
  byteMap: ReadonlyMap<number, RegisterState>,
  busErrors: ReadonlySet<number>,
  address: number,
  width: number,
  data: number,
  bitMask: number,
): LanePart[] | number {
  if (width !== 1 && width !== 2 && width !== 4) return Status.BAD_REQUEST;
  if (address % width !== 0) return Status.ALIGN;
  const parts: LanePart[] = [];
  for (let i = 0; i < width; i++) {
    const b = address + i;
    const register = byteMap.get(b);
    if (!register || busErrors.has(b)) return Status.BUS_ERROR;
    let part = parts.find((p) => p.register === register);
    if (!part) {
      part = { register, S: 0, D: 0, shift: (register.address - address) * 8 };
      parts.push(part);
    }
    const lane = (b - register.address) * 8;
    const maskByte = (bitMask >>> (i * 8)) & 0xff;
    const dataByte = (data >>> (i * 8)) & 0xff;
    part.S = (part.S | (maskByte << lane)) >>> 0;
    part.D = (part.D | (dataByte << lane)) >>> 0;
  }
  return parts;
}

/** Places a register-space value into access space. */
export function toAccess(part: LanePart, value: number): number {
  const masked = (value & part.S) >>> 0;
  return part.shift >= 0 ? (masked << part.shift) >>> 0 : masked >>> -part.shift;
}

/** Fault injection: bits forced on every read of the given byte addresses. */
export function applyStuck(stuckBits: ReadonlyMap<number, { mask: number; value: number }>, address: number, width: number, value: number): number {
  if (stuckBits.size === 0) return value;
  let v = value;
  for (let i = 0; i < width; i++) {
    const stuck = stuckBits.get(address + i);
    if (!stuck) continue;
    const shift = i * 8;
    v = ((v & ~((stuck.mask & 0xff) << shift)) | ((stuck.value & stuck.mask & 0xff) << shift)) >>> 0;
  }
  return v;
}
