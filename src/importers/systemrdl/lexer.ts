/**
 * SystemRDL lexer over the preprocessed text. Tokens keep output offsets; the SourceMap turns
 * them into file:line:col. Bad characters and malformed literals are reported and skipped, so the
 * parser still sees the rest of the file.
 */

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

// Longest first, so that `->` wins over `-`.
const PUNCTUATORS = [
  '<<=',
  '>>=',
  '**',
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<<',
  '>>',
  '->',
  '::',
  '+=',
  '%=',
  '~&',
  '~|',
  '~^',
  '^~',
  "'{",
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ';',
  ',',
  '.',
  ':',
  '=',
  '@',
  '#',
  '?',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '~',
  '&',
  '|',
  '^',
  '<',
  '>',
  "'",
];

const VERILOG_NUMBER = /([0-9][0-9_]*)?'([sS]?)([bBoOdDhH])([0-9a-fA-FxXzZ_?]+)/y;
const DECIMAL_OR_HEX = /0[xX][0-9a-fA-F_]+|[0-9][0-9_]*/y;
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
      VERILOG_NUMBER.lastIndex = i;
      const vm = VERILOG_NUMBER.exec(text);
      if (vm) {
        const end = i + vm[0].length;
        const token = verilogNumber(vm, i, end, problems);
        tokens.push(token);
        i = end;
        continue;
      }
      if (c !== "'") {
        DECIMAL_OR_HEX.lastIndex = i;
        const dm = DECIMAL_OR_HEX.exec(text)!;
        const raw = dm[0].replace(/_/g, '');
        const end = i + dm[0].length;
        if (/[A-Za-z_]/.test(text[end] ?? '')) {
          problems.push({ code: 'rdl/bad-number', message: `malformed number ${JSON.stringify(text.slice(i, end + 1))}`, start: i, end: end + 1 });
        }
        tokens.push({ kind: 'number', text: dm[0], start: i, end, value: BigInt(raw) });
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

function verilogNumber(m: RegExpExecArray, start: number, end: number, problems: LexProblem[]): Token {
  const sizeText = m[1];
  const base = m[3]!.toLowerCase();
  const digits = m[4]!.replace(/_/g, '');
  const text = m[0];
  const radix = base === 'b' ? 2 : base === 'o' ? 8 : base === 'd' ? 10 : 16;
  const valid = radix === 2 ? /^[01]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 10 ? /^[0-9]+$/ : /^[0-9a-fA-F]+$/;
  let value = 0n;
  if (!valid.test(digits)) {
    problems.push({
      code: 'rdl/bad-number',
      message: `${JSON.stringify(text)}: digits not valid in base ${radix} (x, z and ? are not allowed in SystemRDL)`,
      start,
      end,
    });
  } else {
    const prefix = radix === 2 ? '0b' : radix === 8 ? '0o' : radix === 16 ? '0x' : '';
    value = BigInt(prefix + digits);
  }
  // Unsized literals ('hFF) are Verilog, not SystemRDL 2.0; they are accepted as 64-bit values.
  const width = sizeText !== undefined ? Number(sizeText.replace(/_/g, '')) : undefined;
  if (width !== undefined) {
    if (width === 0) problems.push({ code: 'rdl/bad-number', message: `${JSON.stringify(text)}: a literal cannot be 0 bits wide`, start, end });
    else if (value >> BigInt(width) !== 0n) {
      problems.push({ code: 'rdl/literal-too-wide', message: `${JSON.stringify(text)}: value ${value} does not fit in ${width} bits`, start, end });
    }
  }
  return { kind: 'number', text, start, end, value, ...(width !== undefined ? { width } : {}) };
}
