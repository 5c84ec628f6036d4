/**
 * Integer literal grammars of the constant-expression formats: SystemVerilog based literals
 * (`8'hFF`, `'h1F`, `4'b1010`, `'0`) and C-style literals (`0x1F`, `0b101`, `0o17`, `42`), all read
 * into bigint. Each format picks the pieces its standard allows (a `LiteralGrammar`); a literal
 * that is malformed is returned with a problem so each format reports it with its own code.
 */

/** What is wrong with a literal; `kind` is stable, `message` says it in words. */
export interface LiteralProblem {
  readonly kind: 'unknown-bits' | 'bad-digits' | 'zero-width' | 'too-wide' | 'unknown-fill';
  readonly message: string;
}

export interface Literal {
  readonly value: bigint;
  /** Bit width of a sized literal (`8'hFF` is 8); unsized literals have none. */
  readonly width?: number;
  /** Offset just past the literal. */
  readonly end: number;
  readonly problem?: LiteralProblem;
}

export interface LiteralGrammar {
  /** SystemVerilog based literals; `spaces`: whitespace may separate size, `'base` and digits (IEEE 1800 §5.7.1). */
  readonly based?: { readonly spaces: boolean };
  /** `'0` (zero) and `'1` (all ones of a context width, refused: the width is unknown here). */
  readonly fill?: boolean;
  /** The C prefixes accepted besides decimal: any of `x`, `o`, `b`. */
  readonly prefixes: string;
}

const RADIX: Readonly<Record<string, number>> = { b: 2, o: 8, d: 10, h: 16, x: 16 };
const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };
const BASED_TIGHT = /([0-9][0-9_]*)?'([sS]?)([bBoOdDhH])([0-9a-fA-FxXzZ_?]+)/y;
const BASED_SPACED = /([0-9][0-9_]*)?\s*'([sS]?)([bBoOdDhH])\s*([0-9a-fA-FxXzZ_?]+)/y;
const FILL = /'([01])(?![0-9A-Za-z_])/y;

/** Digits (underscores removed) in `radix` as a bigint; undefined if a digit is not valid there. */
export function digitsValue(digits: string, radix: number): bigint | undefined {
  const clean = digits.replace(/_/g, '');
  if (!DIGITS[radix]?.test(clean)) return undefined;
  const prefix = radix === 2 ? '0b' : radix === 8 ? '0o' : radix === 16 ? '0x' : '';
  return BigInt(prefix + clean);
}

/** A SystemVerilog based literal at `at`, with its width checks. */
export function readBasedLiteral(text: string, at: number, spaces: boolean): Literal | undefined {
  const pattern = spaces ? BASED_SPACED : BASED_TIGHT;
  pattern.lastIndex = at;
  const m = pattern.exec(text);
  if (!m) return undefined;
  const end = at + m[0].length;
  const source = m[0];
  const radix = RADIX[(m[3] as string).toLowerCase()] as number;
  const width = m[1] !== undefined ? Number(m[1].replace(/_/g, '')) : undefined;
  const sized = width !== undefined ? { width } : {};
  const digits = m[4] as string;
  if (/[xXzZ?]/.test(digits)) {
    return { value: 0n, ...sized, end, problem: { kind: 'unknown-bits', message: `${JSON.stringify(source)} has x or z bits, which have no integer value` } };
  }
  const value = digitsValue(digits, radix);
  if (value === undefined) {
    return { value: 0n, ...sized, end, problem: { kind: 'bad-digits', message: `${JSON.stringify(source)}: digits not valid in base ${radix}` } };
  }
  if (width === 0) return { value, width, end, problem: { kind: 'zero-width', message: `${JSON.stringify(source)}: a literal cannot be 0 bits wide` } };
  if (width !== undefined && value >> BigInt(width) !== 0n) {
    return { value, width, end, problem: { kind: 'too-wide', message: `${JSON.stringify(source)}: value ${value} does not fit in ${width} bits` } };
  }
  return { value, ...sized, end };
}

/** A C-style literal at `at`: decimal, or 0x/0o/0b when `prefixes` allows them. */
export function readCLiteral(text: string, at: number, prefixes: string): Literal | undefined {
  const c = text[at];
  if (c === undefined || c < '0' || c > '9') return undefined;
  const p = text[at + 1]?.toLowerCase();
  if (c === '0' && p !== undefined && prefixes.includes(p)) {
    const radix = RADIX[p] as number;
    let end = at + 2;
    while (end < text.length && /[0-9a-fA-F_]/.test(text[end] as string)) end++;
    const value = digitsValue(text.slice(at + 2, end), radix);
    if (value !== undefined) return { value, end };
    // `0b` with no valid digit reads as the decimal 0 (what follows is the next token).
  }
  let end = at + 1;
  while (end < text.length && /[0-9_]/.test(text[end] as string)) end++;
  return { value: BigInt(text.slice(at, end).replace(/_/g, '')), end };
}

/** The literal of `grammar` that starts at `at`, if any. */
export function readLiteral(text: string, at: number, grammar: LiteralGrammar): Literal | undefined {
  if (grammar.based) {
    const based = readBasedLiteral(text, at, grammar.based.spaces);
    if (based) return based;
  }
  if (grammar.fill) {
    FILL.lastIndex = at;
    const fill = FILL.exec(text);
    if (fill) {
      const end = at + fill[0].length;
      if (fill[1] === '0') return { value: 0n, end };
      return { value: 0n, end, problem: { kind: 'unknown-fill', message: `"'1" has no width here, so its value is unknown` } };
    }
  }
  return readCLiteral(text, at, grammar.prefixes);
}
