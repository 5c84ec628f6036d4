/**
 * A quick reader for the plain subset of YAML that specdrive's own files are written in: block maps
 * and sequences indented with spaces, one-line flow collections (`{ bits: 0, access: rw }`,
 * `[a, b]`), one-line plain and quoted scalars, comments. It exists for start-up: a cold `yaml`
 * parse (lexer, parser and composer generators, run once) was the largest part of `validate` of a
 * small spec (docs/performance.md, "Start-up").
 *
 * It never decides anything `yaml` would decide differently: whatever is outside the subset, odd, or
 * wrong (anchors, tags, multi-line or escaped scalars, duplicate keys, non-string keys, numbers other
 * than plain decimal and 0x integers, a comment trailing inside a collection, tabs, CR, `---`) gives
 * `undefined`, and the caller parses the text with `yaml` as before, which also reports every error.
 * So a file either gets exactly `yaml`'s value and node ranges or goes the `yaml` way; the two are
 * compared on every YAML file of the repository and on mutated ones (test/unit/yaml/yaml-subset.test.ts).
 */

/** A node with `yaml`'s `range[0..1]`: start and end of the value (a block collection's end is that of its last line). */
export interface SubsetNode {
  readonly range: readonly [number, number];
  /** Map entries by key (keys are strings in the subset). */
  readonly entries?: ReadonlyMap<string, { readonly key: SubsetNode; readonly value: SubsetNode }>;
  readonly items?: readonly SubsetNode[];
}

export interface SubsetDocument {
  readonly root: SubsetNode;
  /** The document as `yaml`'s `toJS` gives it (wide integers kept as their text, as located-yaml does). */
  readonly value: unknown;
  /** Nesting depth as located-yaml's `depthOf` counts it (the root is 0, each child one more). */
  readonly depth: number;
}

/** Thrown inside the reader when the text leaves the subset; never escapes `parseYamlSubset`. */
class OutsideSubset extends Error {}
const outside = (): never => {
  throw new OutsideSubset();
};

interface Line {
  readonly start: number;
  /** Offset of the line's `\n` (or the text's end). */
  readonly end: number;
  /** Offset after the `\n`: where `yaml` ends a block value written on this line. */
  readonly next: number;
  readonly indent: number;
  readonly kind: 'blank' | 'comment' | 'content';
}

interface Parsed {
  readonly node: SubsetNode;
  readonly value: unknown;
  readonly depth: number;
}

// YAML 1.2 core schema tests (those of `yaml`'s core tags) that the subset resolves or refuses.
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const DECIMAL = /^[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const OTHER_NUMBER = /^(?:0o[0-7]+|[-+][0-9]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
/** Characters that start something other than a plain scalar (or are not worth the risk). */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** The value of a one-line plain scalar, as `yaml`'s core schema resolves it. */
function plainValue(text: string): unknown {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  // Up to 15 digits every value is a safe integer; longer ones `yaml` reads as wide (kept as text) or inexact.
  if (DECIMAL.test(text)) return text.length <= 15 ? Number.parseInt(text, 10) : outside();
  if (HEX.test(text)) return text.length <= 15 ? Number.parseInt(text.slice(2), 16) : outside();
  if (OTHER_NUMBER.test(text)) return outside();
  return text;
}

/** Deeper documents go to `yaml` (and its depth limits); the reader recurses once per level. */
const MAX_NESTING = 64;

class Reader {
  private readonly lines: Line[] = [];
  private at = 0;
  private nesting = 0;

  constructor(private readonly text: string) {
    for (let start = 0; start < text.length; ) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      let indent = start;
      while (text.charCodeAt(indent) === 32) indent++;
      const first = text[indent];
      const kind = indent === end ? 'blank' : first === '#' ? 'comment' : 'content';
      this.lines.push({ start, end, next: newline < 0 ? end : end + 1, indent: indent - start, kind });
      start = end + 1;
    }
  }

  document(): Parsed {
    const first = this.nextContent();
    if (first?.indent !== 0 || this.isSeqEntry(first)) return outside();
    this.skipToContent();
    // The root map ends only at the end of the text (every line is at its indent or deeper).
    return this.blockMap(0, first.start);
  }

  /** The next content line (without moving), or undefined at the end. */
  private nextContent(): Line | undefined {
    for (let i = this.at; i < this.lines.length; i++) if (this.lines[i]!.kind === 'content') return this.lines[i];
    return undefined;
  }

  /** Moves to the next content line; returns the deepest indent of the comments passed (-1: none). */
  private skipToContent(): number {
    let comment = -1;
    while (this.at < this.lines.length && this.lines[this.at]!.kind !== 'content') {
      const line = this.lines[this.at++]!;
      if (line.kind === 'comment') comment = Math.max(comment, line.indent);
    }
    return comment;
  }

  private isSeqEntry(line: Line): boolean {
    const c = line.start + line.indent;
    return this.text[c] === '-' && (c + 1 === line.end || this.text[c + 1] === ' ');
  }

  /**
   * After a collection's last entry: a comment indented inside it would be part of its range in
   * `yaml` (its third range value, which the next outer end then takes), so such a file goes to `yaml`.
   */
  private closeCollection(indent: number, commentIndent: number): void {
    if (commentIndent >= indent) outside();
  }

  private enter(): void {
    if (++this.nesting > MAX_NESTING) outside();
  }

  /** A block map whose first key starts at `keyStart` (on the current line) at column `indent`. */
  private blockMap(indent: number, keyStart: number): Parsed {
    this.enter();
    const entries = new Map<string, { key: SubsetNode; value: SubsetNode }>();
    const value: Record<string, unknown> = {};
    let depth = 0;
    let end = keyStart;
    let start = keyStart;
    for (;;) {
      const line = this.lines[this.at]!;
      const colon = this.keyEnd(start, line.end);
      const key = this.scalar(start, colon, false);
      if (typeof key.value !== 'string' || key.value === '__proto__' || entries.has(key.value) || key.node.range[1] !== colon) outside();
      const entry = this.entryValue(indent, colon + 1, line);
      entries.set(key.value as string, { key: key.node, value: entry.node });
      value[key.value as string] = entry.value;
      depth = Math.max(depth, entry.depth + 1);
      end = entry.end;
      const comment = this.skipToContent();
      const nextLine = this.lines[this.at];
      if (!nextLine || nextLine.indent < indent) {
        this.closeCollection(indent, comment);
        break;
      }
      if (nextLine.indent > indent || this.isSeqEntry(nextLine)) outside();
      start = nextLine.start + indent;
    }
    this.nesting--;
    return { node: { range: [keyStart, end], entries }, value, depth };
  }

  /** A block sequence whose first `-` is on the current line at column `indent`. */
  private blockSeq(indent: number): Parsed {
    this.enter();
    const items: SubsetNode[] = [];
    const value: unknown[] = [];
    let depth = 0;
    const first = this.lines[this.at]!;
    let end = first.start + indent;
    for (;;) {
      const line = this.lines[this.at]!;
      const content = line.start + indent + 2;
      // `-` alone or followed by more than one space, a nested `- `, or a block on the next lines: `yaml`'s.
      if (content > line.end || this.text[content] === ' ') outside();
      let item: Parsed & { end: number };
      if (this.isSeqEntry({ ...line, indent: indent + 2 })) outside();
      if (this.startsMapEntry(content, line.end)) {
        const map = this.blockMap(indent + 2, content);
        item = { ...map, end: map.node.range[1] };
      } else {
        item = this.inlineValue(content, line);
        this.at++;
      }
      items.push(item.node);
      value.push(item.value);
      depth = Math.max(depth, item.depth + 1);
      end = item.end;
      const comment = this.skipToContent();
      const nextLine = this.lines[this.at];
      if (!nextLine || nextLine.indent < indent) {
        this.closeCollection(indent, comment);
        break;
      }
      if (nextLine.indent > indent || !this.isSeqEntry(nextLine)) outside();
    }
    this.nesting--;
    return { node: { range: [first.start + indent, end], items }, value, depth };
  }

  /** The value after `key:` (at `from`, just past the colon) on `line`, or the block below it. */
  private entryValue(indent: number, from: number, line: Line): Parsed & { end: number } {
    let at = from;
    while (this.text.charCodeAt(at) === 32) at++;
    if (at < line.end && this.text[at] !== '#') {
      if (at === from) outside();
      const inline = this.inlineValue(at, line);
      this.at++;
      return inline;
    }
    // Nothing on the line (a comment there is `yaml`'s to place): a nested block collection, more
    // indented, must follow (comment lines before it are outside every node's range).
    if (at < line.end) outside();
    this.at++;
    this.skipToContent();
    const below = this.lines[this.at];
    if (!below || below.indent <= indent) return outside();
    const nested = this.isSeqEntry(below) ? this.blockSeq(below.indent) : this.blockMap(below.indent, below.start + below.indent);
    return { ...nested, end: nested.node.range[1] };
  }

  /** A value written on the rest of a line: flow collection, quoted or plain scalar, then at most a comment. */
  private inlineValue(at: number, line: Line): Parsed & { end: number } {
    const c = this.text[at];
    const parsed = c === '[' || c === '{' ? this.flow(at, line.end) : this.scalar(at, line.end, false);
    let after = parsed.node.range[1];
    while (this.text.charCodeAt(after) === 32) after++;
    if (after < line.end && !(this.text[after] === '#' && after > parsed.node.range[1])) outside();
    return { ...parsed, end: line.next };
  }

  /** True when a `key:` starts at `at` (so a sequence item holds a map). */
  private startsMapEntry(at: number, lineEnd: number): boolean {
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.text.indexOf(c, at + 1);
      return close > 0 && close < lineEnd && this.text[close + 1] === ':';
    }
    if (c === '[' || c === '{') return false;
    const colon = this.text.indexOf(':', at);
    return colon >= 0 && colon < lineEnd && (colon + 1 === lineEnd || this.text[colon + 1] === ' ');
  }

  /** Where the `:` ending the key that starts at `at` is. */
  private keyEnd(at: number, lineEnd: number): number {
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.text.indexOf(c, at + 1);
      if (close < 0 || close >= lineEnd || this.text[close + 1] !== ':') outside();
      return close + 1;
    }
    const colon = this.text.indexOf(':', at);
    if (colon < 0 || colon >= lineEnd || !(colon + 1 === lineEnd || this.text[colon + 1] === ' ')) outside();
    return colon;
  }

  /** A quoted or plain scalar from `at`, ending before `limit` (plain: before ` #` or the limit). */
  private scalar(at: number, limit: number, inFlow: boolean): Parsed {
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.text.indexOf(c, at + 1);
      if (close < 0 || close >= limit) outside();
      const inner = this.text.slice(at + 1, close);
      // Escapes (`\` in double quotes, `''` in single) are `yaml`'s to read.
      if ((c === '"' && inner.includes('\\')) || (c === "'" && this.text[close + 1] === "'")) outside();
      return { node: { range: [at, close + 1] }, value: inner, depth: 0 };
    }
    let end = at;
    while (end < limit) {
      const ch = this.text[end];
      if (ch === '#' && this.text[end - 1] === ' ') break;
      if (inFlow && (ch === ',' || ch === ']' || ch === '}' || ch === ':')) break;
      if (!inFlow && ch === ':' && (end + 1 === limit || this.text[end + 1] === ' ')) outside();
      end++;
    }
    while (end > at && this.text.charCodeAt(end - 1) === 32) end--;
    const text = this.text.slice(at, end);
    if (text === '' || INDICATOR.test(text)) outside();
    return { node: { range: [at, end] }, value: plainValue(text), depth: 0 };
  }

  /** A one-line flow collection starting at `at` (`[` or `{`); `lineEnd` bounds it. */
  private flow(at: number, lineEnd: number): Parsed {
    this.enter();
    const isMap = this.text[at] === '{';
    const close = isMap ? '}' : ']';
    const entries = new Map<string, { key: SubsetNode; value: SubsetNode }>();
    const items: SubsetNode[] = [];
    const object: Record<string, unknown> = {};
    const array: unknown[] = [];
    let depth = 0;
    let i = this.skipSpaces(at + 1, lineEnd);
    for (;;) {
      if (this.text[i] === close) break;
      if (isMap) {
        const key = this.scalar(i, lineEnd, true);
        if (typeof key.value !== 'string' || key.value === '__proto__' || entries.has(key.value) || this.text[key.node.range[1]] !== ':') outside();
        i = key.node.range[1] + 1;
        if (this.text[i] !== ' ') outside();
        i = this.skipSpaces(i, lineEnd);
        const item = this.flowItem(i, lineEnd);
        entries.set(key.value as string, { key: key.node, value: item.node });
        object[key.value as string] = item.value;
        depth = Math.max(depth, item.depth + 1);
        i = item.node.range[1];
      } else {
        const item = this.flowItem(i, lineEnd);
        items.push(item.node);
        array.push(item.value);
        depth = Math.max(depth, item.depth + 1);
        i = item.node.range[1];
      }
      i = this.skipSpaces(i, lineEnd);
      if (this.text[i] === close) break;
      if (this.text[i] !== ',') outside();
      i = this.skipSpaces(i + 1, lineEnd);
      // A trailing comma or an empty entry: `yaml`'s to judge.
      if (this.text[i] === ',' || this.text[i] === close) outside();
    }
    this.nesting--;
    return { node: isMap ? { range: [at, i + 1], entries } : { range: [at, i + 1], items }, value: isMap ? object : array, depth };
  }

  private flowItem(at: number, lineEnd: number): Parsed {
    const c = this.text[at];
    const item = c === '[' || c === '{' ? this.flow(at, lineEnd) : this.scalar(at, lineEnd, true);
    // `[a: 1]` (a one-pair map in a sequence) and `{a: b: c}` are `yaml`'s.
    if (this.text[item.node.range[1]] === ':') outside();
    return item;
  }

  private skipSpaces(at: number, lineEnd: number): number {
    while (at < lineEnd && this.text.charCodeAt(at) === 32) at++;
    if (at >= lineEnd) outside();
    return at;
  }
}

/** Text `yaml` reads in ways the subset does not follow line by line. */
const OUTSIDE_TEXT = /[\t\r\uFEFF]|^(?:---|\.\.\.|%)/m;

/** The document, or undefined when the text is not in the subset (then parse it with `yaml`). */
export function parseYamlSubset(text: string): SubsetDocument | undefined {
  if (OUTSIDE_TEXT.test(text)) return undefined;
  try {
    const { node, value, depth } = new Reader(text).document();
    return { root: node, value, depth };
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}
