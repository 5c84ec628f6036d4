import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importText } from '../../../src/importers/index.ts';

/**
 * SystemRDL error corpus: one .rdl file per compile error, its expected diagnostics declared in the
 * leading `// expect: CODE LINE:COL` lines. Each file must give exactly those (no cascade), no IR,
 * through the registered importer (chosen by the .rdl extension).
 */
const DIR = fileURLToPath(new URL('.', import.meta.url));
const EXPECT = /^\/\/\s*expect:\s*(\S+)\s+(\d+):(\d+)\s*$/;

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.rdl'))
  .sort()
  .map((name) => {
    const file = join(DIR, name);
    const text = readFileSync(file, 'utf8');
    const expected: { code: string; line: number; column: number }[] = [];
    for (const line of text.split('\n')) {
      const m = EXPECT.exec(line);
      if (!m) break;
      expected.push({ code: m[1]!, line: Number(m[2]), column: Number(m[3]) });
    }
    return { name, file, text, expected };
  });

describe('SystemRDL error corpus', () => {
  it('has a case for each main compile error, each declaring what it expects', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(c.expected, c.name).not.toHaveLength(0);
    const codes = new Set(cases.flatMap((c) => c.expected.map((e) => e.code)));
    for (const code of [
      'rdl/perl-preprocessor',
      'rdl/include-not-found',
      'rdl/include-cycle',
      'rdl/pp-undefined-macro',
      'rdl/syntax',
      'rdl/reserved-word',
      'rdl/undefined-type',
      'rdl/undefined-reference',
      'rdl/unknown-property',
      'rdl/property-not-allowed',
      'rdl/property-type',
      'rdl/property-conflict',
      'rdl/field-overlap',
      'rdl/field-out-of-range',
      'rdl/reset-too-wide',
      'rdl/address-overlap',
      'rdl/no-top',
    ]) {
      expect(codes, code).toContain(code);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = importText(c.text, c.file);
    expect(result.value).toBeUndefined();
    const got = result.diagnostics.map((d) => ({ code: d.code, line: d.span?.line, column: d.span?.column }));
    expect(got).toEqual(c.expected);
    for (const d of result.diagnostics) expect(d.span?.file).toBe(c.file);
  });
});
