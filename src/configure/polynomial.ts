import type { Expr } from '../expr/index.ts';

/**
 * A quantity expression as a ratio of two polynomials over integer variables, so that
 * `quantity ≈ target` becomes `num ≈ target · den`: linear and product constraints a finite-domain
 * solver handles exactly, with no floating point.
 */
export interface Monomial {
  readonly coef: number;
  /** Variable names, sorted; empty for a constant. */
  readonly vars: readonly string[];
}
export type Polynomial = readonly Monomial[];
export interface Rational {
  readonly num: Polynomial;
  readonly den: Polynomial;
}

const key = (vars: readonly string[]): string => vars.join('*');

function normalise(terms: readonly Monomial[]): Polynomial {
  const map = new Map<string, Monomial>();
  for (const t of terms) {
    const k = key(t.vars);
    const prev = map.get(k);
    map.set(k, { coef: (prev?.coef ?? 0) + t.coef, vars: t.vars });
  }
  return [...map.values()].filter((m) => m.coef !== 0).sort((a, b) => (key(a.vars) < key(b.vars) ? -1 : 1));
}

function multiply(a: Polynomial, b: Polynomial): Polynomial {
  const out: Monomial[] = [];
  for (const x of a) for (const y of b) out.push({ coef: x.coef * y.coef, vars: [...x.vars, ...y.vars].sort() });
  return normalise(out);
}

function add(a: Polynomial, b: Polynomial, sign = 1): Polynomial {
  return normalise([...a, ...b.map((m) => ({ coef: sign * m.coef, vars: m.vars }))]);
}

const constant = (value: number): Polynomial => [{ coef: value, vars: [] }];

export class UnsupportedExpression extends Error {}

/**
 * Converts an expression to num/den. `resolve` turns a name into a constant (clocks fixed by the
 * caller) or leaves it a variable. Only + - * / and integer literals are supported: bit operators
 * make a quantity non-polynomial.
 */
export function toRational(expr: Expr, isVariable: (name: string) => boolean, constantOf: (name: string) => number | undefined): Rational {
  switch (expr.kind) {
    case 'number':
      if (!Number.isInteger(expr.value)) throw new UnsupportedExpression(`the literal ${expr.value} is not an integer`);
      return { num: constant(expr.value), den: constant(1) };
    case 'name': {
      if (isVariable(expr.name)) return { num: [{ coef: 1, vars: [expr.name] }], den: constant(1) };
      const value = constantOf(expr.name);
      if (value === undefined) throw new UnsupportedExpression(`unknown name ${expr.name}`);
      return { num: constant(value), den: constant(1) };
    }
    case 'param':
      throw new UnsupportedExpression(`parameter $${expr.name} cannot appear in a quantity`);
    case 'unary': {
      if (expr.op !== '-') throw new UnsupportedExpression('bit operators are not supported in quantities');
      const inner = toRational(expr.operand, isVariable, constantOf);
      return { num: multiply(inner.num, constant(-1)), den: inner.den };
    }
    case 'binary': {
      const a = toRational(expr.left, isVariable, constantOf);
      const b = toRational(expr.right, isVariable, constantOf);
      switch (expr.op) {
        case '+':
        case '-':
          return { num: add(multiply(a.num, b.den), multiply(b.num, a.den), expr.op === '+' ? 1 : -1), den: multiply(a.den, b.den) };
        case '*':
          return { num: multiply(a.num, b.num), den: multiply(a.den, b.den) };
        case '/':
          return { num: multiply(a.num, b.den), den: multiply(a.den, b.num) };
        default:
          throw new UnsupportedExpression(`operator ${expr.op} is not supported in quantities`);
      }
    }
  }
}
