import type { ComponentKind, Ident, Pos } from './ast.ts';
import type { Token } from './lexer.ts';

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

/** A syntax error at `at`: thrown inside a statement, caught by the statement loop (parser.ts). */
export class SyntaxError_ extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly at: Pos,
  ) {
    super(message);
  }
}

/** The token stream under the parser: looking ahead, consuming, expecting, names. */
export class TokenCursor {
  protected i = 0;
  readonly problems: ParseProblem[] = [];

  constructor(
    protected readonly tokens: readonly Token[],
    protected readonly maxDepth: number,
  ) {}

  protected get tok(): Token {
    return this.tokens[this.i]!;
  }
  protected peek(k = 1): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }
  protected atEof(): boolean {
    return this.tok.kind === 'eof';
  }
  protected next(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  protected isPunct(text: string, t: Token = this.tok): boolean {
    return t.kind === 'punct' && t.text === text;
  }
  protected isWord(text: string, t: Token = this.tok): boolean {
    return t.kind === 'id' && !t.escaped && t.text === text;
  }
  protected fail(message: string, at: Pos = this.tok, code = 'rdl/syntax'): never {
    throw new SyntaxError_(code, message, at);
  }
  protected describe(t: Token): string {
    return t.kind === 'eof' ? 'end of file' : `'${t.text}'`;
  }
  protected expect(text: string, what = `'${text}'`): Token {
    if (!this.isPunct(text)) this.fail(`expected ${what}, found ${this.describe(this.tok)}`);
    return this.next();
  }
  protected expectWord(text: string): Token {
    if (!this.isWord(text)) this.fail(`expected '${text}', found ${this.describe(this.tok)}`);
    return this.next();
  }
  /** A name being declared: reserved words are refused unless escaped. */
  protected declName(what: string): Ident {
    const t = this.tok;
    if (t.kind !== 'id') this.fail(`expected ${what}, found ${this.describe(t)}`);
    if (!t.escaped && RESERVED.has(t.text))
      this.fail(`'${t.text}' is a reserved word and cannot be used as ${what}; escape it as \\${t.text}`, t, 'rdl/reserved-word');
    this.next();
    return { name: t.text, start: t.start, end: t.end };
  }
  protected ident(what: string): Ident {
    const t = this.tok;
    if (t.kind !== 'id') this.fail(`expected ${what}, found ${this.describe(t)}`);
    this.next();
    return { name: t.text, start: t.start, end: t.end };
  }
}
