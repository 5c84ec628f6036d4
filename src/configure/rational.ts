import type { Expr } from '../expr/index.ts';

/**
 * A quantity expression as num/den of integer-valued expressions, keeping its factored shape:
 * `HCLK / ((PSC + 1) * (ARR + 1))` keeps the divisor as one product of two sums, which the solver
 * propagates tightly (fix PSC and ARR's bounds follow), where an expanded polynomial
 * `PSC·ARR + PSC + ARR + 1` would propagate poorly through its sum.
 */
export type Factor =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'product'; readonly factors: readonly Linear[] }
  /** 2^name: a binary prescaler (`CLK / (1 << PRESCALER)`), solved through a table of the powers. */
  | { readonly kind: 'pow2'; readonly name: string };

/** Σ coef·factor + constant. */
export interface Linear {
  readonly terms: readonly { readonly coef: number; readonly factor: Factor }[];
  readonly constant: number;
}

export interface Rational {
  readonly num: Linear;
  readonly den: Linear;
}

export class UnsupportedExpression extends Error {}

const constant = (value: number): Linear => ({ terms: [], constant: value });
const isConstant = (l: Linear): boolean => l.terms.length === 0;

function factorKey(f: Factor): string {
  return f.kind === 'var' ? f.name : f.kind === 'pow2' ? `2^${f.name}` : `(${f.factors.map(linearKey).join(')*(')})`;
}
function linearKey(l: Linear): string {
  return `${l.terms.map((t) => `${t.coef}*${factorKey(t.factor)}`).join('+')}+${l.constant}`;
}

function add(a: Linear, b: Linear, sign = 1): Linear {
  const merged = new Map<string, { coef: number; factor: Factor }>();
  for (const t of [...a.terms, ...b.terms.map((t) => ({ coef: sign * t.coef, factor: t.factor }))]) {
    const key = factorKey(t.factor);
    const prev = merged.get(key);
    merged.set(key, { coef: (prev?.coef ?? 0) + t.coef, factor: t.factor });
  }
  return { terms: [...merged.values()].filter((t) => t.coef !== 0), constant: a.constant + sign * b.constant };
}

function scale(a: Linear, by: number): Linear {
  return { terms: by === 0 ? [] : a.terms.map((t) => ({ coef: t.coef * by, factor: t.factor })), constant: a.constant * by };
}

/** The factors of a linear that is exactly one product (coef 1, no constant), for flattening. */
function asProduct(l: Linear): readonly Linear[] {
  const only = l.terms.length === 1 && l.constant === 0 && l.terms[0]?.coef === 1 ? l.terms[0].factor : undefined;
  return only?.kind === 'product' ? only.factors : [l];
}

function multiply(a: Linear, b: Linear): Linear {
  if (isConstant(a)) return scale(b, a.constant);
  if (isConstant(b)) return scale(a, b.constant);
  const factors = [...asProduct(a), ...asProduct(b)].sort((x, y) => (linearKey(x) < linearKey(y) ? -1 : 1));
  return { terms: [{ coef: 1, factor: { kind: 'product', factors } }], constant: 0 };
}

/** Converts an expression over variables (`isVariable`) and integer literals into num/den. */
export function toRational(expr: Expr, isVariable: (name: string) => boolean): Rational {
  switch (expr.kind) {
    case 'number':
      if (!Number.isInteger(expr.value)) throw new UnsupportedExpression(`the literal ${expr.value} is not an integer`);
      return { num: constant(expr.value), den: constant(1) };
    case 'name':
      if (!isVariable(expr.name)) throw new UnsupportedExpression(`unknown name ${expr.name}`);
      return { num: { terms: [{ coef: 1, factor: { kind: 'var', name: expr.name } }], constant: 0 }, den: constant(1) };
    case 'param':
      throw new UnsupportedExpression(`parameter $${expr.name} cannot appear in a quantity`);
    case 'unary': {
      if (expr.op !== '-') throw new UnsupportedExpression('bit operators are not supported in quantities');
      const inner = toRational(expr.operand, isVariable);
      return { num: scale(inner.num, -1), den: inner.den };
    }
    case 'binary': {
      const a = toRational(expr.left, isVariable);
      const b = toRational(expr.right, isVariable);
      switch (expr.op) {
        case '+':
        case '-':
          return { num: add(multiply(a.num, b.den), multiply(b.num, a.den), expr.op === '+' ? 1 : -1), den: multiply(a.den, b.den) };
        case '*':
          return { num: multiply(a.num, b.num), den: multiply(a.den, b.den) };
        case '/':
          return { num: multiply(a.num, b.den), den: multiply(a.den, b.num) };
        case '<<':
          return shiftLeft(a, expr.right);
        default:
          throw new UnsupportedExpression(`operator ${expr.op} is not supported in quantities`);
      }
    }
  }
}

/** `a << b` is a·2^b: by a constant it scales, by a field it is the field's power of two. */
function shiftLeft(a: Rational, by: Expr): Rational {
  if (by.kind === 'number' && Number.isInteger(by.value) && by.value >= 0 && by.value < 53) return { num: scale(a.num, 2 ** by.value), den: a.den };
  if (by.kind === 'name') return { num: multiply(a.num, { terms: [{ coef: 1, factor: { kind: 'pow2', name: by.name } }], constant: 0 }), den: a.den };
  throw new UnsupportedExpression('a shift in a quantity is by a constant or by one field (`1 << PRESCALER`)');
}
