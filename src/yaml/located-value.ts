import type { SourceSpan } from '../diagnostics/span.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { readCLiteral } from '../expr/constant/literals.ts';

/**
 * A parsed document where every value knows where it came from: the one located tree of formats
 * read by hand. The Hjson parser produces it, and located-value-from-yaml.ts converts the `yaml`
 * package's node tree into it (chiptool), so both importers read their input through the same
 * checked accessors (`ValueReader`) and every diagnostic has a span.
 */
export type LocatedValue = LocatedObject | LocatedArray | LocatedScalar;

export interface LocatedObject {
  readonly kind: 'object';
  readonly span: SourceSpan;
  /** In document order. Duplicate keys are reported by the parser; the last one wins, as in hjson-py. */
  readonly entries: readonly LocatedEntry[];
}

export interface LocatedEntry {
  readonly key: string;
  readonly keySpan: SourceSpan;
  readonly value: LocatedValue;
}

export interface LocatedArray {
  readonly kind: 'array';
  readonly span: SourceSpan;
  readonly items: readonly LocatedValue[];
}

export interface LocatedScalar {
  readonly kind: 'scalar';
  readonly span: SourceSpan;
  readonly value: string | number | boolean | null;
}

/** The plain JavaScript value (objects keep the last of duplicate keys). Used by tests and oracles. */
export function toPlain(value: LocatedValue): unknown {
  switch (value.kind) {
    case 'scalar':
      return value.value;
    case 'array':
      return value.items.map(toPlain);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const entry of value.entries) out[entry.key] = toPlain(entry.value);
      return out;
    }
  }
}

/** The entry for `key` (the last one if the key is repeated). */
export function entryOf(object: LocatedObject, key: string): LocatedEntry | undefined {
  for (let i = object.entries.length - 1; i >= 0; i--) {
    const entry = object.entries[i];
    if (entry?.key === key) return entry;
  }
  return undefined;
}

export function valueOf(object: LocatedObject, key: string): LocatedValue | undefined {
  return entryOf(object, key)?.value;
}

function describe(value: LocatedValue): string {
  if (value.kind === 'scalar') return value.value === null ? 'null' : `${typeof value.value} ${JSON.stringify(value.value)}`;
  return value.kind === 'object' ? 'an object' : 'a list';
}

/** A number written as a string in decimal, hex (0x), octal (0o) or binary (0b), with an optional sign and `_` separators. */
export function parseIntegerText(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  const sign = t[0] === '-' || t[0] === '+' ? t[0] : '';
  const literal = readCLiteral(t, sign.length, 'xob');
  if (!literal || literal.end !== t.length) return undefined;
  const n = Number(literal.value);
  return sign === '-' ? -n : n;
}

/**
 * Checked access to located values. Every mismatch becomes a coded diagnostic at the value's span
 * (`<prefix>/invalid-type`, `<prefix>/missing-key`, `<prefix>/unknown-key`, `<prefix>/bad-number`)
 * and the accessor returns undefined, so importers keep going and report everything in one run.
 */
export class ValueReader {
  constructor(
    readonly prefix: string,
    readonly diagnostics: Diagnostic[],
  ) {}

  error(code: string, message: string, span: SourceSpan, extra: { path?: string; hint?: string } = {}): void {
    this.diagnostics.push({ code: `${this.prefix}/${code}`, severity: 'error', message, span, ...extra });
  }

  warning(code: string, message: string, span: SourceSpan, extra: { path?: string; hint?: string } = {}): void {
    this.diagnostics.push({ code: `${this.prefix}/${code}`, severity: 'warning', message, span, ...extra });
  }

  object(value: LocatedValue | undefined, what: string): LocatedObject | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'object') return value;
    this.error('invalid-type', `${what} must be an object, not ${describe(value)}`, value.span);
    return undefined;
  }

  array(value: LocatedValue | undefined, what: string): LocatedArray | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'array') return value;
    this.error('invalid-type', `${what} must be a list, not ${describe(value)}`, value.span);
    return undefined;
  }

  /** A string; numbers and booleans are accepted as their text (Hjson and YAML both blur them). */
  string(value: LocatedValue | undefined, what: string): string | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'scalar' && value.value !== null) return String(value.value);
    this.error('invalid-type', `${what} must be a string, not ${describe(value)}`, value.span);
    return undefined;
  }

  /** A non-negative integer written as a number or a numeric string. */
  integer(value: LocatedValue | undefined, what: string): number | undefined {
    if (value === undefined) return undefined;
    const n =
      value.kind === 'scalar' && typeof value.value === 'number'
        ? value.value
        : value.kind === 'scalar' && typeof value.value === 'string'
          ? parseIntegerText(value.value)
          : undefined;
    if (n === undefined || !Number.isSafeInteger(n) || n < 0) {
      this.error('bad-number', `${what} must be a non-negative integer, not ${describe(value)}`, value.span);
      return undefined;
    }
    return n;
  }

  boolean(value: LocatedValue | undefined, what: string): boolean | undefined {
    if (value === undefined) return undefined;
    if (value.kind === 'scalar') {
      if (typeof value.value === 'boolean') return value.value;
      if (value.value === 'true' || value.value === 'false') return value.value === 'true';
    }
    this.error('invalid-type', `${what} must be true or false, not ${describe(value)}`, value.span);
    return undefined;
  }

  /** Looks up a required key; reports it missing at the object's span. */
  required(object: LocatedObject, key: string, what: string): LocatedValue | undefined {
    const value = valueOf(object, key);
    if (value === undefined) this.error('missing-key', `${what} has no ${JSON.stringify(key)}`, object.span);
    return value;
  }

  /** Warns about keys the format does not define (typos, or newer tool versions), at the key. */
  unknownKeys(object: LocatedObject, known: ReadonlySet<string>, what: string): void {
    for (const entry of object.entries) {
      if (!known.has(entry.key)) {
        this.warning('unknown-key', `unknown key ${JSON.stringify(entry.key)} in ${what}; it is ignored`, entry.keySpan);
      }
    }
  }
}
