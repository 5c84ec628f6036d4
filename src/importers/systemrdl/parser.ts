import type { ComponentDef, ComponentKind, Expr, Ident, InstanceDecl, Instantiation, RdlFile, Statement } from './ast.ts';
import type { Token } from './lexer.ts';
import { DefinitionParser } from './parse-definitions.ts';
import { COMPONENT_KINDS, type ParseProblem, SyntaxError_ } from './parser-cursor.ts';

/**
 * Recursive-descent parser for SystemRDL 2.0. On a syntax error it reports, skips to the next `;`
 * (or the `}` closing the current body) and goes on, so one run reports several errors.
 * Statements are here; parse-definitions.ts, parse-expressions.ts and parser-cursor.ts hold the rest.
 */

export { COMPONENT_KINDS, type ParseProblem, RESERVED } from './parser-cursor.ts';

const INTR_MODIFIERS = new Set(['posedge', 'negedge', 'bothedge', 'level', 'nonsticky']);
const MAX_ERRORS = 100;

export function parse(tokens: readonly Token[], maxDepth = 256): { file: RdlFile; problems: ParseProblem[] } {
  const p = new Parser(tokens, maxDepth);
  const statements = p.statements(true);
  return { file: { statements }, problems: p.problems };
}

class Parser extends DefinitionParser {
  /** Component bodies open at this point: the parser recurses per body, so nesting is capped. */
  private nesting = 0;

  /** Statements up to `}` (not consumed) or the end of the file. */
  statements(topLevel: boolean): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      const t = this.tok;
      if (t.kind === 'eof') {
        return out;
      }
      if (this.isPunct('}')) {
        if (!topLevel) return out;
        this.report(new SyntaxError_('rdl/syntax', "unexpected '}'", t));
        this.next();
        continue;
      }
      if (this.isPunct(';')) {
        this.next(); // stray semicolons are harmless
        continue;
      }
      const before = this.i;
      try {
        out.push(this.statement());
      } catch (e) {
        if (!(e instanceof SyntaxError_)) throw e;
        this.report(e);
        this.recover(before);
      }
    }
  }

  protected report(e: SyntaxError_): void {
    if (this.problems.length < MAX_ERRORS) this.problems.push({ code: e.code, message: e.message, start: e.at.start, end: e.at.end });
  }

  /** Skips to just after the next `;` at this nesting level, or to the `}` that closes it. */
  protected recover(before: number): void {
    if (this.i === before) this.next();
    let depth = 0;
    while (!this.atEof()) {
      if (this.isPunct('{')) depth++;
      else if (this.isPunct('}')) {
        if (depth === 0) return;
        depth--;
        if (depth === 0 && this.isPunct(';', this.peek())) {
          this.next();
          this.next();
          return;
        }
      } else if (this.isPunct(';') && depth === 0) {
        this.next();
        return;
      }
      this.next();
    }
  }

  protected statement(): Statement {
    const t = this.tok;
    const start = t.start;
    if (t.kind !== 'id' || t.escaped) {
      if (t.kind === 'id') return this.idStatement();
      this.fail(`expected a definition, instance or property assignment, found ${this.describe(t)}`);
    }
    const w = t.text;
    if ((COMPONENT_KINDS as readonly string[]).includes(w)) return this.componentStatement(undefined, start);
    if ((w === 'external' || w === 'internal') && this.peek().kind === 'id') {
      const kw = this.peek();
      this.next();
      if (!kw.escaped && (COMPONENT_KINDS as readonly string[]).includes(kw.text)) return this.componentStatement(w, start);
      return this.instantiateStatement(w, start);
    }
    if (w === 'alias') return this.instantiateStatement(undefined, start);
    if (w === 'enum') {
      const def = this.enumDef();
      return { kind: 'enum', def, start, end: def.end };
    }
    if (w === 'struct' || (w === 'abstract' && this.isWord('struct', this.peek()))) {
      const def = this.structDef();
      return { kind: 'struct', def, start, end: def.end };
    }
    if (w === 'property') {
      const def = this.propertyDef();
      return { kind: 'property', def, start, end: def.end };
    }
    if (w === 'constraint') return this.constraint();
    if (w === 'default') {
      this.next();
      return this.assignment(true, start);
    }
    return this.idStatement();
  }

  /** Statements that begin with an identifier: property assignment, instantiation or dynamic assignment. */
  protected idStatement(): Statement {
    const start = this.tok.start;
    const second = this.peek();
    if (!this.tok.escaped && INTR_MODIFIERS.has(this.tok.text) && second.kind === 'id') return this.assignment(false, start);
    if (second.kind === 'id' || this.isPunct('#', second)) return this.instantiateStatement(undefined, start);
    if (this.isPunct('.', second) || this.isPunct('[', second) || this.isPunct('->', second)) return this.dynamic(start);
    return this.assignment(false, start);
  }

  protected assignment(isDefault: boolean, start: number): Statement {
    let modifier: Ident | undefined;
    if (this.tok.kind === 'id' && !this.tok.escaped && INTR_MODIFIERS.has(this.tok.text)) {
      modifier = this.ident('an interrupt modifier');
      if (!this.isWord('intr')) this.fail(`'${modifier.name}' modifies 'intr' only: write '${modifier.name} intr;'`);
    }
    const name = this.ident('a property name');
    let value: Expr | undefined;
    if (!modifier && this.isPunct('=')) {
      this.next();
      value = this.expr();
    }
    const end = this.expect(';', "';'").end;
    return { kind: 'assign', isDefault, name, ...(modifier ? { modifier } : {}), ...(value ? { value } : {}), start, end };
  }

  protected dynamic(start: number): Statement {
    const target = this.refSegments();
    this.expect('->', "'->'");
    const name = this.ident('a property name');
    let value: Expr | undefined;
    if (this.isPunct('=')) {
      this.next();
      value = this.expr();
    }
    const end = this.expect(';', "';'").end;
    return { kind: 'dynamic', target, name, ...(value ? { value } : {}), start, end };
  }

  protected componentStatement(external: 'external' | 'internal' | undefined, start: number): Statement {
    const kw = this.next();
    const component = kw.text as ComponentKind;
    let name: Ident | undefined;
    if (this.tok.kind === 'id') name = this.declName(`a ${component} type name`);
    const params = this.isPunct('#') ? this.paramDefs() : [];
    this.expect('{', `'{' to open the ${component} body`);
    if (this.nesting >= this.maxDepth) this.fail(`components nest deeper than ${this.maxDepth} levels`, kw, 'limits/too-deep');
    this.nesting++;
    let body: Statement[];
    try {
      body = this.statements(false);
    } finally {
      this.nesting--;
    }
    const close = this.expect('}', `'}' to close the ${component} body`);
    const def: ComponentDef = { component, keyword: { start: kw.start, end: kw.end }, ...(name ? { name } : {}), params, body, start, end: close.end };
    if (this.isPunct(';')) {
      const end = this.next().end;
      // Reported without throwing: the statement is complete, so no resync is needed.
      if (!name)
        this.report(
          new SyntaxError_('rdl/anonymous-not-instantiated', `an anonymous ${component} must be instantiated: add an instance name before ';'`, def.keyword),
        );
      if (external) this.report(new SyntaxError_('rdl/syntax', `'${external}' applies to instances; this ${component} has none`, { start, end }));
      return { kind: 'component', def, start, end };
    }
    // `reg { … } external a;`: the instance type follows the body (clause 5.1.1).
    if (!external && (this.isWord('external') || this.isWord('internal'))) external = this.next().text as 'external' | 'internal';
    const inst = this.instances(external, undefined, start);
    if (params.length > 0 && !name) this.fail('an anonymous component cannot have parameters', def.keyword);
    return { kind: 'component', def, inst, start, end: inst.end };
  }

  protected instantiateStatement(external: 'external' | 'internal' | undefined, start: number): Statement {
    let aliasOf: Ident | undefined;
    if (this.isWord('alias')) {
      this.next();
      aliasOf = this.ident('the name of the register being aliased');
    }
    const typeName = this.ident('a component type name');
    const inst = this.instances(external, aliasOf, start);
    return { kind: 'instantiate', typeName, inst, start, end: inst.end };
  }

  protected instances(external: 'external' | 'internal' | undefined, aliasOf: Ident | undefined, start: number): Instantiation {
    const paramOverrides: { name: Ident; value: Expr }[] = [];
    if (this.isPunct('#')) {
      this.next();
      this.expect('(');
      for (;;) {
        this.expect('.', "'.name(value)' parameter assignment");
        const name = this.ident('a parameter name');
        this.expect('(');
        const value = this.expr();
        this.expect(')');
        paramOverrides.push({ name, value });
        if (!this.isPunct(',')) break;
        this.next();
      }
      this.expect(')');
    }
    const instances: InstanceDecl[] = [];
    for (;;) {
      instances.push(this.instanceDecl());
      if (!this.isPunct(',')) break;
      this.next();
    }
    const end = this.expect(';', "';' after the instance").end;
    return { ...(external ? { external } : {}), ...(aliasOf ? { aliasOf } : {}), paramOverrides, instances, start, end };
  }

  protected instanceDecl(): InstanceDecl {
    const name = this.declName('an instance name');
    let dims: Expr[] | undefined;
    let range: [Expr, Expr] | undefined;
    while (this.isPunct('[')) {
      this.next();
      const first = this.expr();
      if (this.isPunct(':')) {
        if (dims || range) this.fail('a bit range cannot follow an array dimension', this.tok);
        this.next();
        const second = this.expr();
        range = [first, second];
      } else {
        if (range) this.fail('an array dimension cannot follow a bit range', first);
        (dims ??= []).push(first);
      }
      this.expect(']');
    }
    let reset: Expr | undefined;
    let at: Expr | undefined;
    let stride: Expr | undefined;
    let align: Expr | undefined;
    if (this.isPunct('=')) {
      this.next();
      reset = this.expr();
    }
    if (this.isPunct('@')) {
      this.next();
      at = this.expr();
    }
    if (this.isPunct('+=')) {
      this.next();
      stride = this.expr();
    }
    if (this.isPunct('%=')) {
      this.next();
      align = this.expr();
    }
    const end = this.tokens[this.i - 1]!.end;
    return {
      name,
      ...(dims ? { dims } : {}),
      ...(range ? { range } : {}),
      ...(reset ? { reset } : {}),
      ...(at ? { at } : {}),
      ...(stride ? { stride } : {}),
      ...(align ? { align } : {}),
      start: name.start,
      end,
    };
  }
}
