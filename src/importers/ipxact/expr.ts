/**
 * IP-XACT values are SystemVerilog constant expressions from 1685-2014 on (`'h1F`, `32'hFF00_0000`,
 * `(('hFFFE) >> 1) & {15{1'b1}}`, `4 * (2 ** 10)`, parameter names). This evaluates the integer
 * subset register maps use, in BigInt so 32-bit masks stay exact. It never throws: errors are returned.
 */

export interface ExprValue {
  readonly value: bigint;
  /** Bit width when known (sized literals, replications, concatenations). */
  readonly width?: number;
}

export type ExprResult = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly error: string };

type Token = { kind: 'num'; value: bigint; width?: number } | { kind: 'id'; name: string } | { kind: 'op'; op: string };

const OPERATORS = [
  '**',
  '<<',
  '>>',
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '*',
  '/',
  '%',
  '+',
  '-',
  '&',
  '|',
  '^',
  '~',
  '!',
  '(',
  ')',
  '{',
  '}',
  ',',
  '<',
  '>',
  '?',
  ':',
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // Based literal with optional size: 32'hFF, 'h0, 1'b1, 'd10 (underscores allowed).
    const based = /^(\d+)?\s*'([sS]?)([hHbBdDoO])\s*([0-9a-fA-F_xXzZ?]+)/.exec(text.slice(i));
    if (based) {
      const radix = { h: 16, b: 2, d: 10, o: 8 }[(based[3] as string).toLowerCase() as 'h' | 'b' | 'd' | 'o'];
      const digits = (based[4] as string).replace(/_/g, '');
      if (/[xXzZ?]/.test(digits)) throw new Error(`x/z bits are not a constant: ${based[0]}`);
      tokens.push({ kind: 'num', value: parseRadix(digits, radix), ...(based[1] ? { width: parseInt(based[1], 10) } : {}) });
      i += based[0].length;
      continue;
    }
    const hex = /^0[xX]([0-9a-fA-F_]+)/.exec(text.slice(i));
    if (hex) {
      tokens.push({ kind: 'num', value: parseRadix((hex[1] as string).replace(/_/g, ''), 16) });
      i += hex[0].length;
      continue;
    }
    const dec = /^\d[\d_]*/.exec(text.slice(i));
    if (dec) {
      tokens.push({ kind: 'num', value: BigInt(dec[0].replace(/_/g, '')) });
      i += dec[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_$.]*/.exec(text.slice(i));
    if (id) {
      tokens.push({ kind: 'id', name: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new Error(`unexpected ${JSON.stringify(c)}`);
    tokens.push({ kind: 'op', op });
    i += op.length;
  }
  return tokens;
}

function parseRadix(digits: string, radix: number): bigint {
  if (radix === 10) return BigInt(digits);
  const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : '0o';
  return BigInt(prefix + digits);
}

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly resolve: (name: string) => bigint,
  ) {}

  parse(): ExprValue {
    const v = this.ternary();
    if (this.pos < this.tokens.length) throw new Error('unexpected text after the expression');
    return v;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' ? t.op : undefined;
  }

  private expect(op: string): void {
    if (this.peekOp() !== op) throw new Error(`expected "${op}"`);
    this.pos++;
  }

  private ternary(): ExprValue {
    const cond = this.binary(0);
    if (this.peekOp() !== '?') return cond;
    this.pos++;
    const a = this.ternary();
    this.expect(':');
    const b = this.ternary();
    return cond.value !== 0n ? a : b;
  }

  private binary(level: number): ExprValue {
    if (level >= BINARY_LEVELS.length) return this.power();
    let left = this.binary(level + 1);
    for (let op = this.peekOp(); op !== undefined && (BINARY_LEVELS[level] as readonly string[]).includes(op); op = this.peekOp()) {
      this.pos++;
      const right = this.binary(level + 1);
      left = { value: apply(op, left.value, right.value) };
    }
    return left;
  }

  private power(): ExprValue {
    const base = this.unary();
    if (this.peekOp() !== '**') return base;
    this.pos++;
    const exponent = this.power();
    if (exponent.value > 4096n) throw new Error('exponent too large');
    return { value: base.value ** exponent.value };
  }

  private unary(): ExprValue {
    const op = this.peekOp();
    if (op === '-' || op === '+' || op === '~' || op === '!') {
      this.pos++;
      const v = this.unary();
      if (op === '-') return { value: -v.value };
      if (op === '!') return { value: v.value === 0n ? 1n : 0n };
      if (op === '~') {
        // Without a width, ~ works on 64 bits (wide enough for any register value we keep).
        const width = BigInt(v.width ?? 64);
        return { value: ~v.value & ((1n << width) - 1n), ...(v.width !== undefined ? { width: v.width } : {}) };
      }
      return v;
    }
    return this.primary();
  }

  private primary(): ExprValue {
    const t = this.tokens[this.pos++];
    if (!t) throw new Error('the expression ends too early');
    if (t.kind === 'num') return { value: t.value, ...(t.width !== undefined ? { width: t.width } : {}) };
    if (t.kind === 'id') return { value: this.resolve(t.name) };
    if (t.op === '(') {
      const v = this.ternary();
      this.expect(')');
      return { value: v.value };
    }
    if (t.op === '{') return this.concatenation();
    throw new Error(`unexpected "${t.op}"`);
  }

  /** `{N{expr}}` replication or `{a, b}` concatenation; parts need known widths. */
  private concatenation(): ExprValue {
    const first = this.ternary();
    if (this.peekOp() === '{') {
      this.pos++;
      const part = this.ternary();
      this.expect('}');
      this.expect('}');
      if (part.width === undefined) throw new Error("a replicated value needs a width (e.g. 1'b1)");
      if (first.value < 0n || first.value > 4096n) throw new Error('replication count out of range');
      let value = 0n;
      for (let i = 0n; i < first.value; i++) value = (value << BigInt(part.width)) | part.value;
      return { value, width: Number(first.value) * part.width };
    }
    const parts = [first];
    while (this.peekOp() === ',') {
      this.pos++;
      parts.push(this.ternary());
    }
    this.expect('}');
    let value = 0n;
    let width = 0;
    for (const p of parts) {
      if (p.width === undefined) throw new Error('concatenated values need widths');
      value = (value << BigInt(p.width)) | (p.value & ((1n << BigInt(p.width)) - 1n));
      width += p.width;
    }
    return { value, width };
  }
}

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '*':
      return a * b;
    case '/':
      if (b === 0n) throw new Error('division by zero');
      return a / b;
    case '%':
      if (b === 0n) throw new Error('division by zero');
      return a % b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '<<':
      if (b > 4096n) throw new Error('shift too large');
      return a << b;
    case '>>':
      return a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&&':
      return a !== 0n && b !== 0n ? 1n : 0n;
    case '||':
      return a !== 0n || b !== 0n ? 1n : 0n;
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** Evaluates `text`; identifiers are looked up with `resolve`, which throws for unknown names. */
export function evaluate(text: string, resolve: (name: string) => bigint): ExprResult {
  try {
    const value = new Parser(tokenize(text), resolve).parse().value;
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
