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

  it('answers a main pass with trips far ahead and back (a derived SVD peripheral reading its base further down)', () => {
    const prng = new Prng(21);
    const lines = Array.from({ length: 6000 }, (_, i) => `${' '.repeat(prng.below(12))}<l${i}>${'x'.repeat(prng.below(40))}</l${i}>${i % 7 === 0 ? '\r' : ''}`);
    const text = lines.join('\n');
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const expected = (offset: number): { line: number; column: number } => {
      const clamped = Math.max(0, Math.min(offset, text.length));
      let line = 0;
      while (line + 1 < starts.length && (starts[line + 1] as number) <= clamped) line++;
      return { line: line + 1, column: clamped - (starts[line] as number) + 1 };
    };
    for (let round = 0; round < 3; round++) {
      const source = new SourceText('big.svd', text);
      let main = 0;
      for (let step = 0; step < 400; step++) {
        main += prng.below(600);
        const offsets = [main];
        // Now and then a trip ahead (one or a few lookups far down) before the main pass goes on.
        if (prng.below(5) === 0) {
          const trip = main + 5000 + prng.below(text.length);
          for (let k = 0; k < 1 + prng.below(4); k++) offsets.push(trip + k * prng.below(300));
        }
        // And, in the last round, anywhere.
        if (round === 2 && prng.below(10) === 0) offsets.push(prng.below(text.length));
        for (const offset of offsets) expect(source.position(offset), String(offset)).toEqual(expected(offset));
      }
    }
  });
});
