export { type ConstantGrammar, type ConstantResolver, type ConstantResult, evaluateConstant, parameterResolver, SYSTEMVERILOG_OPERATORS } from './evaluate.ts';
export {
  applyBinary,
  applyUnary,
  BINARY_LEVELS,
  type BinaryOperator,
  ConstantError,
  MAX_SHIFT,
  maskOf,
  UNARY_OPERATORS,
  type UnaryOperator,
} from './integer-ops.ts';
export { digitsValue, type Literal, type LiteralGrammar, type LiteralProblem, readBasedLiteral, readCLiteral, readLiteral } from './literals.ts';
