/**
 * A small arithmetic expression language shared by derived quantities in hardware specs
 * (`HCLK / (16 * BAUD.DIV + BAUD.FRAC)`), driver contract steps (`$byte`, `$div << 4`) and configs.
 * Parsing never throws: errors carry the column of the offending character.
 *
 * Not the register-map formats' constant expressions (./constant): quantities are physical, so `/`
 * is exact rational division and literals include decimals and exponents (docs/architecture.md).
 */
import { digitsValue } from './constant/literals.ts';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly start: number }
  | { readonly kind: 'name'; readonly name: string; readonly start: number }
  | { readonly kind: 'param'; readonly name: string; readonly start: number }
  | { readonly kind: 'unary'; readonly op: '-' | '~'; readonly operand: Expr; readonly start: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly start: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';

export interface ExprError {
  readonly message: string;
  /** 0-based character offset in the expression text. */
  readonly offset: number;
}

const PRECEDENCE: Readonly<Record<BinaryOp, number>> = { '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

type Token =
  | { kind: 'num'; value: number; start: number }
  | { kind: 'id'; text: string; start: number }
  | { kind: 'param'; text: string; start: number }
  | { kind: 'op'; text: string; start: number }
  | { kind: 'end'; start: number };

function tokenize(text: string): { tokens: Token[]; error?: ExprError } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(0x[0-9a-fA-F_]+|0b[01_]+|\d[\d_]*(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (number) {
      const raw = number[0].replace(/_/g, '');
      // Integer literals read as the register-map formats read them; decimals stay JavaScript numbers.
      const radix = raw.startsWith('0x') ? 16 : raw.startsWith('0b') ? 2 : undefined;
      const value = radix ? Number(digitsValue(raw.slice(2), radix)) : Number(raw);
      tokens.push({ kind: 'num', value, start: i });
      i += number[0].length;
      continue;
    }
    const ident = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (ident) {
      const word = ident[0];
      if (word.startsWith('$')) tokens.push({ kind: 'param', text: word.slice(1), start: i });
      else tokens.push({ kind: 'id', text: word, start: i });
      i += word.length;
      continue;
    }
    const op = /^(<<|>>|[-+*/%&|^~()])/.exec(text.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: op[0], start: i });
      i += op[0].length;
      continue;
    }
    return { tokens, error: { message: `unexpected character ${JSON.stringify(c)}`, offset: i } };
  }
  tokens.push({ kind: 'end', start: text.length });
  return { tokens };
}

export function parseExpr(text: string): { expr?: Expr; error?: ExprError } {
  const { tokens, error } = tokenize(text);
  if (error) return { error };
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const fail = (message: string, offset: number): never => {
    throw Object.assign(new Error(message), { exprOffset: offset });
  };
  const primary = (): Expr => {
    const t = peek();
    pos++;
    if (t.kind === 'num') return { kind: 'number', value: t.value, start: t.start };
    if (t.kind === 'id') return { kind: 'name', name: t.text, start: t.start };
    if (t.kind === 'param') return { kind: 'param', name: t.text, start: t.start };
    if (t.kind === 'op' && (t.text === '-' || t.text === '~')) return { kind: 'unary', op: t.text, operand: primary(), start: t.start };
    if (t.kind === 'op' && t.text === '(') {
      const inner = binary(0);
      const close = peek();
      if (close.kind !== 'op' || close.text !== ')') fail('expected ")"', close.start);
      pos++;
      return inner;
    }
    return fail(t.kind === 'end' ? 'unexpected end of expression' : `unexpected ${JSON.stringify((t as { text?: string }).text ?? '')}`, t.start);
  };
  const binary = (minPrecedence: number): Expr => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t.kind !== 'op' || !(t.text in PRECEDENCE)) break;
      const op = t.text as BinaryOp;
      const precedence = PRECEDENCE[op];
      if (precedence <= minPrecedence) break;
      pos++;
      const right = binary(precedence);
      left = { kind: 'binary', op, left, right, start: left.start };
    }
    return left;
  };
  try {
    const expr = binary(0);
    const rest = peek();
    if (rest.kind !== 'end') fail('unexpected text after the expression', rest.start);
    return { expr };
  } catch (e) {
    return { error: { message: (e as Error).message, offset: (e as { exprOffset?: number }).exprOffset ?? 0 } };
  }
}

/** Every name (clocks, `REG.FIELD`) an expression refers to, in order of first use. */
export function namesIn(expr: Expr, out: string[] = []): string[] {
  switch (expr.kind) {
    case 'name':
      if (!out.includes(expr.name)) out.push(expr.name);
      break;
    case 'unary':
      namesIn(expr.operand, out);
      break;
    case 'binary':
      namesIn(expr.left, out);
      namesIn(expr.right, out);
      break;
    default:
      break;
  }
  return out;
}

/** Evaluates with exact rational semantics for `/` (quantities are physical, not integer C division). */
export function evaluate(expr: Expr, lookup: (name: string, kind: 'name' | 'param') => number | undefined): number {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'name':
    case 'param': {
      const v = lookup(expr.name, expr.kind);
      if (v === undefined) throw new Error(`unknown ${expr.kind === 'param' ? 'parameter $' : 'name '}${expr.name}`);
      return v;
    }
    case 'unary': {
      const v = evaluate(expr.operand, lookup);
      return expr.op === '-' ? -v : ~v >>> 0;
    }
    case 'binary': {
      const a = evaluate(expr.left, lookup);
      const b = evaluate(expr.right, lookup);
      switch (expr.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '%':
          return a % b;
        case '<<':
          return a * 2 ** b;
        case '>>':
          return Math.floor(a / 2 ** b);
        case '&':
          return Number(BigInt(Math.trunc(a)) & BigInt(Math.trunc(b)));
        case '|':
          return Number(BigInt(Math.trunc(a)) | BigInt(Math.trunc(b)));
        case '^':
          return Number(BigInt(Math.trunc(a)) ^ BigInt(Math.trunc(b)));
      }
    }
  }
}
