/**
 * reggen parameter references: bit ranges such as `NumAdcFilter-1:0` or `NEndpoints+15:16`,
 * multireg counts and window sizes, evaluated by the shared constant-expression evaluator
 * (src/expr/constant). This is reggen's grammar of it: the arithmetic operators reggen's Python
 * evaluates, decimal and 0x/0o/0b numbers, and SystemVerilog literals (`1'b1`, `8'hFF`, `'0`)
 * because parameter defaults in reggen are written in SystemVerilog (`AES192Enable: 1'b1`).
 */
import { type ConstantGrammar, type ConstantResolver, evaluateConstant, parameterResolver as constantParameters } from '../../expr/constant/index.ts';

export type ExpressionResult = { readonly value: number } | { readonly error: string };

/** Looks a name up; throws when it is unknown or cannot be evaluated. */
export type NameResolver = ConstantResolver;

export const REGGEN_GRAMMAR: ConstantGrammar = {
  literals: { based: { spaces: false }, fill: true, prefixes: 'xob' },
  name: /[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/y,
  operators: new Set(['<<', '>>', '+', '-', '*', '/', '%', '(', ')']),
};

/** Evaluates `text` to a safe integer (the IR's offsets, counts and bit numbers are numbers). */
export function evaluateExpression(text: string, resolve: NameResolver): ExpressionResult {
  const result = evaluateConstant(text, REGGEN_GRAMMAR, resolve);
  if (!result.ok) return { error: `${result.error} (at column ${result.offset + 1} of ${JSON.stringify(text)})` };
  const value = Number(result.value);
  if (!Number.isSafeInteger(value)) return { error: `${JSON.stringify(text)} is too large` };
  return { value };
}

/** Resolves names against parameter defaults, which may themselves be expressions over other parameters. */
export function parameterResolver(defaults: ReadonlyMap<string, string | number>): NameResolver {
  return constantParameters((name) => {
    const raw = defaults.get(name);
    return typeof raw === 'number' ? (Number.isSafeInteger(raw) ? BigInt(raw) : String(raw)) : raw;
  }, REGGEN_GRAMMAR);
}
