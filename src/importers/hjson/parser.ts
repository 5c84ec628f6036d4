import type { Diagnostic } from '../../diagnostics/types.ts';
import { SourceText } from '../../diagnostics/source-text.ts';
import type { SourceSpan } from '../../ir/types.ts';
import { fileTooLarge } from '../types.ts';
import type { LocatedArray, LocatedEntry, LocatedObject, LocatedScalar, LocatedValue } from '../../yaml/index.ts';

/**
 * A hand-written Hjson parser (https://hjson.github.io/syntax.html) that keeps the line:col span of
 * every key and value. The npm `hjson` package gives no positions, and reggen's diagnostics are only
 * useful if they point at the offending `bits` or `swaccess`.
 *
 * It follows the reference implementation hjson-py 3.1 (what OpenTitan's reggen uses) decision for
 * decision — quoteless strings run to the end of the line unless the text before a `,` `}` `]` or
 * comment is a number/true/false/null, `'''` strings strip the indentation of their opening column —
 * so the tests can compare its output with hjson-py's on real files.
 */
export interface HjsonParseOptions {
  readonly maxDepth: number;
  readonly maxBytes: number;
}

export interface HjsonParseResult {
  readonly value: LocatedValue | undefined;
  readonly diagnostics: Diagnostic[];
  readonly source: SourceText;
}

/** Thrown inside the parser only; turned into one located diagnostic at the top. */
class HjsonSyntaxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
    readonly end: number = offset + 1,
  ) {
    super(message);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const PUNCTUATOR = '{}[],:';
const NUMBER = /[\t ]*(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?[\t ]*/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseHjson(text: string, file: string, options: HjsonParseOptions): HjsonParseResult {
  const source = new SourceText(file, text);
  if (text.length > options.maxBytes) {
    return { value: undefined, source, diagnostics: [...fileTooLarge(file, text.length, options.maxBytes).diagnostics] };
  }
  const parser = new Parser(text, source, options.maxDepth);
  try {
    const value = parser.document();
    return { value, source, diagnostics: parser.diagnostics };
  } catch (error) {
    if (!(error instanceof HjsonSyntaxError)) throw error;
    const diagnostic: Diagnostic = {
      code: error.code,
      severity: 'error',
      message: error.message,
      span: source.span(error.offset, Math.max(error.end, error.offset + 1)),
    };
    return { value: undefined, source, diagnostics: [...parser.diagnostics, diagnostic] };
  }
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private depth = 0;

  constructor(
    private readonly s: string,
    private readonly source: SourceText,
    private readonly maxDepth: number,
  ) {}

  private span(start: number, end: number): SourceSpan {
    return this.source.span(start, Math.max(end, start + 1));
  }

  private ch(i: number): string {
    return this.s.charAt(i);
  }

  /** Skips whitespace and comments; returns the next character ('' at the end) and its index. */
  private next(i: number): [string, number] {
    for (;;) {
      while (WHITESPACE.has(this.ch(i))) i++;
      const c = this.ch(i);
      const c2 = this.ch(i + 1);
      if (c === '#' || (c === '/' && c2 === '/')) {
        i = this.eol(i);
      } else if (c === '/' && c2 === '*') {
        const close = this.s.indexOf('*/', i + 2);
        if (close === -1) throw new HjsonSyntaxError('hjson/unterminated-comment', 'this /* comment is never closed', i, i + 2);
        i = close + 2;
      } else {
        return [c, i];
      }
    }
  }

  private eol(i: number): number {
    while (i < this.s.length && this.s[i] !== '\n' && this.s[i] !== '\r') i++;
    return i;
  }

  document(): LocatedValue {
    let start = 0;
    if (this.s.charCodeAt(0) === 0xfeff) start = 1;
    const [c, i] = this.next(start);
    let value: LocatedValue;
    let end: number;
    if (c === '') {
      return { kind: 'object', span: this.span(0, 0), entries: [] };
    } else if (c === '{' || c === '[') {
      [value, end] = this.value(i);
    } else {
      // A root object may omit its braces. If that fails, hjson-py retries the text as one value;
      // we accept that only for a quoted string, number or keyword: taking a broken `key: value`
      // line as one quoteless string would hide the real error behind "expected an object".
      const warnings = this.diagnostics.length;
      try {
        [value, end] = this.object(i, true);
      } catch (braceless) {
        this.depth = 0;
        this.diagnostics.length = warnings;
        let single: [LocatedValue, number];
        try {
          single = this.value(i);
        } catch {
          throw braceless;
        }
        const quoteless = single[0].kind === 'scalar' && typeof single[0].value === 'string' && c !== '"' && c !== "'";
        if (quoteless) throw braceless;
        [value, end] = single;
      }
    }
    const [rest, at] = this.next(end);
    if (rest !== '') throw new HjsonSyntaxError('hjson/extra-data', `unexpected ${JSON.stringify(rest)} after the end of the document`, at);
    return value;
  }

  private enter(at: number): void {
    this.depth++;
    if (this.depth > this.maxDepth) throw new HjsonSyntaxError('limits/too-deep', `the document nests deeper than ${this.maxDepth} levels`, at);
  }

  private value(i: number): [LocatedValue, number] {
    const c = this.ch(i);
    if (c === '') throw new HjsonSyntaxError('hjson/unexpected-end', 'expected a value but the input ended', i);
    if (c === '"' || c === "'") {
      if (this.s.startsWith("'''", i)) return this.multilineString(i);
      const [text, end] = this.quoted(i);
      return [{ kind: 'scalar', span: this.span(i, end), value: text }, end];
    }
    if (c === '{') return this.object(i + 1, false, i);
    if (c === '[') return this.array(i + 1, i);
    return this.quoteless(i);
  }

  private object(i: number, withoutBraces: boolean, open = i): [LocatedObject, number] {
    this.enter(open);
    const entries: LocatedEntry[] = [];
    const seen = new Map<string, LocatedEntry>();
    let [c, at] = this.next(i);
    if (!withoutBraces && c === '}') {
      this.depth--;
      return [{ kind: 'object', span: this.span(open, at + 1), entries }, at + 1];
    }
    for (;;) {
      if (c === '' && !withoutBraces) throw new HjsonSyntaxError('hjson/unclosed-object', "the input ended inside this object (missing '}')", open);
      const [key, keyStart, keyEnd] = this.key(at);
      [c, at] = this.next(keyEnd);
      if (c !== ':') throw new HjsonSyntaxError('hjson/expected-colon', `expected ':' after the key ${JSON.stringify(key)}`, at);
      [, at] = this.next(at + 1);
      const [value, valueEnd] = this.value(at);
      const entry: LocatedEntry = { key, keySpan: this.span(keyStart, keyEnd), value };
      const previous = seen.get(key);
      if (previous) {
        this.diagnostics.push({
          code: 'hjson/duplicate-key',
          severity: 'warning',
          message: `the key ${JSON.stringify(key)} is repeated; the last value wins`,
          span: entry.keySpan,
          related: [{ message: 'first given here', span: previous.keySpan }],
        });
      }
      seen.set(key, entry);
      entries.push(entry);
      [c, at] = this.next(valueEnd);
      if (c === ',') [c, at] = this.next(at + 1);
      if (withoutBraces) {
        if (c === '') break;
      } else if (c === '}') {
        at++;
        break;
      }
    }
    this.depth--;
    return [{ kind: 'object', span: this.span(open, withoutBraces ? open : at), entries }, at];
  }

  private array(i: number, open: number): [LocatedArray, number] {
    this.enter(open);
    const items: LocatedValue[] = [];
    let [c, at] = this.next(i);
    if (c === ']') {
      this.depth--;
      return [{ kind: 'array', span: this.span(open, at + 1), items }, at + 1];
    }
    for (;;) {
      if (c === '') throw new HjsonSyntaxError('hjson/unclosed-array', "the input ended inside this list (missing ']')", open);
      const [value, end] = this.value(at);
      items.push(value);
      [c, at] = this.next(end);
      if (c === ',') [c, at] = this.next(at + 1);
      if (c === ']') {
        at++;
        break;
      }
    }
    this.depth--;
    return [{ kind: 'array', span: this.span(open, at), items }, at];
  }

  /** A key: quoted, or quoteless up to ':' (no whitespace inside, no punctuators). Returns text, start, end. */
  private key(i: number): [string, number, number] {
    const [c, start] = this.next(i);
    if (c === '"' || c === "'") {
      const [text, end] = this.quoted(start);
      return [text, start, end];
    }
    let end = start;
    let space = -1;
    for (;;) {
      const ch = this.ch(end);
      if (ch === '') throw new HjsonSyntaxError('hjson/bad-key', 'the input ended inside a key name', start, end);
      if (ch === ':') {
        if (end === start) throw new HjsonSyntaxError('hjson/bad-key', "found ':' but no key name (quote an empty key name)", start);
        if (space >= 0) {
          if (space !== end - 1) throw new HjsonSyntaxError('hjson/bad-key', 'a key name contains whitespace (quote it to include spaces)', space);
          return [this.s.slice(start, end).trimEnd(), start, space];
        }
        return [this.s.slice(start, end), start, end];
      }
      if (WHITESPACE.has(ch)) {
        if (space < 0 || space === end - 1) space = end;
      } else if ('{}[],'.includes(ch)) {
        throw new HjsonSyntaxError('hjson/bad-key', `found '${ch}' where a key name was expected (quote key names that contain {}[],: or whitespace)`, end);
      }
      end++;
    }
  }

  /** A '…' or "…" string with JSON escapes; `i` is the opening quote. Returns the text and the index after the closing quote. */
  private quoted(i: number): [string, number] {
    const quote = this.s[i];
    let out = '';
    let at = i + 1;
    for (;;) {
      const ch = this.ch(at);
      if (ch === '') throw new HjsonSyntaxError('hjson/unterminated-string', 'this string is never closed', i, at);
      if (ch === quote) return [out, at + 1];
      if (ch === '\\') {
        const esc = this.ch(at + 1);
        if (esc === 'u') {
          const hex = this.s.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new HjsonSyntaxError('hjson/bad-escape', 'invalid \\uXXXX escape', at, at + 6);
          out += String.fromCharCode(parseInt(hex, 16));
          at += 6;
          continue;
        }
        const replacement = ESCAPES[esc];
        if (replacement === undefined) throw new HjsonSyntaxError('hjson/bad-escape', `invalid escape \\${esc}`, at, at + 2);
        out += replacement;
        at += 2;
        continue;
      }
      if (ch.charCodeAt(0) < 0x20)
        throw new HjsonSyntaxError('hjson/control-character', "a control character (such as a line break) inside a quoted string; use \\n or a ''' string", at);
      out += ch;
      at++;
    }
  }

  /** A ''' string: the indentation of the opening ''' column is removed from every line. */
  private multilineString(i: number): [LocatedScalar, number] {
    const lineStart = this.s.lastIndexOf('\n', i - 1) + 1;
    const indent = i - lineStart;
    const skipIndent = (at: number, n: number): number => {
      while (n !== 0 && ' \t\r'.includes(this.ch(at)) && this.ch(at) !== '') {
        at++;
        n--;
      }
      return at;
    };
    let at = skipIndent(i + 3, -1);
    if (this.ch(at) === '\n') at = skipIndent(at + 1, indent);
    let out = '';
    let triple = 0;
    for (;;) {
      const ch = this.ch(at);
      if (ch === '') throw new HjsonSyntaxError('hjson/unterminated-string', "this ''' string is never closed", i, i + 3);
      if (ch === "'") {
        triple++;
        at++;
        if (triple === 3) {
          if (out.endsWith('\n')) out = out.slice(0, -1);
          return [{ kind: 'scalar', span: this.span(i, at), value: out }, at];
        }
        continue;
      }
      out += "'".repeat(triple);
      triple = 0;
      if (ch === '\n') {
        out += '\n';
        at = skipIndent(at + 1, indent);
      } else {
        if (ch !== '\r') out += ch;
        at++;
      }
    }
  }

  /** true/false/null, a number, or a quoteless string running to the end of the line. */
  private quoteless(i: number): [LocatedScalar, number] {
    const [first, begin] = this.next(i);
    if (PUNCTUATOR.includes(first)) {
      throw new HjsonSyntaxError('hjson/unexpected-punctuator', `found '${first}' where a value was expected`, begin);
    }
    for (let end = begin; ; end++) {
      const ch = this.ch(end);
      const isEol = ch === '\r' || ch === '\n' || ch === '';
      const next = this.ch(end + 1);
      if (isEol || ch === ',' || ch === '}' || ch === ']' || ch === '#' || (ch === '/' && (next === '/' || next === '*'))) {
        const text = this.s.slice(begin, end).trim();
        const scalar = (value: LocatedScalar['value']): [LocatedScalar, number] => [
          { kind: 'scalar', span: this.span(begin, begin + text.length), value },
          end,
        ];
        if (first === 'n' && text === 'null') return scalar(null);
        if (first === 't' && text === 'true') return scalar(true);
        if (first === 'f' && text === 'false') return scalar(false);
        if (first === '-' || (first >= '0' && first <= '9')) {
          NUMBER.lastIndex = begin;
          const m = NUMBER.exec(this.s);
          if (m && NUMBER.lastIndex === end) return scalar(Number((m[1] ?? '') + (m[2] ?? '') + (m[3] ?? '')));
        }
        if (isEol) return scalar(text);
      }
    }
  }
}
