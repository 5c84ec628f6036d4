/**
 * Spec text in generated source code: comments and string literals of C, TypeScript and Python.
 * Whatever the input, the result cannot end the comment or string it sits in, start a new line of
 * code, or change meaning (C trigraphs, line continuations, Python line breaks).
 */
import { oneLine } from './text.ts';

/** What cComment rewrites: `*\/`, `/*`, `??` and a backslash at the end. */
const C_COMMENT_HAZARD = /\*\/|\/\*|\?\?|\\$/;

/**
 * Text for inside a C block comment: cannot close it (`*\/`), nest it (`/*`, which -Wcomment flags),
 * or contain trigraphs (`??/` is a backslash under -std=c99 and -Wtrigraphs is in -Wall).
 */
export function cComment(text: unknown): string {
  const line = oneLine(text);
  if (!C_COMMENT_HAZARD.test(line)) return line;
  return line.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *').replace(/\?\?/g, '?-?').replace(/\\$/g, '\\ ');
}

/** Printable ASCII other than `"`, backslash and `?`: the bytes cString writes as they are. */
const C_STRING_PLAIN = /^[\x20\x21\x23-\x3e\x40-\x5b\x5d-\x7e]*$/;

/** A C string literal body: every byte outside printable ASCII as a three-digit octal escape. */
export function cString(text: string): string {
  // Most text (register paths) needs no escape at all: return it without encoding it byte by byte.
  if (C_STRING_PLAIN.test(text)) return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    // `?` is escaped so that no two in a row can form a trigraph.
    else if (byte === 0x3f) out += '\\?';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += '\\' + byte.toString(8).padStart(3, '0');
  }
  return out;
}

/** Text for inside a JSDoc / TS block comment, or after `//` (one line, so nothing follows it). */
export function tsComment(text: unknown): string {
  return oneLine(text).replace(/\*\//g, '* /');
}

/** A complete TS/JS string literal, double quoted. JSON.stringify escapes quotes, backslashes and controls. */
export function tsString(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text for a Python (or TOML, Makefile, shell) `#` comment: one line, so nothing after it can become code. */
export function pyComment(text: unknown): string {
  return oneLine(text);
}

/** A complete Python string literal, double quoted, ASCII only. */
export function pyString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (code >= 0x20 && code < 0x7f) out += ch;
    else if (code <= 0xff) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code <= 0xffff) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out + '"';
}
