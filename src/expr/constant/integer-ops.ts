/**
 * The integer operators of SystemVerilog constant expressions over bigint, shared by every format
 * that writes them (IP-XACT, reggen hjson, SystemRDL). Values are unbounded here; a format that
 * wraps (SystemRDL's 64-bit `longint unsigned`) masks the result itself. Errors are thrown as
 * `ConstantError` so the caller can say where.
 */

export class ConstantError extends Error {}

/** Shift amounts and exponents past this would build numbers no register map needs. */
export const MAX_SHIFT = 4096n;

export type BinaryOperator =
  | '**'
  | '*'
  | '/'
  | '%'
  | '+'
  | '-'
  | '<<'
  | '>>'
  | '&'
  | '|'
  | '^'
  | '~^'
  | '^~'
  | '&&'
  | '||'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>=';

/** IEEE 1800 binary operators by precedence, loosest first; `**` (the tightest) is right-associative. */
export const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^', '~^', '^~'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
  ['**'],
];

/** The unary operators: sign, logical and bitwise not, and the reductions. */
export const UNARY_OPERATORS: ReadonlySet<string> = new Set<UnaryOperator>(['!', '~', '+', '-', '&', '~&', '|', '~|', '^', '~^', '^~']);

const bool = (b: boolean): bigint => (b ? 1n : 0n);

/** `(1 << width) - 1`. */
export function maskOf(width: number | bigint): bigint {
  return (1n << BigInt(width)) - 1n;
}

/** `a op b`; `width` is the operands' common width, needed only by `~^`. */
export function applyBinary(op: BinaryOperator, a: bigint, b: bigint, width = 64): bigint {
  switch (op) {
    case '**':
      if (b > MAX_SHIFT) throw new ConstantError('exponent too large');
      if (b < 0n) throw new ConstantError('negative exponent');
      return a ** b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0n) throw new ConstantError('division by zero');
      return op === '/' ? a / b : a % b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '<<':
      if (b > MAX_SHIFT) throw new ConstantError('shift too large');
      return b < 0n ? a >> -b : a << b;
    case '>>':
      return b < 0n ? a << -b : a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '~^':
    case '^~':
      return ~(a ^ b) & maskOf(width);
    case '&&':
      return bool(a !== 0n && b !== 0n);
    case '||':
      return bool(a !== 0n || b !== 0n);
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '<':
      return bool(a < b);
    case '>':
      return bool(a > b);
    case '<=':
      return bool(a <= b);
    case '>=':
      return bool(a >= b);
  }
}

export type UnaryOperator = '+' | '-' | '~' | '!' | '&' | '~&' | '|' | '~|' | '^' | '~^' | '^~';

/** `op a` over `width` bits (bitwise not and the reduction operators need one). */
export function applyUnary(op: UnaryOperator, a: bigint, width: number): bigint {
  const mask = maskOf(width);
  switch (op) {
    case '+':
      return a;
    case '-':
      return -a;
    case '!':
      return bool(a === 0n);
    case '~':
      return ~a & mask;
    case '&':
      return bool((a & mask) === mask);
    case '~&':
      return bool((a & mask) !== mask);
    case '|':
      return bool(a !== 0n);
    case '~|':
      return bool(a === 0n);
    default: {
      // ^ ~^ ^~ : parity
      let bits = 0;
      for (let x = a & mask; x !== 0n; x >>= 1n) bits += Number(x & 1n);
      const odd = bits % 2 === 1;
      return bool(op === '^' ? odd : !odd);
    }
  }
}
