import { BINARY_LEVELS, UNARY_OPERATORS } from '../../expr/constant/index.ts';
import type { Expr, Ident, RefSegment } from './ast.ts';
import { TokenCursor } from './parser-cursor.ts';

/**
 * Constant expressions (clause 6.5: SystemVerilog operators and precedence, casts, concatenation,
 * replication, struct literals) and references (`a.b[2]->prop`). Evaluated in values.ts. The
 * operators and their precedence are SystemVerilog's, from the shared src/expr/constant.
 */

export class ExpressionParser extends TokenCursor {
  expr(): Expr {
    const cond = this.binary(0);
    if (!this.isPunct('?')) return cond;
    this.next();
    const then = this.expr();
    this.expect(':', "':' of the conditional operator");
    const otherwise = this.expr();
    return { kind: 'ternary', cond, then, else: otherwise, start: cond.start, end: otherwise.end };
  }

  protected binary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    const ops: readonly string[] = BINARY_LEVELS[level]!;
    let left = this.binary(level + 1);
    while (this.tok.kind === 'punct' && ops.includes(this.tok.text)) {
      const op = this.next().text;
      // `**` is right-associative.
      const right = op === '**' ? this.binary(level) : this.binary(level + 1);
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  protected unary(): Expr {
    const t = this.tok;
    if (t.kind === 'punct' && UNARY_OPERATORS.has(t.text)) {
      this.next();
      const operand = this.unary();
      return { kind: 'unary', op: t.text, operand, start: t.start, end: operand.end };
    }
    return this.postfixCast(this.primary());
  }

  /** `x'(expr)` width or type casts. */
  protected postfixCast(e: Expr): Expr {
    while (this.isPunct("'") && this.isPunct('(', this.peek())) {
      this.next();
      this.next();
      const operand = this.expr();
      const end = this.expect(')').end;
      let to: 'longint' | 'bit' | 'boolean' | Expr = e;
      if (e.kind === 'ref' && e.segments.length === 1 && !e.prop) {
        const n = e.segments[0]!.name.name;
        if (n === 'longint' || n === 'bit' || n === 'boolean') to = n;
      }
      e = { kind: 'cast', to, operand, start: e.start, end };
    }
    return e;
  }

  protected primary(): Expr {
    const t = this.tok;
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: t.value ?? 0n, ...(t.width !== undefined ? { width: t.width } : {}), start: t.start, end: t.end };
    }
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.str ?? '', start: t.start, end: t.end };
    }
    if (this.isPunct('(')) {
      this.next();
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (this.isPunct('{')) return this.concat();
    if (this.isPunct("'{")) {
      const start = this.next().start;
      const items: Expr[] = [];
      if (!this.isPunct('}')) {
        for (;;) {
          items.push(this.expr());
          if (!this.isPunct(',')) break;
          this.next();
        }
      }
      const end = this.expect('}').end;
      return { kind: 'arrayLit', items, start, end };
    }
    if (t.kind === 'id') {
      if (!t.escaped && (t.text === 'true' || t.text === 'false')) {
        this.next();
        return { kind: 'bool', value: t.text === 'true', start: t.start, end: t.end };
      }
      if (this.isPunct('::', this.peek())) {
        const enumName = this.ident('an enum name');
        this.next();
        const member = this.ident('an enum member');
        return { kind: 'enumRef', enumName, member, start: t.start, end: member.end };
      }
      if (this.isPunct("'{", this.peek())) return this.structLiteral();
      const segments = this.refSegments();
      let prop: Ident | undefined;
      if (this.isPunct('->')) {
        this.next();
        prop = this.ident('a property name');
      }
      return { kind: 'ref', segments, ...(prop ? { prop } : {}), start: t.start, end: this.tokens[this.i - 1]!.end };
    }
    this.fail(`expected an expression, found ${this.describe(t)}`);
  }

  protected concat(): Expr {
    const start = this.expect('{').start;
    const first = this.expr();
    if (this.isPunct('{')) {
      // Replication: {count{a, b}}
      this.next();
      const items: Expr[] = [];
      for (;;) {
        items.push(this.expr());
        if (!this.isPunct(',')) break;
        this.next();
      }
      this.expect('}');
      const end = this.expect('}').end;
      return { kind: 'replicate', count: first, items, start, end };
    }
    const items: Expr[] = [first];
    while (this.isPunct(',')) {
      this.next();
      items.push(this.expr());
    }
    const end = this.expect('}').end;
    return { kind: 'concat', items, start, end };
  }

  protected structLiteral(): Expr {
    const typeName = this.ident('a struct type');
    this.expect("'{");
    const members: { name: Ident; value: Expr }[] = [];
    if (!this.isPunct('}')) {
      for (;;) {
        const name = this.ident('a struct member');
        this.expect(':');
        members.push({ name, value: this.expr() });
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    const end = this.expect('}').end;
    return { kind: 'structLit', typeName, members, start: typeName.start, end };
  }

  protected refSegments(): RefSegment[] {
    const segments: RefSegment[] = [];
    for (;;) {
      const name = this.ident('an instance name');
      const indices: Expr[] = [];
      while (this.isPunct('[')) {
        this.next();
        indices.push(this.expr());
        this.expect(']');
      }
      segments.push({ name, indices });
      if (!this.isPunct('.')) return segments;
      this.next();
    }
  }
}
