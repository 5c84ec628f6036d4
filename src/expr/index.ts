export { parseExpr, evaluate, namesIn, type Expr, type ExprError, type BinaryOp } from './parse.ts';
