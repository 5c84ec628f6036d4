/**
 * A small integer expression evaluator for reggen parameter references: bit ranges such as
 * `NumAdcFilter-1:0` or `NEndpoints+15:16`, multireg counts and window sizes.
 *
 * Grammar (C precedence): expr := shift; shift := sum (('<<'|'>>') sum)*; sum := product (('+'|'-') product)*;
 * product := unary (('*'|'/'|'%') unary)*; unary := '-' unary | '(' expr ')' | number | name.
 * Numbers: decimal, 0x/0o/0b, and SystemVerilog literals (`1'b1`, `8'hFF`, `'0`) because parameter
 * defaults in reggen are written in SystemVerilog (`AES192Enable: 1'b1`).
 */
export type ExpressionResult = { readonly value: number } | { readonly error: string };

/** Looks a name up; returns undefined if unknown, or an error text if the name cannot be evaluated. */
export type NameResolver = (name: string) => number | { readonly error: string } | undefined;

interface Token {
  readonly kind: 'number' | 'name' | 'op';
  readonly text: string;
  readonly value?: number;
}

const SV_LITERAL = /^(\d*)'([sS]?)([bBoOdDhH])([0-9a-fA-F_xXzZ]+)/;
const SV_FILL = /^'([01])/;

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let rest = text;
  while (rest.length > 0) {
    const space = /^\s+/.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    const sv = SV_LITERAL.exec(rest);
    if (sv) {
      const radix = { b: 2, o: 8, d: 10, h: 16 }[(sv[3] ?? 'd').toLowerCase() as 'b' | 'o' | 'd' | 'h'];
      const digits = (sv[4] ?? '').replace(/_/g, '');
      if (/[xXzZ]/.test(digits)) return `${JSON.stringify(sv[0])} has x or z bits, which have no integer value`;
      tokens.push({ kind: 'number', text: sv[0], value: parseInt(digits, radix) });
      rest = rest.slice(sv[0].length);
      continue;
    }
    const fill = SV_FILL.exec(rest);
    if (fill) {
      // '0 is zero; '1 is all ones of a context-dependent width, which we cannot know.
      if (fill[1] === '1') return `"'1" has no width here, so its value is unknown`;
      tokens.push({ kind: 'number', text: fill[0], value: 0 });
      rest = rest.slice(fill[0].length);
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)/.exec(rest);
    if (num) {
      const t = (num[1] ?? '').replace(/_/g, '');
      const value = /^0[xob]/i.test(t) ? parseInt(t.slice(2), { x: 16, o: 8, b: 2 }[(t[1] ?? 'x').toLowerCase() as 'x' | 'o' | 'b']) : parseInt(t, 10);
      tokens.push({ kind: 'number', text: num[0], value });
      rest = rest.slice(num[0].length);
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      rest = rest.slice(name[0].length);
      continue;
    }
    const op = /^(<<|>>|[-+*/%()])/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[0] });
      rest = rest.slice(op[0].length);
      continue;
    }
    return `unexpected ${JSON.stringify(rest[0])} in ${JSON.stringify(text)}`;
  }
  return tokens;
}

class Evaluation {
  private at = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly resolve: NameResolver,
    private readonly text: string,
  ) {}

  run(): number {
    if (this.tokens.length === 0) throw new Error('the expression is empty');
    const value = this.binary(0);
    const extra = this.tokens[this.at];
    if (extra) throw new Error(`unexpected ${JSON.stringify(extra.text)} in ${JSON.stringify(this.text)}`);
    return value;
  }

  private static readonly levels: readonly (readonly string[])[] = [
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): number {
    const ops = Evaluation.levels[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.tokens[this.at];
      if (token?.kind !== 'op' || !ops.includes(token.text)) return left;
      this.at++;
      const right = this.binary(level + 1);
      left = apply(token.text, left, right);
    }
  }

  private unary(): number {
    const token = this.tokens[this.at++];
    if (!token) throw new Error(`${JSON.stringify(this.text)} ends too early`);
    if (token.kind === 'number') return token.value ?? 0;
    if (token.kind === 'name') {
      const value = this.resolve(token.text);
      if (value === undefined) throw new Error(`unknown parameter ${JSON.stringify(token.text)}`);
      if (typeof value === 'object') throw new Error(value.error);
      return value;
    }
    if (token.text === '-') return -this.unary();
    if (token.text === '+') return this.unary();
    if (token.text === '(') {
      const value = this.binary(0);
      const close = this.tokens[this.at++];
      if (close?.text !== ')') throw new Error(`missing ')' in ${JSON.stringify(this.text)}`);
      return value;
    }
    throw new Error(`unexpected ${JSON.stringify(token.text)} in ${JSON.stringify(this.text)}`);
  }
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0) throw new Error('division by zero');
      return op === '/' ? Math.trunc(a / b) : a % b;
    case '<<':
      return a * 2 ** b;
    default:
      return Math.floor(a / 2 ** b);
  }
}

export function evaluateExpression(text: string, resolve: NameResolver): ExpressionResult {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { error: tokens };
  try {
    const value = new Evaluation(tokens, resolve, text).run();
    if (!Number.isSafeInteger(value)) return { error: `${JSON.stringify(text)} is too large` };
    return { value };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Resolves names against parameter defaults, which may themselves be expressions over other
 * parameters; a cycle (A = B + 1, B = A) is an error rather than a stack overflow.
 */
export function parameterResolver(defaults: ReadonlyMap<string, string | number>): NameResolver {
  const cache = new Map<string, number | { error: string }>();
  const active = new Set<string>();
  const resolve: NameResolver = (name) => {
    const cached = cache.get(name);
    if (cached !== undefined) return cached;
    const raw = defaults.get(name);
    if (raw === undefined) return undefined;
    if (active.has(name)) return { error: `parameter ${name} is defined in terms of itself` };
    active.add(name);
    const result = typeof raw === 'number' ? { value: raw } : evaluateExpression(raw, resolve);
    active.delete(name);
    const value = 'value' in result ? result.value : { error: `parameter ${name} = ${JSON.stringify(raw)}: ${result.error}` };
    cache.set(name, value);
    return value;
  };
  return resolve;
}
