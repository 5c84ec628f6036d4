/**
 * Regression (found by test/hostile: 10^5 nesting): the SystemRDL parser recurses once per nested
 * component, so `addrmap top { regfile { regfile { … } } }` nested 100 000 deep throws
 * `RangeError: Maximum call stack size exceeded` from src/importers/systemrdl/parser.ts
 * (Parser.statements → Parser.componentStatement → …). It must end in `limits/too-deep` at the
 * first component past ImportLimits.maxDepth, like the XML, YAML and hjson importers.
 */
import { describe, expect, it } from 'vitest';
import { importSystemRdl } from '../../../src/importers/systemrdl/index.ts';

describe('regression: deeply nested SystemRDL', () => {
  it('100 000 nested regfiles end in limits/too-deep, not a RangeError', () => {
    const levels = 100_000;
    const text = `addrmap top {${'regfile {'.repeat(levels)}${'} rf;'.repeat(levels)} };`;
    const result = importSystemRdl(text, 'deep.rdl');
    expect(result.diagnostics.map((d) => d.code)).toContain('limits/too-deep');
    const span = result.diagnostics.find((d) => d.code === 'limits/too-deep')?.span;
    expect(span?.line).toBe(1);
    expect(span?.column).toBeGreaterThan(1);
  });
});
