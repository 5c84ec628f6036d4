import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';

const dir = join(import.meta.dirname, '../../fixtures/xml-bad');

/** file → [code, line, column] of the first error: every hostile or malformed input is located and coded. */
const expected: Record<string, [string, number, number]> = {
  'truncated.svd': ['xml/unexpected-eof', 6, 7],
  'entity-bomb.svd': ['xml/doctype-entities', 2, 1],
  'external-entity.svd': ['xml/doctype-entities', 2, 1],
  'wrong-nesting.svd': ['xml/mismatched-tag', 7, 5],
  'unknown-entity.svd': ['xml/unknown-entity', 3, 10],
  'bad-number.svd': ['svd/bad-number', 11, 20],
  'unknown-derived-from.svd': ['svd/unknown-derived-from', 9, 5],
  'derivation-cycle.svd': ['svd/derivation-cycle', 9, 9],
  'derived-overlap.svd': ['svd/derived-overlap', 15, 9],
  'too-deep.svd': ['limits/too-deep', 2, 30],
  'bad-ipxact-expression.xml': ['ipxact/bad-expression', 17, 33],
};

describe('hostile and malformed XML corpus', () => {
  it('has an expectation for every fixture', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, [code, line, column]] of Object.entries(expected)) {
    it(`${file} → ${code} at ${line}:${column}`, () => {
      const result = importFile(join(dir, file), { limits: { maxDepth: 8 } });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      const first = errors[0]!;
      expect(first.code).toBe(code);
      expect([first.span?.line, first.span?.column]).toEqual([line, column]);
      expect(first.span?.file).toBe(join(dir, file));
    });
  }

  it('bad-number.svd reports every bad number, not only the first', () => {
    const result = importFile(join(dir, 'bad-number.svd'));
    expect(result.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.column}`)).toEqual([
      'svd/bad-number@11:20',
      'svd/bad-number@15:26',
      'svd/bad-bit-range@17:44',
    ]);
  });

  it('derived-overlap names the register it overlaps', () => {
    const result = importFile(join(dir, 'derived-overlap.svd'));
    const d = result.diagnostics.find((x) => x.code === 'svd/derived-overlap');
    expect(d?.related?.[0]?.span.line).toBe(9);
    expect(d?.path).toBe('P.CTRL2');
  });
});
