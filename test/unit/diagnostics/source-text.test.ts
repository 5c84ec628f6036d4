import { describe, expect, it } from 'vitest';
import { SourceText } from '../../../src/diagnostics/source-text.ts';
import { Prng } from '../../../src/random/index.ts';

/** Line and column of `offset` the plain way: count the line breaks before it. */
function reference(text: string, offset: number): { line: number; column: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const before = text.slice(0, clamped);
  const line = before.split('\n').length;
  return { line, column: clamped - (before.lastIndexOf('\n') + 1) + 1 };
}

const TEXT = ['<device>', '', '  <name>X</name>\r', '\t<peripherals>', '  </peripherals>', '</device>', ''].join('\n');

describe('SourceText', () => {
  it('answers lookups in document order (the cursor) as the line index does', () => {
    const source = new SourceText('f.svd', TEXT);
    for (let offset = 0; offset <= TEXT.length + 2; offset++) expect(source.position(offset)).toEqual(reference(TEXT, offset));
  });

  it('answers lookups in any order, before and after the index is built, with the same spans', () => {
    const prng = new Prng(2026);
    const source = new SourceText('f.svd', TEXT);
    for (let i = 0; i < 400; i++) {
      const start = prng.below(TEXT.length + 4) - 2;
      const end = start + prng.below(30);
      const a = reference(TEXT, start);
      const b = reference(TEXT, Math.max(end, start));
      expect(source.span(start, end)).toEqual({ file: 'f.svd', line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
    }
  });

  it('gives the line starts and line texts whatever was asked before', () => {
    const source = new SourceText('f.svd', TEXT);
    source.span(20, 25);
    expect(source.lineStarts).toEqual([0, 9, 10, 28, 43, 60, 70]);
    expect(source.lineText(3)).toBe('  <name>X</name>');
    expect(source.position(9)).toEqual({ line: 2, column: 1 });
  });
});
