/**
 * The one constant-expression evaluator of the register-map formats: SystemVerilog operator
 * precedence over bigint, names resolved by the caller, literals read by the format's grammar
 * (literals.ts). IP-XACT and reggen hjson evaluate their text with it; SystemRDL parses
 * expressions inside its own grammar and shares the literals and the operators (integer-ops.ts).
 * Never throws: an error carries the offset of the token it was found at.
 */
import { applyBinary, applyUnary, BINARY_LEVELS, type BinaryOperator, ConstantError, MAX_SHIFT, UNARY_OPERATORS, type UnaryOperator } from './integer-ops.ts';
import { type LiteralGrammar, readLiteral } from './literals.ts';

export interface ConstantGrammar {
  readonly literals: LiteralGrammar;
  /** A sticky pattern for names (parameters). */
  readonly name: RegExp;
  /** The operators the format has; anything else is a syntax error. */
  readonly operators: ReadonlySet<string>;
}

export type ConstantResult =
  | { readonly ok: true; readonly value: bigint; readonly width?: number }
  | { readonly ok: false; readonly error: string /** 0-based offset in the text. */; readonly offset: number };

/** Looks a name up; throws (any Error) when it cannot, and the message becomes the result's error. */
export type ConstantResolver = (name: string) => bigint;

/** Every operator token of IEEE 1800 constant expressions this evaluator knows, longest first. */
export const SYSTEMVERILOG_OPERATORS: readonly string[] = [...new Set([...BINARY_LEVELS.flat(), ...UNARY_OPERATORS, '(', ')', '{', '}', ',', '?', ':'])].sort(
  (x, y) => y.length - x.length,
);

type Token = { kind: 'num'; value: bigint; width?: number; at: number } | { kind: 'id'; name: string; at: number } | { kind: 'op'; op: string; at: number };

class LocatedError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** A grammar's operator tokens, longest first, computed once per grammar. */
const tokensOfGrammar = new WeakMap<ConstantGrammar, readonly string[]>();
function operatorTokens(grammar: ConstantGrammar): readonly string[] {
  let tokens = tokensOfGrammar.get(grammar);
  if (!tokens) {
    tokens = SYSTEMVERILOG_OPERATORS.filter((o) => grammar.operators.has(o));
    tokensOfGrammar.set(grammar, tokens);
  }
  return tokens;
}

function tokenize(text: string, grammar: ConstantGrammar): Token[] {
  const tokens: Token[] = [];
  const operators = operatorTokens(grammar);
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const literal = readLiteral(text, i, grammar.literals);
    if (literal) {
      // Wrong widths are SystemVerilog warnings (the value is truncated); the rest has no value.
      if (literal.problem && literal.problem.kind !== 'too-wide' && literal.problem.kind !== 'zero-width') throw new LocatedError(literal.problem.message, i);
      tokens.push({ kind: 'num', value: literal.value, ...(literal.width ? { width: literal.width } : {}), at: i });
      i = literal.end;
      continue;
    }
    grammar.name.lastIndex = i;
    const name = grammar.name.exec(text);
    if (name) {
      tokens.push({ kind: 'id', name: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = operators.find((o) => text.startsWith(o, i));
    if (!op) throw new LocatedError(`unexpected ${JSON.stringify(c)}`, i);
    tokens.push({ kind: 'op', op, at: i });
    i += op.length;
  }
  return tokens;
}

interface Operand {
  readonly value: bigint;
  /** Bit width when known (sized literals, replications, concatenations). */
  readonly width?: number;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly resolve: ConstantResolver,
    private readonly end: number,
  ) {}

  parse(): Operand {
    if (this.tokens.length === 0) throw new LocatedError('the expression is empty', 0);
    const v = this.ternary();
    const extra = this.tokens[this.pos];
    if (extra) throw new LocatedError('unexpected text after the expression', extra.at);
    return v;
  }

  private here(): number {
    return this.tokens[this.pos]?.at ?? this.end;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' ? t.op : undefined;
  }

  private expect(op: string): void {
    if (this.peekOp() !== op) throw new LocatedError(`expected "${op}"`, this.here());
    this.pos++;
  }

  /** Runs an operator, locating what it throws at the operator. */
  private at<T>(offset: number, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ConstantError) throw new LocatedError(error.message, offset);
      throw error;
    }
  }

  private ternary(): Operand {
    const cond = this.binary(0);
    if (this.peekOp() !== '?') return cond;
    this.pos++;
    const a = this.ternary();
    this.expect(':');
    const b = this.ternary();
    return cond.value !== 0n ? a : b;
  }

  private binary(level: number): Operand {
    const ops = BINARY_LEVELS[level];
    if (!ops) return this.unary();
    let left = this.binary(level + 1);
    for (let op = this.peekOp(); op !== undefined && (ops as readonly string[]).includes(op); op = this.peekOp()) {
      const offset = this.here();
      this.pos++;
      // `**` is right-associative.
      const right = op === '**' ? this.binary(level) : this.binary(level + 1);
      const a = left;
      left = { value: this.at(offset, () => applyBinary(op as BinaryOperator, a.value, right.value, Math.max(a.width ?? 64, right.width ?? 64))) };
    }
    return left;
  }

  private unary(): Operand {
    const op = this.peekOp();
    if (op !== undefined && UNARY_OPERATORS.has(op)) {
      this.pos++;
      const v = this.unary();
      // Without a width, ~ and the reductions work on 64 bits (wide enough for any register value we keep).
      const value = applyUnary(op as UnaryOperator, v.value, v.width ?? 64);
      return op === '~' && v.width !== undefined ? { value, width: v.width } : { value };
    }
    return this.primary();
  }

  private primary(): Operand {
    const t = this.tokens[this.pos++];
    if (!t) throw new LocatedError('the expression ends too early', this.end);
    if (t.kind === 'num') return { value: t.value, ...(t.width !== undefined ? { width: t.width } : {}) };
    if (t.kind === 'id') {
      try {
        return { value: this.resolve(t.name) };
      } catch (error) {
        throw new LocatedError((error as Error).message, t.at);
      }
    }
    if (t.op === '(') {
      const v = this.ternary();
      this.expect(')');
      return { value: v.value };
    }
    if (t.op === '{') return this.concatenation(t.at);
    throw new LocatedError(`unexpected "${t.op}"`, t.at);
  }

  /** `{N{expr}}` replication or `{a, b}` concatenation; parts need known widths. */
  private concatenation(at: number): Operand {
    const first = this.ternary();
    if (this.peekOp() === '{') {
      this.pos++;
      const part = this.ternary();
      this.expect('}');
      this.expect('}');
      if (part.width === undefined) throw new LocatedError("a replicated value needs a width (e.g. 1'b1)", at);
      if (first.value < 0n || first.value > MAX_SHIFT) throw new LocatedError('replication count out of range', at);
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
      if (p.width === undefined) throw new LocatedError('concatenated values need widths', at);
      value = (value << BigInt(p.width)) | (p.value & ((1n << BigInt(p.width)) - 1n));
      width += p.width;
    }
    return { value, width };
  }
}

/** Evaluates `text` in `grammar`; names are looked up with `resolve`. */
export function evaluateConstant(text: string, grammar: ConstantGrammar, resolve: ConstantResolver): ConstantResult {
  try {
    const { value, width } = new Parser(tokenize(text, grammar), resolve, text.length).parse();
    return { ok: true, value, ...(width !== undefined ? { width } : {}) };
  } catch (error) {
    if (error instanceof LocatedError) return { ok: false, error: error.message, offset: error.offset };
    throw error;
  }
}

/**
 * Resolves parameters whose values are themselves expressions over other parameters, each
 * evaluated once; a cycle (A = B + 1, B = A) is an error rather than a stack overflow.
 * `raw` gives a parameter's text or value, undefined for an unknown name.
 */
export function parameterResolver(raw: (name: string) => string | bigint | undefined, grammar: ConstantGrammar): ConstantResolver {
  const cache = new Map<string, bigint | Error>();
  const active = new Set<string>();
  const resolve: ConstantResolver = (name) => {
    let known = cache.get(name);
    if (known === undefined) {
      const definition = raw(name);
      if (definition === undefined) throw new Error(`unknown parameter ${name}`);
      if (active.has(name)) throw new Error(`parameter ${name} is defined in terms of itself`);
      active.add(name);
      try {
        if (typeof definition === 'bigint') known = definition;
        else {
          const result = evaluateConstant(definition, grammar, resolve);
          known = result.ok ? result.value : new Error(`parameter ${name} = ${JSON.stringify(definition)}: ${result.error}`);
        }
      } finally {
        active.delete(name);
      }
      cache.set(name, known);
    }
    if (known instanceof Error) throw known;
    return known;
  };
  return resolve;
}
