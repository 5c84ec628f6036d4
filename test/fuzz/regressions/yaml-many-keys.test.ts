/**
 * Regression: YAML maps with many keys took quadratic time. src/yaml/located-yaml.ts parsed with
 * yaml's `uniqueKeys: true`, whose duplicate check compares every key with every other: 10 000 keys
 * took 1.4 s, 30 000 took 20 s, so a 1 MB spec hung CI. Duplicates are now found with one Set per map.
 * The bound is a hang guard in CPU time (15 s, over 10× today's 1.1 s; the quadratic check takes over a minute), not a latency claim.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { loadYamlWithSchema } from '../../../src/yaml/index.ts';
import { expectWithinHangGuard, withCpuTime } from '../../cpu-time.ts';

const KEYS = 60_000;
const schema = z.record(z.string(), z.number());

describe('regression: YAML maps with many keys', () => {
  it(`${KEYS} keys load in linear time`, () => {
    const text = Array.from({ length: KEYS }, (_, i) => `k${i}: ${i}`).join('\n');
    const { value: result, cpuMs } = withCpuTime(() => loadYamlWithSchema(text, 'many-keys.yaml', schema, 'test'));
    // About 1.1 s of CPU today; the quadratic check this guards against took over a minute.
    expectWithinHangGuard(cpuMs, 15_000, `${KEYS} YAML keys`);
    expect(result.diagnostics).toEqual([]);
    expect(Object.keys(result.value ?? {})).toHaveLength(KEYS);
  });

  it('a duplicate among them is still reported at its own line and column', () => {
    const lines = Array.from({ length: KEYS }, (_, i) => `k${i}: ${i}`);
    lines.push('  # trailing comment', 'k17: 1');
    const result = loadYamlWithSchema(lines.join('\n'), 'dup.yaml', schema, 'test');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.span?.line, d.span?.column])).toEqual([['yaml/duplicate-key', KEYS + 2, 1]]);
  });

  it('duplicates in nested and flow maps are found too', () => {
    const result = loadYamlWithSchema('a:\n  b: 1\n  c: { x: 1, y: 2, x: 3 }\n  b: 2\n', 'nested.yaml', z.unknown(), 'test');
    expect(result.diagnostics.map((d) => [d.code, d.span?.line, d.span?.column]).sort()).toEqual([
      ['yaml/duplicate-key', 3, 20],
      ['yaml/duplicate-key', 4, 3],
    ]);
  });
});
