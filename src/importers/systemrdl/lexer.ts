/**
 * SystemRDL lexer over the preprocessed text. Tokens keep output offsets; the SourceMap turns
 * them into file:line:col. Bad characters and malformed literals are reported and skipped, so the
 * parser still sees the rest of the file.
 */

import { type Literal, readBasedLiteral, readCLiteral, SYSTEMVERILOG_OPERATORS } from '../../expr/constant/index.ts';

export type TokenKind = 'id' | 'number' | 'string' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name (escape removed), punctuation, or literal source text. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** `\name`: an escaped identifier is never a keyword. */
  readonly escaped?: boolean;
  readonly value?: bigint;
  /** Width of a Verilog-style sized literal (`4'b1010`). */
  readonly width?: number;
  readonly str?: string;
}

export interface LexProblem {
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

// SystemVerilog's operators plus SystemRDL's own punctuation, longest first, so that `->` wins over `-`.
const PUNCTUATORS = [...SYSTEMVERILOG_OPERATORS, '<<=', '>>=', '->', '::', '+=', '%=', "'{", '[', ']', ';', '.', '=', '@', '#', "'"].sort(
  (x, y) => y.length - x.length,
);

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

export function lex(text: string): { tokens: Token[]; problems: LexProblem[] } {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < n && text[j] !== '"') {
        // Only \" and \\ are escapes in SystemRDL strings.
        if (text[j] === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) {
          value += text[j + 1];
          j += 2;
        } else value += text[j++];
      }
      if (j >= n) {
        problems.push({ code: 'rdl/unterminated-string', message: 'string is never closed', start: i, end: i + 1 });
        tokens.push({ kind: 'string', text: text.slice(i, n), start: i, end: n, str: value });
        i = n;
        continue;
      }
      tokens.push({ kind: 'string', text: text.slice(i, j + 1), start: i, end: j + 1, str: value });
      i = j + 1;
      continue;
    }
    if (/[0-9']/.test(c)) {
      const based = readBasedLiteral(text, i, false);
      if (based) {
        tokens.push(verilogNumber(based, text, i, problems));
        i = based.end;
        continue;
      }
      if (c !== "'") {
        const { value, end } = readCLiteral(text, i, 'x') as Literal;
        if (/[A-Za-z_]/.test(text[end] ?? '')) {
          problems.push({ code: 'rdl/bad-number', message: `malformed number ${JSON.stringify(text.slice(i, end + 1))}`, start: i, end: end + 1 });
        }
        tokens.push({ kind: 'number', text: text.slice(i, end), start: i, end, value });
        i = end;
        continue;
      }
    }
    if (c === '\\') {
      IDENT.lastIndex = i + 1;
      const m = IDENT.exec(text);
      if (m) {
        tokens.push({ kind: 'id', text: m[0], start: i, end: i + 1 + m[0].length, escaped: true });
        i += 1 + m[0].length;
        continue;
      }
    }
    IDENT.lastIndex = i;
    const idm = IDENT.exec(text);
    if (idm) {
      tokens.push({ kind: 'id', text: idm[0], start: i, end: i + idm[0].length });
      i += idm[0].length;
      continue;
    }
    const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
    if (p) {
      tokens.push({ kind: 'punct', text: p, start: i, end: i + p.length });
      i += p.length;
      continue;
    }
    problems.push({ code: 'rdl/bad-character', message: `unexpected character ${JSON.stringify(c)}`, start: i, end: i + 1 });
    i++;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return { tokens, problems };
}

/** A Verilog-style literal (`4'b1010`, `'hFF`) read by the shared SystemVerilog literal grammar. */
function verilogNumber(literal: Literal, text: string, start: number, problems: LexProblem[]): Token {
  const source = text.slice(start, literal.end);
  const problem = literal.problem;
  if (problem?.kind === 'too-wide') problems.push({ code: 'rdl/literal-too-wide', message: problem.message, start, end: literal.end });
  else if (problem?.kind === 'unknown-bits' || problem?.kind === 'bad-digits') {
    problems.push({ code: 'rdl/bad-number', message: `${problem.message} (x, z and ? are not allowed in SystemRDL)`, start, end: literal.end });
  } else if (problem) problems.push({ code: 'rdl/bad-number', message: problem.message, start, end: literal.end });
  // Unsized literals ('hFF) are Verilog, not SystemRDL 2.0; they are accepted as 64-bit values.
  const width = literal.width !== undefined ? { width: literal.width } : {};
  return { kind: 'number', text: source, start, end: literal.end, value: literal.value, ...width };
}
