import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { SourceText } from '../diagnostics/source-text.ts';
import type { SourceSpan } from '../diagnostics/span.ts';
import { nodeSpan } from '../yaml/index.ts';

/**
 * A patch document as located values: every map, sequence and scalar keeps the span of the file it
 * was written in, so after `_include` merging an operation still points at its own line.
 */
export type PatchValue = PatchMap | PatchSeq | PatchScalar;

export interface PatchEntry {
  readonly key: string;
  readonly keySpan: SourceSpan;
  value: PatchValue;
}

export interface PatchMap {
  readonly kind: 'map';
  readonly span: SourceSpan;
  /** In document order; `_include` merging appends and edits in place. */
  entries: PatchEntry[];
  /** File the map was written in: `_include` paths resolve from it. */
  readonly file: string;
}

export interface PatchSeq {
  readonly kind: 'seq';
  readonly span: SourceSpan;
  items: PatchValue[];
}

export interface PatchScalar {
  readonly kind: 'scalar';
  readonly span: SourceSpan;
  readonly value: string | number | boolean | null;
}

/** A patch failure: stable code, message, the patch location. Operations throw it; the engine turns it into a diagnostic. */
export class PatchError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly span: SourceSpan | undefined,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Values one patch file may expand to: aliases are expanded, and nested aliases could otherwise grow exponentially. */
export const MAX_PATCH_VALUES = 2_000_000;

/** Converts a parsed yaml document into located patch values (aliases resolved, keys as strings). */
export function toPatchValue(node: unknown, doc: Document.Parsed, source: SourceText, depth = 0, budget = { left: MAX_PATCH_VALUES }): PatchValue {
  if (depth > 64) throw new PatchError('patch/bad-yaml', 'the patch nests deeper than 64 levels', nodeSpan(source, node));
  if (--budget.left < 0) throw new PatchError('patch/bad-yaml', `the patch expands to more than ${MAX_PATCH_VALUES} values (aliases?)`, nodeSpan(source, node));
  if (isAlias(node)) return toPatchValue(node.resolve(doc), doc, source, depth + 1, budget);
  if (isMap(node)) {
    const entries: PatchEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        throw new PatchError('patch/bad-yaml', 'a patch key must be a name (a plain string)', nodeSpan(source, keyNode ?? node));
      }
      const value =
        pair.value === null || pair.value === undefined
          ? { kind: 'scalar' as const, span: nodeSpan(source, keyNode), value: null }
          : toPatchValue(pair.value, doc, source, depth + 1, budget);
      entries.push({ key: String(keyNode.value), keySpan: nodeSpan(source, keyNode), value });
    }
    return { kind: 'map', span: nodeSpan(source, node), entries, file: source.file };
  }
  if (isSeq(node)) return { kind: 'seq', span: nodeSpan(source, node), items: node.items.map((item) => toPatchValue(item, doc, source, depth + 1, budget)) };
  if (isScalar(node)) {
    const v = node.value;
    const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;
    return { kind: 'scalar', span: nodeSpan(source, node), value };
  }
  return { kind: 'scalar', span: nodeSpan(source, node), value: null };
}

// ---- typed access, with svdtools' conversions and located errors ----

export function entry(map: PatchMap, key: string): PatchEntry | undefined {
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

export function get(map: PatchMap, key: string): PatchValue | undefined {
  return entry(map, key)?.value;
}

export function has(map: PatchMap, key: string): boolean {
  return entry(map, key) !== undefined;
}

const EMPTY_MAP_FILE = '';

/** A map value; null (`KEY:` with nothing) counts as an empty map, as svdtools' `{}`. */
export function asMap(value: PatchValue, what: string): PatchMap {
  if (value.kind === 'map') return value;
  if (value.kind === 'scalar' && value.value === null) return { kind: 'map', span: value.span, entries: [], file: EMPTY_MAP_FILE };
  throw new PatchError('patch/bad-value', `${what} must be a mapping`, value.span);
}

export function getMap(map: PatchMap, key: string): PatchMap | undefined {
  const v = get(map, key);
  return v === undefined ? undefined : asMap(v, key);
}

/** Entries of a map-valued key (absent or not a map: none), as svdtools' `hash_iter`. */
export function mapEntries(map: PatchMap, key: string): PatchEntry[] {
  const v = get(map, key);
  return v?.kind === 'map' ? v.entries : [];
}

/** A string, or a list of strings (non-strings skipped), as svdtools' `str_vec_iter`. */
export function stringList(map: PatchMap, key: string): { value: string; span: SourceSpan }[] {
  const v = get(map, key);
  if (v === undefined) return [];
  if (v.kind === 'scalar') return typeof v.value === 'string' ? [{ value: v.value, span: v.span }] : [];
  if (v.kind === 'seq') return v.items.flatMap((i) => (i.kind === 'scalar' && typeof i.value === 'string' ? [{ value: i.value, span: i.span }] : []));
  return [];
}

/** A text value; numbers and booleans are written as YAML shows them (svdtools wants strings; `version: 1.1` is accepted here). */
export function asString(value: PatchValue, what: string): string {
  if (value.kind === 'scalar' && value.value !== null) return String(value.value);
  throw new PatchError('patch/bad-value', `${what} must be a string`, value.span);
}

export function getString(map: PatchMap, key: string): string | undefined {
  const v = get(map, key);
  return v === undefined ? undefined : asString(v, key);
}

/** svdtools' integers: YAML ints, or strings in decimal, 0x hex, 0b / # binary (x = 0), `_` separators. */
export function parseInteger(value: PatchValue): number | undefined {
  if (value.kind !== 'scalar') return undefined;
  if (typeof value.value === 'number') return Number.isInteger(value.value) ? value.value : undefined;
  if (typeof value.value !== 'string') return undefined;
  const text = value.value.replace(/_/g, '');
  let m: RegExpExecArray | null;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(text))) return parseInt(m[1] as string, 16);
  if ((m = /^(?:#|0b)([01xX]+)$/.exec(text))) return parseInt((m[1] as string).replace(/[xX]/g, '0'), 2);
  if (/^[+-]?\d+$/.test(text)) return parseInt(text, 10);
  return undefined;
}

export function asInteger(value: PatchValue, what: string): number {
  const n = parseInteger(value);
  if (n === undefined) throw new PatchError('patch/bad-value', `${what} must be an integer`, value.span);
  return n;
}

export function getInteger(map: PatchMap, key: string): number | undefined {
  const v = get(map, key);
  return v === undefined ? undefined : asInteger(v, key);
}

export function getBool(map: PatchMap, key: string): boolean | undefined {
  const v = get(map, key);
  if (v === undefined) return undefined;
  if (v.kind === 'scalar') {
    if (v.value === true || v.value === 1 || v.value === 'true' || v.value === 'True') return true;
    if (v.value === false || v.value === 0 || v.value === 'false' || v.value === 'False') return false;
  }
  throw new PatchError('patch/bad-value', `${key} must be true or false`, v.span);
}
