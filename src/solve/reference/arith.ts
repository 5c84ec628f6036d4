/** Integer helpers of the reference engine: exact floor division (numbers and bigints), bit counts, sorted search. */
export function floorDiv(a: number, b: number): number {
  // Math.floor(a / b) can be off by one once |a| nears 2^53; correct with the exact remainder.
  const q = Math.floor(a / b);
  const r = a - q * b;
  if (b > 0) {
    if (r < 0) return q - 1;
    if (r >= b) return q + 1;
  } else {
    if (r > 0) return q - 1;
    if (r <= b) return q + 1;
  }
  return q;
}
export const ceilDiv = (a: number, b: number): number => -floorDiv(-a, b);
export function bFloorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
export const bCeilDiv = (a: bigint, b: bigint): bigint => -bFloorDiv(-a, b);
export const bmin = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const bmax = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const emod = (a: number, m: number): number => ((a % m) + m) % m;

export function ctz(w: number): number {
  return 31 - Math.clz32(w & -w);
}
export function popcount(w: number): number {
  w = w - ((w >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
/** Index of the first element >= x in a sorted array. */
export function lowerBound(a: readonly number[], x: number): number {
  let l = 0;
  let h = a.length;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m]! < x) l = m + 1;
    else h = m;
  }
  return l;
}
export const has = (a: readonly number[], x: number): boolean => {
  const i = lowerBound(a, x);
  return i < a.length && a[i] === x;
};
