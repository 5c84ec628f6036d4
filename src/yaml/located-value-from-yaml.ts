import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { SourceText } from '../diagnostics/source-text.ts';
import type { SourceSpan } from '../diagnostics/span.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { locateYaml, rangeOf } from './located-yaml.ts';
import type { LocatedEntry, LocatedValue } from './located-value.ts';

/**
 * Reads YAML into located values (the same shape the Hjson parser produces), keeping the span of
 * every key and value from the `yaml` package's node ranges. Aliases are refused (`<prefix>/alias`):
 * the formats read this way (chiptool) never use them, and refusing them rules out alias-expansion
 * bombs. Keys must be plain scalars (`<prefix>/bad-key`).
 */
export function locatedYamlValue(text: string, file: string, maxDepth: number, prefix: string): { value: LocatedValue | undefined; diagnostics: Diagnostic[] } {
  const { located, diagnostics } = locateYaml(text, file, maxDepth);
  if (diagnostics.some((d) => d.severity === 'error')) return { value: undefined, diagnostics };
  const source = located.source;
  const fail = (code: string, message: string, node: unknown): { value: undefined; diagnostics: Diagnostic[] } => {
    diagnostics.push({ code, severity: 'error', message, span: spanOf(source, node) });
    return { value: undefined, diagnostics };
  };
  class Refused extends Error {
    constructor(
      readonly code: string,
      message: string,
      readonly node: unknown,
    ) {
      super(message);
    }
  }
  const convert = (node: unknown, depth: number): LocatedValue => {
    if (depth > maxDepth) throw new Refused('limits/too-deep', `the document nests deeper than ${maxDepth} levels`, node);
    if (isAlias(node)) throw new Refused(`${prefix}/alias`, `YAML aliases are not accepted in ${prefix} files`, node);
    const span = spanOf(source, node);
    if (isMap(node)) {
      const entries: LocatedEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) throw new Refused(`${prefix}/bad-key`, 'keys must be plain scalars', pair.key ?? node);
        const value = pair.value === null ? { kind: 'scalar' as const, span: spanOf(source, pair.key), value: null } : convert(pair.value, depth + 1);
        entries.push({ key: String(pair.key.value), keySpan: spanOf(source, pair.key), value });
      }
      return { kind: 'object', span, entries };
    }
    if (isSeq(node)) return { kind: 'array', span, items: node.items.map((item) => convert(item, depth + 1)) };
    if (isScalar(node)) {
      const v = node.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      return { kind: 'scalar', span, value };
    }
    return { kind: 'scalar', span, value: null };
  };
  try {
    return { value: convert(located.document.contents, 0), diagnostics };
  } catch (error) {
    if (error instanceof Refused) return fail(error.code, error.message, error.node);
    throw error;
  }
}

function spanOf(source: SourceText, node: unknown): SourceSpan {
  const range = rangeOf(node);
  if (!range) return source.span(0, 0);
  // A multi-line value is shown from its start to the end of its first line.
  const lineEnd = source.text.indexOf('\n', range[0]);
  const end = lineEnd === -1 ? range[1] : Math.min(range[1], lineEnd);
  return source.span(range[0], Math.max(end, range[0] + 1));
}
