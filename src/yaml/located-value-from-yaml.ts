import type { Diagnostic } from '../diagnostics/types.ts';
import { locateYaml, nodeSpan } from './located-yaml.ts';
import type { LocatedEntry, LocatedValue } from './located-value.ts';
import { yamlParts } from './yaml-library.ts';

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
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlParts();
  const fail = (code: string, message: string, node: unknown): { value: undefined; diagnostics: Diagnostic[] } => {
    diagnostics.push({ code, severity: 'error', message, span: nodeSpan(source, node) });
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
    const span = nodeSpan(source, node);
    if (isMap(node)) {
      const entries: LocatedEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) throw new Refused(`${prefix}/bad-key`, 'keys must be plain scalars', pair.key ?? node);
        const value = pair.value === null ? { kind: 'scalar' as const, span: nodeSpan(source, pair.key), value: null } : convert(pair.value, depth + 1);
        entries.push({ key: String(pair.key.value), keySpan: nodeSpan(source, pair.key), value });
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
