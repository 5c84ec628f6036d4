/**
 * CMSIS-SVD numbers: `scaledNonNegativeInteger` is decimal, `0x` hex or `#` binary with an optional
 * k/M/G/T scale (powers of 1024); enumerated values may use `#` or `0b` binary with `x` don't-care bits.
 */

const SCALE: Readonly<Record<string, number>> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** The same syntax, exact at any size (reset values and masks of 64-bit registers). */
export function parseSvdBigInt(raw: string): bigint | undefined {
  const short = shortNumber(raw);
  if (short !== undefined) return short === 0 ? 0n : BigInt(short);
  const text = raw.trim().replace(/^\+/, '');
  const m = /^(0[xX][0-9a-fA-F]+|#[01]+|0[bB][01]+|[0-9]+)([kmgtKMGT])?$/.exec(text);
  if (!m) return undefined;
  const digits = m[1] as string;
  const value = BigInt(digits.startsWith('#') ? `0b${digits.slice(1)}` : digits);
  return m[2] ? value * BigInt(SCALE[m[2].toLowerCase()] ?? 1) : value;
}

/** The value of a hex digit's character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Most SVD numbers are 1–15 decimal digits (bit offsets, widths) or `0x` and 1–13 hex digits
 * (offsets, resets, enumerated values), with no sign, scale or space: read without a regular
 * expression or a substring. Both fit in 2^53 exactly. Anything else is undefined (the general path).
 */
function shortNumber(raw: string): number | undefined {
  const n = raw.length;
  if (n === 0) return undefined;
  let value = 0;
  if (n > 2 && raw.charCodeAt(0) === 48 && (raw.charCodeAt(1) | 32) === 120 /* 0x */) {
    if (n > 15) return undefined;
    for (let i = 2; i < n; i++) {
      const d = hexDigit(raw.charCodeAt(i));
      if (d < 0) return undefined;
      value = value * 16 + d;
    }
    return value;
  }
  if (n > 15) return undefined;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    value = value * 10 + (c - 48);
  }
  return value;
}

export function parseSvdInteger(raw: string): number | undefined {
  const short = shortNumber(raw);
  if (short !== undefined) return short;
  const text = raw.trim().replace(/^\+/, '');
  const m = /^(0[xX][0-9a-fA-F]+|#[01]+|0[bB][01]+|[0-9]+)([kmgtKMGT])?$/.exec(text);
  if (!m) return undefined;
  const digits = m[1] as string;
  let value: number;
  if (digits.startsWith('#')) value = parseInt(digits.slice(1), 2);
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else value = parseInt(digits, 10);
  return m[2] ? value * (SCALE[m[2].toLowerCase()] ?? 1) : value;
}

/** An enumerated value: the value with don't-care bits as 0, and the mask of don't-care bits. */
export function parseEnumValue(raw: string): { value: number; dontCareMask: number } | undefined {
  const short = shortNumber(raw);
  if (short !== undefined) return { value: short, dontCareMask: 0 };
  const text = raw.trim().replace(/^\+/, '');
  const binary = /^(?:#|0[bB])([01xX]+)$/.exec(text);
  if (binary) {
    const bits = binary[1] as string;
    let value = 0;
    let dontCare = 0;
    for (const bit of bits) {
      value *= 2;
      dontCare *= 2;
      if (bit === '1') value += 1;
      else if (bit === 'x' || bit === 'X') dontCare += 1;
    }
    return { value, dontCareMask: dontCare };
  }
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return { value: parseInt(text.slice(2), 16), dontCareMask: 0 };
  if (/^[0-9]+$/.test(text)) return { value: parseInt(text, 10), dontCareMask: 0 };
  return undefined;
}

/** `[7:0]` → msb 7, lsb 0. */
export function parseBitRange(raw: string): { msb: number; lsb: number } | undefined {
  const m = /^\[\s*(\d+)\s*:\s*(\d+)\s*\]$/.exec(raw.trim());
  return m ? { msb: parseInt(m[1] as string, 10), lsb: parseInt(m[2] as string, 10) } : undefined;
}

/**
 * dimIndex: `0-3`, `A-D` or a comma list `A,B,C`. Returns undefined when the text matches none.
 */
export function parseDimIndex(raw: string): string[] | undefined {
  const text = raw.trim();
  const numeric = /^(\d+)\s*-\s*(\d+)$/.exec(text);
  if (numeric) {
    const from = parseInt(numeric[1] as string, 10);
    const to = parseInt(numeric[2] as string, 10);
    if (to < from || to - from > 1_000_000) return undefined;
    return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
  }
  const letters = /^([A-Z])\s*-\s*([A-Z])$/.exec(text);
  if (letters) {
    const from = (letters[1] as string).charCodeAt(0);
    const to = (letters[2] as string).charCodeAt(0);
    if (to < from) return undefined;
    return Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
  }
  const list = text.split(',').map((s) => s.trim());
  return list.every((s) => /^[_0-9a-zA-Z]+$/.test(s)) ? list : undefined;
}

/** The IR name of a dim element: `%s` and `[%s]` removed (`CCR%s` → `CCR`, `ARR[%s]` → `ARR`). */
export function stripDimPlaceholder(name: string): string {
  if (name.indexOf('%s') === -1) return name;
  return name.replace('[%s]', '').replace('%s', '');
}
