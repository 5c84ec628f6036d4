/**
 * The token structure of a generated file: what is left when comments are dropped and the contents
 * of string literals, markup text and attribute values are blanked. Spec text may only ever change
 * what is blanked; if it changes the structure, it broke out of its context. Each scanner follows its
 * language's own rules for where a comment or string ends (not the escaper's idea of it).
 */

/** C, TypeScript/JavaScript and Python source: comments dropped, string literal bodies emptied. */
function codeStructure(text: string, lang: 'c' | 'ts' | 'py'): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (lang !== 'py' && two === '/*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += '\n'.repeat(countLines(text.slice(i, stop)));
      i = stop;
      continue;
    }
    if ((lang !== 'py' && two === '//') || (lang === 'py' && c === '#')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (lang === 'py' && (text.startsWith('"""', i) || text.startsWith("'''", i))) {
      const quote = text.slice(i, i + 3);
      let j = i + 3;
      while (j < n && !text.startsWith(quote, j)) j += text[j] === '\\' ? 2 : 1;
      out += quote + quote + '\n'.repeat(countLines(text.slice(i, j)));
      i = j + 3;
      continue;
    }
    if (c === '"' || c === "'" || (lang === 'ts' && c === '`')) {
      let j = i + 1;
      while (j < n && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      out += c + c;
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out.replace(/[ \t]+/g, ' ').replace(/ $/gm, '');
}

function countLines(s: string): number {
  let k = 0;
  for (const ch of s) if (ch === '\n') k++;
  return k;
}

/**
 * HTML/XML as the HTML tokenizer sees it: comments end at the first `-->` or `--!>`, tags keep their
 * name and attribute names, attribute values and text are blanked.
 */
function markupStructure(text: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const ends = [text.indexOf('-->', lt + 4), text.indexOf('--!>', lt + 4)].filter((x) => x >= 0);
      const end = ends.length ? Math.min(...ends) : text.length;
      parts.push('<!---->');
      i = end + (text.startsWith('--!>', end) ? 4 : 3);
      continue;
    }
    const gt = findTagEnd(text, lt);
    const tag = text.slice(lt, gt + 1).replace(/"[^"]*"|'[^']*'/g, '""');
    parts.push(tag.replace(/\s+/g, ' '));
    i = gt + 1;
    // Raw text elements end only at their closing tag, whatever is inside.
    const raw = /^<(script|style)\b/i.exec(tag);
    if (raw) {
      const close = text.toLowerCase().indexOf(`</${raw[1]!.toLowerCase()}`, i);
      i = close < 0 ? text.length : close;
    }
  }
  return parts.join('');
}

function findTagEnd(text: string, lt: number): number {
  let quote = '';
  for (let j = lt + 1; j < text.length; j++) {
    const ch = text[j]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return j;
  }
  return text.length;
}

/**
 * Markdown: per line, its block kind (heading level, list, quote, table row with its cell count,
 * HTML block) and the inline HTML and code spans in it. Escaped characters (`\|`) are not structure.
 */
function markdownStructure(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      // A line opening an HTML comment is an HTML block: only where the comment ends matters.
      if (line.startsWith('<!--')) return `html|${markupStructure(line)}`;
      const bare = line.replace(/\\./g, 'x');
      const block = /^(#{1,6} |[-+*] |>|\d+[.)] |\||<!--|\s*$|=+$|-+$)/.exec(bare)?.[0] ?? 'p';
      const pipes = (bare.match(/\|/g) ?? []).length;
      const ticks = (bare.match(/`/g) ?? []).length;
      const tags = markupStructure(bare.replace(/`[^`]*`/g, '``'));
      return `${block.trim()}|${pipes}|${ticks}|${tags}`;
    })
    .join('\n');
}

/** JSON: the shape, with every string blanked. */
function jsonStructure(text: string): string {
  return JSON.stringify(JSON.parse(text), (_k, v: unknown) => (typeof v === 'string' ? '' : v));
}

/** `#`-comment text formats (TOML, Makefile fragments, marker files): lines, comments dropped, strings blanked. */
function hashCommentStructure(text: string): string {
  return codeStructure(text, 'py');
}

/** The structure of a generated file, chosen by its name. */
export function tokenStructure(path: string, text: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  if (path.endsWith('tsconfig.json')) return codeStructure(text, 'ts');
  switch (ext) {
    case 'c':
    case 'h':
      return codeStructure(text, 'c');
    case 'ts':
    case 'js':
    case 'mjs':
      return codeStructure(text, 'ts');
    case 'py':
      return codeStructure(text, 'py');
    case 'html':
    case 'svd':
    case 'xml':
      return markupStructure(text);
    case 'md':
      return markdownStructure(text);
    case 'json':
      return jsonStructure(text);
    case 'toml':
    case 'mk':
    case 'typed':
    case 'txt':
      return hashCommentStructure(text);
    default:
      return `lines:${countLines(text)}`;
  }
}
