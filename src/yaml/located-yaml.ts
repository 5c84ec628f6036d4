import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ZodType } from 'zod';
import type { SourceSpan } from '../diagnostics/span.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { SourceText } from '../diagnostics/source-text.ts';
import { parseYamlSubset, type SubsetNode } from './yaml-subset.ts';

/**
 * YAML with locations: every spec file (hardware, driver contract, config, profile, project) is read
 * through here, so a zod issue path like `peripherals.UART0.registers.CTRL.offset` comes back as
 * `file:line:col` pointing at the offending value (or at the key, for unknown or missing keys).
 */
export interface LocatedYaml {
  readonly source: SourceText;
  readonly document: Document.Parsed;
  /** Span of the value at `path`, or of its key when `at` is 'key'. Falls back to the nearest parent. */
  span(path: readonly PropertyKey[], at?: 'value' | 'key'): SourceSpan;
}

export interface YamlLimits {
  readonly maxBytes: number;
  /** yaml's own alias expansion guard (billion laughs). */
  readonly maxAliasCount: number;
  readonly maxDepth: number;
}

export const defaultYamlLimits: YamlLimits = { maxBytes: 64 * 1024 * 1024, maxAliasCount: 100, maxDepth: 128 };

/**
 * An integer beyond 2^53 (a 64-bit reset mask of all ones) has no exact JavaScript number: such a
 * scalar keeps its source text (`0xFFFFFFFFFFFFFFFF`), which the schema reads as a bigint where a
 * value may be that wide and refuses as out of range elsewhere.
 */
function keepWideIntegersExact(root: unknown): void {
  // Iterative, like depthOf: it runs on documents of any shape before their conversion.
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isScalar(node)) {
      if (
        typeof node.value === 'number' &&
        Number.isInteger(node.value) &&
        !Number.isSafeInteger(node.value) &&
        typeof node.source === 'string' &&
        /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(node.source)
      ) {
        node.value = node.source;
      }
      continue;
    }
    for (const child of childNodes(node)) stack.push(child);
  }
}

/** The [start, end) offsets of a `yaml` node, if it has a range. */
export function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/**
 * The span of a `yaml` node, from its start to its end (at least one character; the renderer
 * underlines a value spanning several lines to the end of its first); the file's start when the
 * node has no range. Every reader of located YAML (specs, located values, svdtools patches) uses it.
 */
export function nodeSpan(source: SourceText, node: unknown): SourceSpan {
  const range = rangeOf(node);
  return range ? source.span(range[0], Math.max(range[0] + 1, range[1])) : source.span(0);
}

/**
 * Where block nesting first goes deeper than `maxDepth`, found line by line before parsing: the
 * yaml parser recurses once per level and overflows the stack at a few thousand levels of block
 * mappings. Each line deeper than the one before opens a level, each `- ` entry one more; this
 * over-counts a little (a multi-line scalar is one more level), never under-counts.
 */
export function blockDepthExceeded(text: string, maxDepth: number): number | undefined {
  const indents: number[] = [];
  const lineStart = /( *)((?:- +)*)(.?)/y;
  for (let start = 0; start < text.length; start = text.indexOf('\n', start) + 1 || text.length) {
    lineStart.lastIndex = start;
    const m = lineStart.exec(text)!;
    const content = m[3] ?? '';
    if (content === '' || content === '#' || content === '\n' || content === '\r') continue;
    let indent = m[1]!.length;
    while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
    indents.push(indent);
    // Each `- ` opens a sequence and an entry nested inside it.
    for (const dash of m[2]!.match(/- +/g) ?? []) indents.push((indent += dash.length));
    if (indents.length > maxDepth) return start + m[1]!.length;
  }
  return undefined;
}

export function locateYaml(text: string, file: string, maxDepth: number = defaultYamlLimits.maxDepth): { located: LocatedYaml; diagnostics: Diagnostic[] } {
  const tooDeep = blockDepthExceeded(text, maxDepth);
  if (tooDeep !== undefined) {
    const refused = locateYaml('', file, maxDepth);
    const span = new SourceText(file, text).span(tooDeep, tooDeep + 1);
    return {
      located: refused.located,
      diagnostics: [{ code: 'limits/too-deep', severity: 'error', message: `the document nests deeper than ${maxDepth} levels`, span }],
    };
  }
  const source = new SourceText(file, text);
  const lineCounter = new LineCounter();
  // uniqueKeys is checked by duplicateKeys below: yaml's own check is quadratic in the keys of a map
  // (a 30 000-key file took 20 s), which a hostile file turns into a hang.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, version: '1.2' });
  const diagnostics: Diagnostic[] = [];
  duplicateKeys(document.contents, source, diagnostics);
  for (const error of document.errors) {
    diagnostics.push({
      code: error.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
      severity: 'error',
      message: error.message.split('\n')[0] ?? error.message,
      span: source.span(error.pos[0], error.pos[1]),
    });
  }
  for (const warning of document.warnings) {
    diagnostics.push({
      code: 'yaml/warning',
      severity: 'warning',
      message: warning.message.split('\n')[0] ?? '',
      span: source.span(warning.pos[0], warning.pos[1]),
    });
  }
  // Key → pair per map, built on first lookup: loaders ask for a span per node, and a linear search
  // of a map's items per lookup made converting a many-register spec quadratic.
  const indexes = new WeakMap<object, Map<string, { key: unknown; value: unknown }>>();
  const pairOf = (map: { items: unknown[] }, key: string): { key: unknown; value: unknown } | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items)
        if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), { key: p.key, value: p.value });
      indexes.set(map, index);
    }
    return index.get(key);
  };
  const span = spanFinder(source, document.contents, (node, segment) => {
    if (isMap(node)) return pairOf(node, String(segment));
    if (isSeq(node) && typeof segment === 'number') return { value: node.items[segment] };
    return undefined;
  });
  return { located: { source, document, span }, diagnostics };
}

/**
 * The span of the node at a path, or of its key when `at` is 'key'; the nearest parent's when the
 * path goes further than the document. One walk for both trees (`yaml`'s nodes and the subset
 * reader's): `child` gives the key and value nodes under one path segment.
 */
function spanFinder(
  source: SourceText,
  root: unknown,
  child: (node: unknown, segment: PropertyKey) => { key?: unknown; value?: unknown } | undefined,
): LocatedYaml['span'] {
  return (path, at = 'value') => {
    let node: unknown = root;
    let best = rangeOf(node) ?? [0, 0];
    for (let i = 0; i < path.length; i++) {
      const found = child(node, path[i] as PropertyKey);
      const next = found?.value;
      const keyNode = found?.key;
      if (next === undefined && keyNode === undefined) break;
      const isLast = i === path.length - 1;
      const chosen = isLast && at === 'key' && keyNode !== undefined ? keyNode : (next ?? keyNode);
      best = rangeOf(chosen) ?? best;
      node = next;
      if (node === undefined) break;
    }
    // A value spanning several lines is shown from its start to the end of that line.
    return source.span(best[0], Math.max(best[0] + 1, best[1]));
  };
}

/**
 * The subset reader's document (yaml-subset.ts) as located YAML, or undefined when the text is not
 * in the subset or goes past a limit: then `yaml` parses it and reports whatever is wrong, as before.
 * `document` (the `yaml` tree) is parsed only if a caller asks for it.
 */
export function locateSubset(text: string, file: string, maxDepth: number): { located: LocatedYaml; value: unknown } | undefined {
  if (blockDepthExceeded(text, maxDepth) !== undefined) return undefined;
  const subset = parseYamlSubset(text);
  if (!subset || subset.depth > maxDepth) return undefined;
  const source = new SourceText(file, text);
  let document: Document.Parsed | undefined;
  const span = spanFinder(source, subset.root, (node, segment) => {
    const { entries, items } = node as SubsetNode;
    if (entries) return entries.get(String(segment));
    if (items && typeof segment === 'number') return { value: items[segment] };
    return undefined;
  });
  const located: LocatedYaml = {
    source,
    get document() {
      document ??= locateYaml(text, file, maxDepth).located.document;
      return document;
    },
    span,
  };
  return { located, value: subset.value };
}

/** Children of a collection node (map values, sequence items); none for scalars and aliases. */
function childNodes(node: unknown): readonly unknown[] {
  if (isMap(node)) return node.items.map((p) => p.value);
  if (isSeq(node)) return node.items;
  return [];
}

/**
 * Reports repeated keys in every map, in one linear pass with an explicit stack (so neither wide
 * nor deep documents can overflow the call stack). Keys compare as yaml's own check does: scalars
 * by type and value.
 */
function duplicateKeys(root: unknown, source: SourceText, diagnostics: Diagnostic[]): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const key = `${typeof pair.key.value}:${String(pair.key.value)}`;
          const range = rangeOf(pair.key);
          if (seen.has(key) && range)
            diagnostics.push({ code: 'yaml/duplicate-key', severity: 'error', message: 'Map keys must be unique', span: source.span(range[0], range[1]) });
          seen.add(key);
        }
      }
    }
    for (const child of childNodes(node)) stack.push(child);
  }
}

/**
 * The deepest nesting of collections (stopping past `limit`), to refuse hostile documents before
 * converting them. Iterative: a recursive walk, or a `Math.max(...children)` spread, overflows the
 * call stack on a 300 000-item sequence.
 */
function depthOf(root: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of childNodes(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** `yaml`'s way: parse, check depth, keep wide integers, convert (aliases bounded). */
export function readWithYaml(
  text: string,
  file: string,
  limits: YamlLimits,
): { located: LocatedYaml; diagnostics: Diagnostic[]; data: unknown } | SchemaLoadResult<never> {
  const { located, diagnostics } = locateYaml(text, file, limits.maxDepth);
  if (diagnostics.some((d) => d.severity === 'error')) return { value: undefined, located, diagnostics };
  if (depthOf(located.document.contents, limits.maxDepth) > limits.maxDepth) {
    diagnostics.push({
      code: 'limits/too-deep',
      severity: 'error',
      message: `the document nests deeper than ${limits.maxDepth} levels`,
      span: located.span([]),
    });
    return { value: undefined, located, diagnostics };
  }
  keepWideIntegersExact(located.document.contents);
  let data: unknown;
  try {
    data = located.document.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    diagnostics.push({
      code: 'yaml/alias-limit',
      severity: 'error',
      message: `the document expands too many aliases (${(error as Error).message}); the limit is ${limits.maxAliasCount}`,
      span: located.span([]),
    });
    return { value: undefined, located, diagnostics };
  }
  return { located, diagnostics, data };
}

export interface SchemaLoadResult<T> {
  readonly value: T | undefined;
  readonly diagnostics: Diagnostic[];
  readonly located: LocatedYaml;
}

/**
 * Parses YAML and checks it against a zod schema. Every zod issue becomes a diagnostic at the YAML
 * position of its path; `codePrefix` makes codes like `hardware/invalid-value`.
 */
export function loadYamlWithSchema<T>(
  text: string,
  file: string,
  schema: ZodType<T>,
  codePrefix: string,
  limits: YamlLimits = defaultYamlLimits,
): SchemaLoadResult<T> {
  if (text.length > limits.maxBytes) {
    const { located } = locateYaml('', file);
    return {
      value: undefined,
      located,
      diagnostics: [
        {
          code: 'limits/file-too-large',
          severity: 'error',
          message: `${file} is ${text.length} bytes; the limit is ${limits.maxBytes}`,
          span: located.span([]),
        },
      ],
    };
  }
  const subset = locateSubset(text, file, limits.maxDepth);
  const read = subset ? { located: subset.located, diagnostics: [] as Diagnostic[], data: subset.value } : readWithYaml(text, file, limits);
  if (!('data' in read)) return read;
  const { located, diagnostics, data } = read;
  // reportInput: zod 4 leaves `input` off issues by default, and a missing key is told apart by its absent input.
  // jitless: zod 4 otherwise compiles each object schema with `new Function` on its first parse,
  // which V8's code cache cannot keep; measured, it costs a small spec's start 4-5 ms of CPU and
  // saves nothing on a 3 MB spec (docs/performance.md).
  const parsed = schema.safeParse(data, { reportInput: true, jitless: true });
  if (parsed.success) return { value: parsed.data, located, diagnostics };
  for (const issue of parsed.error.issues) {
    diagnostics.push(...zodIssueToDiagnostics(issue as ZodIssueLike, located, codePrefix));
  }
  return { value: undefined, located, diagnostics };
}

interface ZodIssueLike {
  readonly code: string;
  readonly errors?: readonly (readonly ZodIssueLike[])[];
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly expected?: unknown;
  readonly values?: readonly unknown[];
  readonly input?: unknown;
}

const issueCodes: Record<string, string> = {
  unrecognized_keys: 'unknown-key',
  invalid_type: 'invalid-type',
  invalid_value: 'invalid-value',
  invalid_union: 'invalid-value',
  invalid_format: 'invalid-value',
  too_small: 'out-of-range',
  too_big: 'out-of-range',
};

/**
 * A union failure says only "Invalid input". Report instead the branch that got furthest (its first
 * issue has the longest path, then it has the fewest issues): that is the one the author meant.
 */
function closestUnionBranch(issue: ZodIssueLike): ZodIssueLike[] | undefined {
  let best: { issues: readonly ZodIssueLike[]; depth: number } | undefined;
  for (const branch of issue.errors ?? []) {
    if (branch.length === 0) continue;
    const depth = Math.max(...branch.map((i) => i.path.length + (i.code === 'unrecognized_keys' ? 1 : 0)));
    if (!best || depth > best.depth || (depth === best.depth && branch.length < best.issues.length)) best = { issues: branch, depth };
  }
  return best?.issues.map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
}

function zodIssueToDiagnostics(issue: ZodIssueLike, located: LocatedYaml, prefix: string): Diagnostic[] {
  if (issue.code === 'invalid_union') {
    const branch = closestUnionBranch(issue);
    const useful = branch?.some((i) => i.path.length > issue.path.length || i.code === 'unrecognized_keys');
    if (branch && useful) return branch.flatMap((i) => zodIssueToDiagnostics(i, located, prefix));
  }
  return [zodIssueToDiagnostic(issue, located, prefix)];
}

function zodIssueToDiagnostic(issue: ZodIssueLike, located: LocatedYaml, prefix: string): Diagnostic {
  const where = issue.path.map(String).join('.') || '(document)';
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    const key = issue.keys[0] as string;
    return {
      code: `${prefix}/unknown-key`,
      severity: 'error',
      message: `unknown key ${JSON.stringify(key)} in ${where}`,
      span: located.span([...issue.path, key], 'key'),
      hint: 'check the spelling; the published JSON Schema lists the allowed keys',
    };
  }
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined;
  if (missing) {
    const last = issue.path[issue.path.length - 1];
    return {
      code: `${prefix}/missing-key`,
      severity: 'error',
      message: `missing required key ${JSON.stringify(String(last))} in ${issue.path.slice(0, -1).map(String).join('.') || '(document)'}`,
      span: located.span(issue.path.slice(0, -1), 'key'),
    };
  }
  const code = issueCodes[issue.code] ?? 'invalid';
  // YAML's classic trap: on/off/yes/no are strings in YAML 1.2 but users expect booleans, and vice versa.
  return { code: `${prefix}/${code}`, severity: 'error', message: `${where}: ${issue.message}`, span: located.span(issue.path) };
}
