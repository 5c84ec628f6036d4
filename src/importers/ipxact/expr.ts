/**
 * IP-XACT values are SystemVerilog constant expressions from 1685-2014 on (`'h1F`, `32'hFF00_0000`,
 * `(('hFFFE) >> 1) & {15{1'b1}}`, `4 * (2 ** 10)`, parameter names), evaluated exactly in bigint by
 * the shared constant-expression evaluator (src/expr/constant). This is IP-XACT's grammar of it.
 */
import { type ConstantGrammar, type ConstantResolver, type ConstantResult, evaluateConstant, SYSTEMVERILOG_OPERATORS } from '../../expr/constant/index.ts';

export const IPXACT_GRAMMAR: ConstantGrammar = {
  literals: { based: { spaces: true }, prefixes: 'x' },
  name: /[A-Za-z_][A-Za-z0-9_$.]*/y,
  operators: new Set(SYSTEMVERILOG_OPERATORS),
};

/** Evaluates `text`; identifiers are looked up with `resolve`, which throws for unknown names. */
export function evaluate(text: string, resolve: ConstantResolver): ConstantResult {
  return evaluateConstant(text, IPXACT_GRAMMAR, resolve);
}
