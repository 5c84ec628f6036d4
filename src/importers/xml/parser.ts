import type { Diagnostic, StageResult } from '../../diagnostics/types.ts';
import { SourceText } from '../../diagnostics/source-text.ts';
import type { SourceSpan } from '../../diagnostics/span.ts';

/**
 * A hand-written XML tokenizer that builds a light element tree in one pass over the string.
 *
 * Why not a DOM or an object-tree library: the largest real SVD (STM32N657) is 24 MB; an object-tree
 * parser alone spends more than the whole import budget (see notes/performance.md). This parser
 * keeps only what register-map importers read: element names, attributes, character data and the
 * byte offset of every element (turned into line:col lazily through `SourceText`).
 *
 * Safety: a DOCTYPE that declares entities or names an external DTD is refused (entity expansion is
 * how "billion laughs" and XXE attacks work); only the five predefined entities and numeric character
 * references are decoded. Size, depth and element count are capped. Malformed input gives one located
 * `xml/...` error (XML well-formedness errors are fatal by the XML spec) and never an exception.
 */

export interface XmlElement {
  /** Qualified name as written (`ipxact:register`). */
  readonly name: string;
  /** Name without the namespace prefix (`register`). */
  readonly local: string;
  /** Attributes with entities decoded; undefined when the element has none (most SVD elements). */
  readonly attributes: Readonly<Record<string, string>> | undefined;
  /** Child elements; leaves share one frozen empty array (most elements are leaves, and this halves the allocations). */
  children: readonly XmlElement[];
  /** Character data directly inside the element (CDATA included), entities decoded. */
  text: string;
  /** Offset of the `<` of the start tag. */
  readonly start: number;
  /** Offset of the first character of the text content (for pointing at bad values). */
  textStart: number;
  /**
   * The span of the start tag's name, once a converter has asked for it: elements a derived
   * peripheral or register shares with its base are converted once per copy, and the copies share it.
   */
  span?: SourceSpan;
}

export interface XmlDocument {
  readonly root: XmlElement;
  readonly source: SourceText;
  /** Number of elements in the document. */
  readonly elementCount: number;
}

export interface XmlLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly maxElements: number;
}

const NO_CHILDREN: readonly XmlElement[] = Object.freeze([]);

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class XmlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
    readonly endOffset: number = offset + 1,
    readonly related?: { readonly message: string; readonly offset: number },
  ) {
    super(message);
  }
}

const isWhitespaceCode = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    // Compared in line, not through isWhitespaceCode: the tokenizer runs mostly before it is optimized, where a call per character costs.
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return true;
}

/**
 * Name characters: anything but whitespace and the markup delimiters (strict XML NameChar checking
 * is not needed to be safe). 1 for the ASCII characters that end a name.
 */
const NAME_END = new Uint8Array(128);
for (const c of [32, 10, 13, 9, 62, 47, 61, 60]) NAME_END[c] = 1;

/** The offset of the first character from `i` that ends a name (or the end of the text), by the table: no call per character. */
function nameEnd(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c < 128 ? NAME_END[c] === 1 : Number.isNaN(c) /* the end of the text */) return i;
    i++;
  }
}

/** The offset of the first character from `i` that is not XML whitespace. */
function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return i;
    i++;
  }
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c > 127;
}

/** Decodes the 5 predefined entities and numeric character references in `raw` (which starts at `offset`). */
function decodeEntities(raw: string, offset: number): string {
  let out = '';
  let last = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', last)) {
    out += raw.slice(last, amp);
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > 12)
      throw new XmlError('xml/bad-entity', 'a "&" must start an entity reference such as &amp; (write & as &amp;)', offset + amp);
    const name = raw.slice(amp + 1, semi);
    if (name.charCodeAt(0) === 35 /* # */) {
      const hex = name.charCodeAt(1) === 120 /* x */;
      const digits = name.slice(hex ? 2 : 1);
      const valid = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
      const code = valid ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!valid || !isXmlChar(code)) {
        throw new XmlError('xml/bad-char-ref', `&${name}; is not a character XML allows`, offset + amp, offset + semi + 1);
      }
      out += String.fromCodePoint(code);
    } else {
      const replacement = PREDEFINED[name];
      if (replacement === undefined) {
        throw new XmlError(
          'xml/unknown-entity',
          `unknown entity &${name}; (only &lt; &gt; &amp; &quot; &apos; and numeric references are allowed)`,
          offset + amp,
          offset + semi + 1,
        );
      }
      out += replacement;
    }
    last = semi + 1;
  }
  return out + raw.slice(last);
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** XML 1.0 §2.11: CRLF and lone CR become LF in parsed character data. */
function normaliseNewlines(s: string): string {
  return s.indexOf('\r') === -1 ? s : s.replace(/\r\n?/g, '\n');
}

function textValue(raw: string, offset: number): string {
  const normalised = normaliseNewlines(raw);
  return normalised.indexOf('&') === -1 ? normalised : decodeEntities(normalised, offset);
}

/** Parses a whole document. Errors are located diagnostics; the value is undefined on any error. */
export function parseXml(text: string, file: string, limits: XmlLimits): StageResult<XmlDocument> {
  const source = new SourceText(file, text);
  const fail = (code: string, message: string, start: number, end?: number, related?: XmlError['related']): StageResult<XmlDocument> => ({
    value: undefined,
    diagnostics: [
      {
        code,
        severity: 'error',
        message,
        span: source.span(start, end ?? start + 1),
        ...(related ? { related: [{ message: related.message, span: source.span(related.offset) }] } : {}),
      } satisfies Diagnostic,
    ],
  });
  if (text.length > limits.maxBytes) return fail('limits/file-too-large', `the document is ${text.length} characters; the limit is ${limits.maxBytes}`, 0);
  try {
    const { root, count } = tokenize(text, limits);
    return { value: { root, source, elementCount: count }, diagnostics: [] };
  } catch (error) {
    if (error instanceof XmlError) return fail(error.code, error.message, error.offset, error.endOffset, error.related);
    throw error;
  }
}

function tokenize(text: string, limits: XmlLimits): { root: XmlElement; count: number } {
  const length = text.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const tagNames = new TagNames();
  // The children of every open element, in one stack: an element's array is made once, at its end
  // tag, at its exact length (pushing into a growing array per element left up to 17 slots for a
  // field's 5 children, and the garbage of each growth).
  const pending: XmlElement[] = [];
  let pendingTop = 0;
  // Where the children of the open element at each depth start in `pending`.
  const childFrom: number[] = [];
  const hasChildren = (depth: number): boolean => pendingTop > (childFrom[depth] as number);

  // Blank text at the start of the open element, kept as offsets: if a child element follows (the
  // common case: indentation before the first child) it is not content and no string is made.
  let blankFrom = -1;
  let blankTo = -1;
  const flushBlank = (): void => {
    if (blankFrom === -1) return;
    const from = blankFrom;
    blankFrom = -1;
    addText(from, blankTo);
  };
  // The blank run dropped at each open depth, in case text follows a child (mixed content keeps it).
  const droppedFrom: number[] = [];
  const droppedTo: number[] = [];
  const dropBlank = (): void => {
    if (blankFrom === -1) return;
    const depth = stack.length - 1;
    // Where the text would have started: after the blank run, as if it had been appended.
    (stack[depth] as XmlElement).textStart = blankTo;
    droppedFrom[depth] = blankFrom;
    droppedTo[depth] = blankTo;
    blankFrom = -1;
  };
  const appendText = (from: number, to: number, raw?: string): void => {
    const current = stack[stack.length - 1];
    if (!current) {
      if (raw === undefined && isBlank(text, from, to)) return;
      throw new XmlError('xml/text-outside-root', 'text outside the root element', from);
    }
    // Indentation between child elements is not content; skipping it keeps memory low on big files.
    if (raw === undefined && hasChildren(stack.length - 1) && isBlank(text, from, to)) return;
    if (raw === undefined && blankFrom === -1 && current.text === '' && isBlank(text, from, to)) {
      blankFrom = from;
      blankTo = to;
      return;
    }
    flushBlank();
    addText(from, to, raw);
  };
  const addText = (from: number, to: number, raw?: string): void => {
    const depth = stack.length - 1;
    const current = stack[depth] as XmlElement;
    const dropped = droppedFrom[depth] ?? -1;
    if (dropped !== -1 && current.text === '' && hasChildren(depth)) {
      droppedFrom[depth] = -1;
      current.text = textValue(text.slice(dropped, droppedTo[depth]), dropped);
    }
    if (current.text === '') {
      let first = from;
      while (first < to && isWhitespaceCode(text.charCodeAt(first))) first++;
      current.textStart = first;
    }
    current.text += raw ?? textValue(text.slice(from, to), from);
  };

  while (pos < length) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      appendText(pos, length);
      break;
    }
    if (lt > pos) appendText(pos, lt);
    const next = text.charCodeAt(lt + 1);
    if (next === 47 /* / */) {
      const gt = text.indexOf('>', lt + 2);
      if (gt === -1) throw new XmlError('xml/unexpected-eof', 'the document ends inside an end tag', lt, length);
      flushBlank();
      const open = stack.pop();
      // Compared in place first: no string per end tag on the common path.
      if (open === undefined || !text.startsWith(open.name, lt + 2) || !isBlank(text, lt + 2 + open.name.length, gt)) {
        const name = text.slice(lt + 2, gt).trimEnd();
        if (!open) throw new XmlError('xml/unexpected-end-tag', `end tag </${name}> without a start tag`, lt, gt + 1);
        if (open.name !== name) {
          throw new XmlError('xml/mismatched-tag', `end tag </${name}> does not match the open element <${open.name}>`, lt, gt + 1, {
            message: `<${open.name}> opened here`,
            offset: open.start,
          });
        }
      }
      const from = childFrom[stack.length] as number;
      if (pendingTop > from) {
        open.children = pending.slice(from, pendingTop);
        pendingTop = from;
      }
      if (open.children.length > 0 && open.text !== '' && isBlank(open.text, 0, open.text.length)) open.text = '';
      pos = gt + 1;
    } else if (next === 33 /* ! */) {
      pos = markupDeclaration(text, lt, appendText, stack.length > 0 || root !== undefined);
    } else if (next === 63 /* ? */) {
      const close = text.indexOf('?>', lt + 2);
      if (close === -1) throw new XmlError('xml/unexpected-eof', 'the document ends inside a processing instruction', lt, length);
      pos = close + 2;
    } else {
      if (stack.length === 0 && root !== undefined) throw new XmlError('xml/multiple-roots', 'a second root element; an XML document has exactly one', lt);
      dropBlank();
      const element = startTag(text, lt, tagNames);
      count++;
      if (count > limits.maxElements) throw new XmlError('limits/too-many-elements', `more than ${limits.maxElements} elements`, lt);
      if (stack.length >= limits.maxDepth) throw new XmlError('limits/too-deep', `elements nest deeper than ${limits.maxDepth} levels`, lt);
      const parent = stack[stack.length - 1];
      if (parent) pending[pendingTop++] = element;
      else root = element;
      // Both kinds go on after the start tag (where a self-closing element's text would start).
      pos = element.textStart;
      if (!startTagClosed) {
        droppedFrom[stack.length] = -1;
        childFrom[stack.length] = pendingTop;
        stack.push(element);
      }
    }
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed)
    throw new XmlError(
      'xml/unexpected-eof',
      `the document ends before <${unclosed.name}> is closed`,
      unclosed.start,
      unclosed.start + unclosed.name.length + 1,
    );
  if (!root) throw new XmlError('xml/no-root', 'the document has no root element', 0);
  return { root, count };
}

/** Comments, CDATA and DOCTYPE. Returns the position after the construct. */
function markupDeclaration(text: string, lt: number, appendText: (from: number, to: number, raw?: string) => void, inOrAfterRoot: boolean): number {
  if (text.startsWith('<!--', lt)) {
    const close = text.indexOf('-->', lt + 4);
    if (close === -1) throw new XmlError('xml/unexpected-eof', 'the document ends inside a comment', lt, text.length);
    return close + 3;
  }
  if (text.startsWith('<![CDATA[', lt)) {
    const close = text.indexOf(']]>', lt + 9);
    if (close === -1) throw new XmlError('xml/unexpected-eof', 'the document ends inside a CDATA section', lt, text.length);
    appendText(lt + 9, close, normaliseNewlines(text.slice(lt + 9, close)));
    return close + 3;
  }
  if (text.startsWith('<!DOCTYPE', lt)) {
    if (inOrAfterRoot) throw new XmlError('xml/misplaced-doctype', 'a DOCTYPE must come before the root element', lt);
    return doctype(text, lt);
  }
  throw new XmlError('xml/bad-markup', 'unknown markup declaration (expected <!-- comment -->, <![CDATA[ ]]> or <!DOCTYPE>)', lt);
}

/**
 * A DOCTYPE is accepted only when it declares nothing that could expand: no internal-subset
 * `<!ENTITY`, and no SYSTEM/PUBLIC identifier (an external DTD can declare entities we cannot see).
 */
function doctype(text: string, lt: number): number {
  let i = lt + 9;
  let subsetStart = -1;
  let quote = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 91 /* [ */ && subsetStart === -1) subsetStart = i;
    else if (c === 93 /* ] */ && subsetStart !== -1) subsetStart = -2;
    else if (c === 62 /* > */ && subsetStart < 0) break;
  }
  if (i >= text.length) throw new XmlError('xml/unexpected-eof', 'the document ends inside a DOCTYPE', lt, text.length);
  const declaration = text.slice(lt, i + 1);
  if (/<!ENTITY/i.test(declaration)) {
    throw new XmlError(
      'xml/doctype-entities',
      'the DOCTYPE declares entities; entity declarations are refused (they allow entity-expansion and external-entity attacks)',
      lt,
      i + 1,
    );
  }
  const head = declaration.split('[')[0] ?? declaration;
  if (/\b(SYSTEM|PUBLIC)\b/.test(head)) {
    throw new XmlError('xml/doctype-entities', 'the DOCTYPE names an external DTD; external DTDs and entities are refused', lt, i + 1);
  }
  return i + 1;
}

/**
 * Element names seen so far, by length and first character. A register map repeats a few dozen tag
 * names hundreds of thousands of times; every element of one name shares one `name` and one `local`
 * string instead of two fresh copies that live as long as the tree.
 */
class TagNames {
  private readonly byKey = new Map<number, { readonly name: string; readonly local: string }[]>();

  get(text: string, start: number, end: number): { readonly name: string; readonly local: string } {
    const key = (end - start) * 65536 + text.charCodeAt(start);
    let list = this.byKey.get(key);
    if (list === undefined) {
      list = [];
      this.byKey.set(key, list);
    }
    for (const known of list) if (text.startsWith(known.name, start)) return known;
    const name = text.slice(start, end);
    const colon = name.indexOf(':');
    const entry = { name: internalized(name), local: internalized(colon === -1 ? name : name.slice(colon + 1)) };
    list.push(entry);
    return entry;
  }
}

/**
 * The engine's one shared copy of a string (V8 keeps property keys unique). Importers compare tag names
 * with literals (`c.local === 'bitOffset'`) millions of times; between two such copies that is a
 * pointer comparison instead of a character one.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0] ?? s;
}

/**
 * A copy of `element` without attributes and with other children (a derived SVD element laid over its
 * base), made by the same object literal as the tokenizer's elements: one hidden class for every
 * element keeps the converters' property reads monomorphic (a spread copy had a class of its own,
 * and each function reading both was compiled again).
 */
export function elementWithChildren(element: XmlElement, children: readonly XmlElement[]): XmlElement {
  const { name, local, text, start, textStart, span } = element;
  return { name, local, attributes: undefined, children, text, start, textStart, span };
}

/**
 * Whether the last start tag read was self-closing (`<a/>`): said beside the element rather than
 * in it, since no converter needs it and every field costs 8 bytes on each of STM32N657's 440 000 elements.
 */
let startTagClosed = false;

function startTag(text: string, lt: number, tagNames: TagNames): XmlElement {
  let i = lt + 1;
  if (!isNameStart(text.charCodeAt(i))) throw new XmlError('xml/bad-name', 'expected an element name after "<"', lt, lt + 2);
  i = nameEnd(text, i);
  const { name, local } = tagNames.get(text, lt + 1, i);
  let attributes: Record<string, string> | undefined;
  for (;;) {
    const wsStart = i;
    i = skipWhitespace(text, i);
    const c = text.charCodeAt(i);
    if (c === 62 /* > */) {
      startTagClosed = false;
      return { name, local, attributes, children: NO_CHILDREN, text: '', start: lt, textStart: i + 1, span: undefined };
    }
    if (c === 47 /* / */) {
      if (text.charCodeAt(i + 1) !== 62) throw new XmlError('xml/bad-tag', 'expected "/>"', i);
      startTagClosed = true;
      return { name, local, attributes, children: NO_CHILDREN, text: '', start: lt, textStart: i + 2, span: undefined };
    }
    if (Number.isNaN(c)) throw new XmlError('xml/unexpected-eof', `the document ends inside the start tag <${name}>`, lt, text.length);
    if (i === wsStart || !isNameStart(c)) throw new XmlError('xml/bad-tag', `unexpected character ${JSON.stringify(text[i])} in the start tag <${name}>`, i);
    const nameStart = i;
    i = nameEnd(text, i);
    const attrName = text.slice(nameStart, i);
    i = skipWhitespace(text, i);
    if (text.charCodeAt(i) !== 61 /* = */) throw new XmlError('xml/bad-attribute', `attribute ${attrName} needs a value ( ${attrName}="..." )`, nameStart, i);
    i++;
    i = skipWhitespace(text, i);
    const quote = text.charCodeAt(i);
    if (quote !== 34 && quote !== 39) throw new XmlError('xml/bad-attribute', `the value of attribute ${attrName} must be quoted`, i);
    const close = text.indexOf(quote === 34 ? '"' : "'", i + 1);
    if (close === -1) throw new XmlError('xml/unexpected-eof', `the document ends inside the value of attribute ${attrName}`, i, text.length);
    const raw = text.slice(i + 1, close);
    if (raw.indexOf('<') !== -1) throw new XmlError('xml/bad-attribute', `"<" is not allowed in an attribute value (write &lt;)`, i + 1 + raw.indexOf('<'));
    attributes ??= Object.create(null) as Record<string, string>;
    if (Object.hasOwn(attributes, attrName))
      throw new XmlError('xml/duplicate-attribute', `attribute ${attrName} appears twice`, nameStart, nameStart + attrName.length);
    // Attribute-value normalisation (XML §3.3.3): whitespace characters become spaces.
    attributes[attrName] = textValue(raw, i + 1).replace(/[\t\n]/g, ' ');
    i = close + 1;
  }
}
