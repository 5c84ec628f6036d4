import type { SourceSpan } from './span.ts';

/**
 * Source text with a line index, so byte offsets from parsers turn into 1-based line:column spans
 * in O(log lines). Columns count UTF-16 code units, as editors (LSP) do.
 *
 * The index is built on the first lookup that goes backwards: importers ask in document order, which
 * a cursor answers by finding the next line break from where the last answer was (STM32N657's
 * 540 000-entry index was 13 MB of array growth built before the first element was read).
 */
export class SourceText {
  private starts: number[] | undefined;
  /** The line of the last answer while no index is built (0-based), and where that line starts. */
  private cursorLine = 0;
  private cursorStart = 0;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** The offset where each line starts. */
  get lineStarts(): readonly number[] {
    if (this.starts === undefined) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** The line index of the last lookup: importers ask in document order, so the next answer is usually on it or just after. */
  private lastLine = 0;

  /** 0-based index of the line holding `offset` (already clamped). */
  private lineIndex(offset: number): number {
    if (this.starts === undefined) {
      if (offset >= this.cursorStart) {
        const text = this.text;
        for (let nl = text.indexOf('\n', this.cursorStart); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
          this.cursorLine++;
          this.cursorStart = nl + 1;
        }
        return this.cursorLine;
      }
      this.lastLine = this.cursorLine;
    }
    const starts = this.lineStarts;
    let lo = this.lastLine;
    // A few lines forward from the last answer before falling back to a binary search.
    if ((starts[lo] ?? 0) <= offset) {
      for (let step = 0; step < 8; step++) {
        const next = starts[lo + 1];
        if (next === undefined || next > offset) return (this.lastLine = lo);
        lo++;
      }
    }
    lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }

  /** Where the 0-based line `line` starts (`line` from `lineIndex`, the last answer). */
  private lineStart(line: number): number {
    return this.starts === undefined ? this.cursorStart : (this.starts[line] ?? 0);
  }

  position(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineIndex(clamped);
    return { line: line + 1, column: clamped - this.lineStart(line) + 1 };
  }

  span(start: number, end: number = start + 1): SourceSpan {
    const length = this.text.length;
    const a = Math.max(0, Math.min(start, length));
    const b = Math.max(0, Math.min(Math.max(end, start), length));
    // Each line's start is read right after its lookup: the cursor has moved on by the second one.
    const lineA = this.lineIndex(a);
    const column = a - this.lineStart(lineA) + 1;
    const lineB = this.lineIndex(b);
    return { file: this.file, line: lineA + 1, column, endLine: lineB + 1, endColumn: b - this.lineStart(lineB) + 1 };
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}

/** A span for a whole file when nothing better is known (e.g. the file could not be read). */
export function fileSpan(file: string): SourceSpan {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
