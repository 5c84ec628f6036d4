import type { SourceText } from '../../src/diagnostics/source-text.ts';
import type { Behaviour, SourceSpan } from '../../src/ir/types.ts';

/** The words of one action or trigger string, each with where it starts in the string. */
export interface Token {
  readonly text: string;
  /** Offset of the token inside its action string. */
  readonly offset: number;
}

/** A located parse error: the code, the words, and the token it is at. */
export class ParseFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly token: Token | undefined,
  ) {
    super(message);
  }
}

/** Words, with `==`, `!=` and `<<` as tokens of their own (written with or without spaces). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /==|!=|<<|[^\s=!<]+|[=!<]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) tokens.push({ text: m[0], offset: m.index });
  return tokens;
}

export /** Locates a string of the behaviour inside the file, searching from the behaviour's start. */
function locator(behaviour: Behaviour, source: SourceText | undefined): (text: string) => (token?: Token) => SourceSpan {
  const start = source && source.file === behaviour.span.file ? (source.lineStarts[behaviour.span.line - 1] ?? 0) + behaviour.span.column - 1 : undefined;
  let cursor = start ?? 0;
  return (text) => {
    let at: number | undefined;
    if (source && start !== undefined) {
      const found = source.text.indexOf(text, cursor);
      if (found >= 0) {
        at = found;
        cursor = found + text.length;
      }
    }
    return (token) => {
      if (!source || at === undefined) return behaviour.span;
      const from = at + (token?.offset ?? 0);
      return source.span(from, from + (token?.text.length ?? text.length));
    };
  };
}

/** A number of the behaviour language: decimal, 0x, 0b, with `_` allowed; at most 32 bits. */
export function parseNumber(token: Token): number {
  const clean = token.text.replace(/_/g, '');
  const value = /^0x[0-9a-f]+$/i.test(clean)
    ? parseInt(clean.slice(2), 16)
    : /^0b[01]+$/i.test(clean)
      ? parseInt(clean.slice(2), 2)
      : /^[0-9]+$/.test(clean)
        ? parseInt(clean, 10)
        : NaN;
  if (!Number.isSafeInteger(value) || value > 0xffff_ffff)
    throw new ParseFailure('sim/behaviour-bad-number', `${JSON.stringify(token.text)} is not a number (42, 0x2A, 0b101010; at most 32 bits)`, token);
  return value;
}
