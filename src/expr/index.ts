export { parseExpr, evaluate, namesIn, formatExpr, type Expr, type ExprError, type BinaryOp } from './parse.ts';
