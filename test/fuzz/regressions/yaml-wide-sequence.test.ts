/**
 * Regression: a flat YAML sequence with a few hundred thousand items crashed the native loader with
 * `RangeError: Maximum call stack size exceeded` in src/yaml/located-yaml.ts `depthOf`, which spread
 * every child's depth into one `Math.max(...)` call (an argument list that long overflows the stack).
 * Found while probing hostile YAML; not a deep document at all, just a wide one.
 */
import { describe, expect, it } from 'vitest';
import { importNativeYaml } from '../../../src/importers/index.ts';

const head = 'spec: specdrive/hardware@1\nboard: b\nrevision: r\n';

describe('regression: wide YAML sequence', () => {
  it('a 250 000-item flow sequence ends in diagnostics, not a RangeError', () => {
    const text = `${head}x: [${Array(250_000).fill('1').join(',')}]\n`;
    const result = importNativeYaml(text, 'wide.yaml');
    expect(result.value).toBeUndefined();
    // The extra key is rejected by the schema, at the key's line.
    expect(result.diagnostics.map((d) => [d.code, d.span?.line])).toContainEqual(['hardware/unknown-key', 4]);
  });
});
