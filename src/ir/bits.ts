/**
 * Bit arithmetic that is safe beyond bit 31. JavaScript's `<<`, `&` and `|` work on signed 32-bit
 * integers (`1 << 31` is negative), so masks for 32-bit registers go through these helpers.
 */

/** Mask of `width` ones starting at `lsb`, as a non-negative number (exact up to 53 bits). */
export function bitMask(lsb: number, width: number): number {
  if (width <= 0) return 0;
  if (lsb + width <= 32) {
    return width === 32 ? 0xffff_ffff : (((1 << width) >>> 0) - 1) * 2 ** lsb;
  }
  return (2 ** width - 1) * 2 ** lsb;
}

/** All-ones value of a width. */
export function ones(width: number): number {
  return bitMask(0, width);
}

/** `value` (already shifted) masked, for values up to 53 bits. */
export function andMask(value: number, mask: number): number {
  if (value <= 0xffff_ffff && mask <= 0xffff_ffff) return (value & mask) >>> 0;
  return Number(BigInt(value) & BigInt(mask));
}

export function orBits(a: number, b: number): number {
  if (a <= 0xffff_ffff && b <= 0xffff_ffff) return (a | b) >>> 0;
  return Number(BigInt(a) | BigInt(b));
}

/** Extracts `width` bits at `lsb` from `value`. */
export function extractBits(value: number, lsb: number, width: number): number {
  return Math.floor(value / 2 ** lsb) % 2 ** width;
}

/** Places `fieldValue` at `lsb` inside `width` bits (excess high bits are dropped). */
export function placeBits(fieldValue: number, lsb: number, width: number): number {
  return (fieldValue % 2 ** width) * 2 ** lsb;
}

/** Number of bits needed to hold `value` (at least 1). */
export function bitLength(value: number): number {
  let n = 1;
  while (2 ** n <= value) n++;
  return n;
}

/** Formats as 0x-prefixed upper-case hex, zero-padded to `digits`. */
export function hex(value: number, digits = 1): string {
  return '0x' + value.toString(16).toUpperCase().padStart(digits, '0');
}
