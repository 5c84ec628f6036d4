import type {
  ComponentDef,
  ComponentKind,
  DataType,
  EnumDef,
  Expr,
  Ident,
  InstanceDecl,
  Instantiation,
  ParamDef,
  Pos,
  PropertyDef,
  RdlFile,
  RefSegment,
  Statement,
  StructDef,
} from './ast.ts';
import type { Token } from './lexer.ts';

/**
 * Recursive-descent parser for SystemRDL 2.0. On a syntax error it reports, skips to the next `;`
 * (or the `}` closing the current body) and goes on, so one run reports several errors.
 */

export interface ParseProblem {
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export const COMPONENT_KINDS: readonly ComponentKind[] = ['addrmap', 'regfile', 'reg', 'field', 'mem', 'signal'];

/** SystemRDL 2.0 reserved words (clause 4.5); they cannot name things unless escaped (`\reg`). */
export const RESERVED = new Set(
  (
    'boolean bit longint unsigned string accesstype addressingtype onreadtype onwritetype alias external internal addrmap regfile reg field mem ' +
    'signal true false na rw wr r w rw1 w1 rclr rset ruser woset woclr wot wzs wzc wzt wclr wset wuser compact regalign fullalign hw sw posedge ' +
    'negedge bothedge level nonsticky abstract all component componentwidth constraint default enum encode inside number property ref struct this ' +
    'type alternate byte int precedencetype real shortint shortreal signed with within'
  ).split(' '),
);

const INTR_MODIFIERS = new Set(['posedge', 'negedge', 'bothedge', 'level', 'nonsticky']);
const MAX_ERRORS = 100;

class SyntaxError_ extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly at: Pos,
  ) {
    super(message);
  }
}

// Binary operators by precedence level, loosest first (SystemRDL follows SystemVerilog).
const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^', '~^', '^~'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
  ['**'],
];
const UNARY_OPS = new Set(['!', '~', '+', '-', '&', '~&', '|', '~|', '^', '~^', '^~']);

export function parse(tokens: readonly Token[], maxDepth = 256): { file: RdlFile; problems: ParseProblem[] } {
  const p = new Parser(tokens, maxDepth);
  const statements = p.statements(true);
  return { file: { statements }, problems: p.problems };
}

class Parser {
  private i = 0;
  readonly problems: ParseProblem[] = [];

  /** Component bodies open at this point: the parser recurses per body, so nesting is capped. */
  private nesting = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }
  private peek(k = 1): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }
  private atEof(): boolean {
    return this.tok.kind === 'eof';
  }
  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isPunct(text: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(text: string, t: Token = this.tok): boolean {
    return t.kind === 'id' && !t.escaped && t.text === text;
  }
  private fail(message: string, at: Pos = this.tok, code = 'rdl/syntax'): never {
    throw new SyntaxError_(code, message, at);
  }
  private describe(t: Token): string {
    return t.kind === 'eof' ? 'end of file' : `'${t.text}'`;
  }
  private expect(text: string, what = `'${text}'`): Token {
    if (!this.isPunct(text)) this.fail(`expected ${what}, found ${this.describe(this.tok)}`);
    return this.next();
  }
  private expectWord(text: string): Token {
    if (!this.isWord(text)) this.fail(`expected '${text}', found ${this.describe(this.tok)}`);
    return this.next();
  }
  /** A name being declared: reserved words are refused unless escaped. */
  private declName(what: string): Ident {
    const t = this.tok;
    if (t.kind !== 'id') this.fail(`expected ${what}, found ${this.describe(t)}`);
    if (!t.escaped && RESERVED.has(t.text))
      this.fail(`'${t.text}' is a reserved word and cannot be used as ${what}; escape it as \\${t.text}`, t, 'rdl/reserved-word');
    this.next();
    return { name: t.text, start: t.start, end: t.end };
  }
  private ident(what: string): Ident {
    const t = this.tok;
    if (t.kind !== 'id') this.fail(`expected ${what}, found ${this.describe(t)}`);
    this.next();
    return { name: t.text, start: t.start, end: t.end };
  }

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

  private report(e: SyntaxError_): void {
    if (this.problems.length < MAX_ERRORS) this.problems.push({ code: e.code, message: e.message, start: e.at.start, end: e.at.end });
  }

  /** Skips to just after the next `;` at this nesting level, or to the `}` that closes it. */
  private recover(before: number): void {
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

  private statement(): Statement {
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
  private idStatement(): Statement {
    const start = this.tok.start;
    const second = this.peek();
    if (!this.tok.escaped && INTR_MODIFIERS.has(this.tok.text) && second.kind === 'id') return this.assignment(false, start);
    if (second.kind === 'id' || this.isPunct('#', second)) return this.instantiateStatement(undefined, start);
    if (this.isPunct('.', second) || this.isPunct('[', second) || this.isPunct('->', second)) return this.dynamic(start);
    return this.assignment(false, start);
  }

  private assignment(isDefault: boolean, start: number): Statement {
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

  private dynamic(start: number): Statement {
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

  private refSegments(): RefSegment[] {
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

  private componentStatement(external: 'external' | 'internal' | undefined, start: number): Statement {
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

  private instantiateStatement(external: 'external' | 'internal' | undefined, start: number): Statement {
    let aliasOf: Ident | undefined;
    if (this.isWord('alias')) {
      this.next();
      aliasOf = this.ident('the name of the register being aliased');
    }
    const typeName = this.ident('a component type name');
    const inst = this.instances(external, aliasOf, start);
    return { kind: 'instantiate', typeName, inst, start, end: inst.end };
  }

  private instances(external: 'external' | 'internal' | undefined, aliasOf: Ident | undefined, start: number): Instantiation {
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

  private instanceDecl(): InstanceDecl {
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

  private paramDefs(): ParamDef[] {
    this.expect('#');
    this.expect('(');
    const params: ParamDef[] = [];
    for (;;) {
      const type = this.dataType();
      const name = this.declName('a parameter name');
      let array = type.array;
      if (this.isPunct('[')) {
        this.next();
        this.expect(']');
        array = true;
      }
      let defaultValue: Expr | undefined;
      if (this.isPunct('=')) {
        this.next();
        defaultValue = this.expr();
      }
      params.push({ type: { ...type, array }, name, ...(defaultValue ? { defaultValue } : {}), start: type.start, end: this.tokens[this.i - 1]!.end });
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expect(')');
    return params;
  }

  private dataType(): DataType {
    const t = this.tok;
    if (t.kind !== 'id') this.fail(`expected a type, found ${this.describe(t)}`);
    this.next();
    let name = t.text;
    let unsigned = false;
    if ((name === 'longint' || name === 'bit') && this.isWord('unsigned')) {
      this.next();
      unsigned = true;
    }
    if (name === 'int') name = 'longint';
    return { name, ...(unsigned ? { unsigned } : {}), array: false, start: t.start, end: this.tokens[this.i - 1]!.end };
  }

  private enumDef(): EnumDef {
    const start = this.expectWord('enum').start;
    const name = this.declName('an enum name');
    this.expect('{');
    const entries: EnumDef['entries'][number][] = [];
    while (!this.isPunct('}') && !this.atEof()) {
      const entryName = this.declName('an enum entry name');
      let value: Expr | undefined;
      if (this.isPunct('=')) {
        this.next();
        value = this.expr();
      }
      const props: { name: Ident; value: Expr }[] = [];
      if (this.isPunct('{')) {
        this.next();
        while (!this.isPunct('}') && !this.atEof()) {
          const propName = this.ident('an enum entry property (name or desc)');
          this.expect('=');
          props.push({ name: propName, value: this.expr() });
          this.expect(';');
        }
        this.expect('}');
      }
      this.expect(';', "';' after the enum entry");
      entries.push({ name: entryName, ...(value ? { value } : {}), props });
    }
    this.expect('}');
    const end = this.expect(';', "';' after the enum").end;
    return { name, entries, start, end };
  }

  private structDef(): StructDef {
    const start = this.tok.start;
    let abstract = false;
    if (this.isWord('abstract')) {
      this.next();
      abstract = true;
    }
    this.expectWord('struct');
    const name = this.declName('a struct name');
    let base: Ident | undefined;
    if (this.isPunct(':')) {
      this.next();
      base = this.ident('a base struct name');
    }
    this.expect('{');
    const members: { type: DataType; name: Ident }[] = [];
    while (!this.isPunct('}') && !this.atEof()) {
      const type = this.dataType();
      const memberName = this.declName('a struct member name');
      let array = false;
      if (this.isPunct('[')) {
        this.next();
        this.expect(']');
        array = true;
      }
      this.expect(';');
      members.push({ type: { ...type, array }, name: memberName });
    }
    this.expect('}');
    const end = this.expect(';').end;
    return { name, ...(base ? { base } : {}), abstract, members, start, end };
  }

  private propertyDef(): PropertyDef {
    const start = this.expectWord('property').start;
    const name = this.declName('a property name');
    this.expect('{');
    let type: DataType | undefined;
    let components: PropertyDef['components'] = [];
    let defaultValue: Expr | undefined;
    let constraint: Ident | undefined;
    while (!this.isPunct('}') && !this.atEof()) {
      const attr = this.ident('type, component, default or constraint');
      this.expect('=');
      if (attr.name === 'type') {
        type = this.dataType();
        if (this.isPunct('[')) {
          this.next();
          this.expect(']');
          type = { ...type, array: true };
        }
      } else if (attr.name === 'component') {
        const list: (ComponentKind | 'all' | 'constraint')[] = [];
        for (;;) {
          const c = this.ident('a component kind');
          if (![...COMPONENT_KINDS, 'all', 'constraint'].includes(c.name)) this.fail(`'${c.name}' is not a component kind`, c);
          list.push(c.name as ComponentKind | 'all');
          if (!this.isPunct('|')) break;
          this.next();
        }
        components = list;
      } else if (attr.name === 'default') {
        defaultValue = this.expr();
      } else if (attr.name === 'constraint') {
        constraint = this.ident('componentwidth');
      } else this.fail(`unknown property attribute '${attr.name}' (type, component, default, constraint)`, attr);
      this.expect(';');
    }
    this.expect('}');
    const end = this.expect(';').end;
    return { name, ...(type ? { type } : {}), components, ...(defaultValue ? { defaultValue } : {}), ...(constraint ? { constraint } : {}), start, end };
  }

  /** Constraints are parsed (balanced braces) and ignored by elaboration; it warns. */
  private constraint(): Statement {
    const start = this.next().start;
    let name: Ident | undefined;
    if (this.tok.kind === 'id') name = this.ident('a constraint name');
    this.expect('{');
    let depth = 1;
    while (depth > 0 && !this.atEof()) {
      if (this.isPunct('{')) depth++;
      else if (this.isPunct('}')) depth--;
      this.next();
    }
    let end = this.tokens[this.i - 1]!.end;
    if (this.tok.kind === 'id') this.next(); // instance name
    if (this.isPunct(';')) end = this.next().end;
    return { kind: 'constraint', ...(name ? { name } : {}), start, end };
  }

  // ---------------------------------------------------------------- expressions

  expr(): Expr {
    const cond = this.binary(0);
    if (!this.isPunct('?')) return cond;
    this.next();
    const then = this.expr();
    this.expect(':', "':' of the conditional operator");
    const otherwise = this.expr();
    return { kind: 'ternary', cond, then, else: otherwise, start: cond.start, end: otherwise.end };
  }

  private binary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    const ops = BINARY_LEVELS[level]!;
    let left = this.binary(level + 1);
    while (this.tok.kind === 'punct' && ops.includes(this.tok.text)) {
      const op = this.next().text;
      // `**` is right-associative.
      const right = op === '**' ? this.binary(level) : this.binary(level + 1);
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.tok;
    if (t.kind === 'punct' && UNARY_OPS.has(t.text)) {
      this.next();
      const operand = this.unary();
      return { kind: 'unary', op: t.text, operand, start: t.start, end: operand.end };
    }
    return this.postfixCast(this.primary());
  }

  /** `x'(expr)` width or type casts. */
  private postfixCast(e: Expr): Expr {
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

  private primary(): Expr {
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

  private concat(): Expr {
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

  private structLiteral(): Expr {
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
}
