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

/** Mask of `width` ones starting at `lsb`, exact at any width (64-bit registers' high fields). */
export function bitMaskExact(lsb: number, width: number): bigint {
  return width <= 0 ? 0n : ((1n << BigInt(width)) - 1n) << BigInt(lsb);
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

/** Formats as 0x-prefixed upper-case hex, zero-padded to `digits` (exact for bigints of any size). */
export function hex(value: number | bigint, digits = 1): string {
  return '0x' + value.toString(16).toUpperCase().padStart(digits, '0');
}

// ---------------------------------------------------------------- exact (bigint) values
// Reset values and masks are bigints in the IR: a 64-bit register's all-ones mask is 2^64 − 1,
// which no JavaScript number can hold.

/** All-ones bigint of a width. */
export function onesBig(width: number): bigint {
  return ONES[width] ?? computeOnes(width);
}

function computeOnes(width: number): bigint {
  return width <= 0 ? 0n : (1n << BigInt(width)) - 1n;
}

/** All-ones masks by width: importers and validation ask for one per register and field, by the hundred thousand. */
const ONES = Array.from({ length: 65 }, (_, width) => computeOnes(width));

/** Extracts `width` bits at `lsb`. */
export function extractBig(value: bigint, lsb: number, width: number): bigint {
  if (fitsWord(value, lsb, width)) {
    const bits = extractWord(Number(value), lsb, width);
    return bits === 0 ? 0n : BigInt(bits);
  }
  return (value >> BigInt(lsb)) & onesBig(width);
}

/** `extractBig` as a number, without making a bigint, when the value fits 32 bits; undefined otherwise. */
export function extractWordOf(value: bigint, lsb: number, width: number): number | undefined {
  return fitsWord(value, lsb, width) ? extractWord(Number(value), lsb, width) : undefined;
}

/** A value of at most 32 bits with the bit range inside them: extracted in plain numbers, without bigint temporaries. */
function fitsWord(value: bigint, lsb: number, width: number): boolean {
  return lsb >= 0 && width >= 0 && lsb + width <= 32 && value >= 0n && value <= 0xffffffffn;
}

/** `width` bits at `lsb` of a number below 2^32, with 32-bit operators (fast before the code is optimized). */
function extractWord(value: number, lsb: number, width: number): number {
  if (width >= 32) return value >>> 0;
  return ((value >>> lsb) & ((1 << width) - 1)) >>> 0;
}

/** Places `fieldValue` at `lsb` inside `width` bits (excess high bits are dropped). */
export function placeBig(fieldValue: bigint, lsb: number, width: number): bigint {
  return (fieldValue & onesBig(width)) << BigInt(lsb);
}

/** A register's reset value and mask composed from its fields' resets (fields without one are not reset). */
export function resetFromFields(fields: readonly { readonly lsb: number; readonly width: number; readonly reset?: bigint | undefined }[]): {
  resetValue: bigint;
  resetMask: bigint;
} {
  let resetValue = 0n;
  let resetMask = 0n;
  for (const f of fields) {
    if (f.reset === undefined) continue;
    resetValue |= placeBig(f.reset, f.lsb, f.width);
    resetMask |= onesBig(f.width) << BigInt(f.lsb);
  }
  return { resetValue, resetMask };
}

/** A bigint as a number where exact, for consumers that work in numbers (≤ 53 bits). */
export function toSafeNumber(value: bigint): number | undefined {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
}

/**
 * A field's reset from its register's reset value and mask (SVD, IP-XACT): undefined where the mask
 * leaves any of its bits unknown.
 */
export function fieldResetFromRegister(resetValue: bigint, resetMask: bigint, lsb: number, width: number): bigint | undefined {
  // Registers of up to 32 bits in plain numbers: one bigint per field (none for 0) instead of five.
  if (fitsWord(resetMask, lsb, width) && fitsWord(resetValue, lsb, width)) {
    const mask = Number(resetMask);
    if (mask === 0) return width === 0 ? 0n : undefined;
    if (extractWord(mask, lsb, width) !== extractWord(0xffffffff, 0, width)) return undefined;
    const value = extractWord(Number(resetValue), lsb, width);
    return value === 0 ? 0n : BigInt(value);
  }
  const ones = onesBig(width);
  if (resetMask === 0n) return ones === 0n ? 0n : undefined;
  const shift = BigInt(lsb);
  return ((resetMask >> shift) & ones) === ones ? (resetValue >> shift) & ones : undefined;
}
