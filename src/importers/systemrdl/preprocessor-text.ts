/** Text scanning of the SystemRDL preprocessor: strings, line ends, macro argument lists, parameter substitution, the Perl tags it refuses. */

/** A macro or directive name. */
export const IDENT = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** Offset of the first `<%` outside comments, or -1. (Strings count: Perl runs before lexing.) */
export function findPerlTag(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 2;
    } else if (c === '<' && text[i + 1] === '%') return i;
    else i++;
  }
  return -1;
}

export function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, text.length);
}

export function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

export function readIdentAfterSpace(text: string, from: number): { name: string; end: number } | undefined {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t') i++;
  IDENT.lastIndex = i;
  const m = IDENT.exec(text);
  return m ? { name: m[0], end: i + m[0].length } : undefined;
}

/** Index of the `)` matching the `(` at `open`, skipping strings and nested brackets; -1 if none. */
export function findClose(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = skipString(text, i) - 1;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

/** Splits macro arguments at top-level commas. */
export function splitArgs(inner: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"') i = skipString(inner, i) - 1;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      args.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  args.push(inner.slice(start));
  return args;
}

/** Replaces whole-identifier parameter names outside strings. */
export function substituteParams(body: string, values: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '"') {
      const end = skipString(body, i);
      out += body.slice(i, end);
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_$`\\]/.test(body[i - 1]!))) {
      IDENT.lastIndex = i;
      const m = IDENT.exec(body)!;
      out += values.get(m[0]) ?? m[0];
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

export function stripLineComment(body: string): string {
  let out = '';
  for (const line of body.split('\n')) {
    let cut = line.length;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') i = skipString(line, i) - 1;
      else if (line[i] === '/' && line[i + 1] === '/') {
        cut = i;
        break;
      }
    }
    out += (out ? '\n' : '') + line.slice(0, cut);
  }
  return out;
}
