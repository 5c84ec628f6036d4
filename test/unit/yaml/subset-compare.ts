import { isDeepStrictEqual } from 'node:util';
import { defaultYamlLimits, locateSubset, readWithYaml } from '../../../src/yaml/located-yaml.ts';

/**
 * The differential check of the YAML subset reader (src/yaml/yaml-subset.ts) against `yaml`: when
 * the reader accepts a text, `yaml` must read it without any diagnostic, to the same value (same
 * key order too: zod reports issues in that order), and every path of the document, and one step
 * past it, must have the same value and key spans. Returns what differs, or 'outside' when the
 * reader declined (then `yaml` reads the file, so nothing can differ).
 */
export function compareWithYaml(text: string, file = 'spec.yaml', maxDepth = defaultYamlLimits.maxDepth): 'same' | 'outside' | string {
  const subset = locateSubset(text, file, maxDepth);
  if (!subset) return 'outside';
  const reference = readWithYaml(text, file, { ...defaultYamlLimits, maxDepth });
  if (!('data' in reference)) return `yaml refuses it: ${JSON.stringify(reference.diagnostics)}`;
  if (reference.diagnostics.length > 0) return `yaml reports ${JSON.stringify(reference.diagnostics)}`;
  if (!isDeepStrictEqual(subset.value, reference.data) || JSON.stringify(subset.value) !== JSON.stringify(reference.data)) {
    return `values differ: ${JSON.stringify(subset.value)?.slice(0, 300)} vs ${JSON.stringify(reference.data)?.slice(0, 300)}`;
  }
  for (const path of pathsOf(reference.data, [])) {
    for (const probe of [path, [...path, 'no-such-key'], [...path, 0]]) {
      for (const at of ['value', 'key'] as const) {
        const got = subset.located.span(probe, at);
        const want = reference.located.span(probe, at);
        if (!isDeepStrictEqual(got, want)) return `span of ${JSON.stringify(probe)} (${at}) differs: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`;
      }
    }
  }
  return 'same';
}

function* pathsOf(value: unknown, path: PropertyKey[]): Generator<PropertyKey[]> {
  yield path;
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* pathsOf(value[i], [...path, i]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* pathsOf(v, [...path, k]);
}
