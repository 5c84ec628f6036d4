import { SourceText } from '../../diagnostics/source-text.ts';
import type { SourceSpan } from '../../ir/types.ts';

/**
 * Maps offsets of the preprocessed text back to the file and offset they came from, so that every
 * diagnostic of the lexer, parser and elaborator points into the user's file — even through
 * `include` and macro expansion.
 *
 * A segment either copies source text one to one, or (`fixed`) stands for a macro expansion: every
 * character of it maps to the macro invocation, which is the only place the user can fix.
 */
interface Segment {
  readonly outStart: number;
  readonly length: number;
  readonly source: SourceText;
  readonly srcStart: number;
  readonly fixed: boolean;
}

export class SourceMap {
  private readonly segments: Segment[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  append(length: number, source: SourceText, srcStart: number, fixed: boolean): void {
    if (length <= 0) return;
    const last = this.segments[this.segments.length - 1];
    if (last && !fixed && !last.fixed && last.source === source && last.srcStart + last.length === srcStart) {
      this.segments[this.segments.length - 1] = { ...last, length: last.length + length };
    } else {
      this.segments.push({ outStart: this.total, length, source, srcStart, fixed });
    }
    this.total += length;
  }

  /** Appends all of another map (a further file compiled into the same root), shifted to the end. */
  appendMap(other: SourceMap): void {
    for (const seg of other.segments) this.append(seg.length, seg.source, seg.srcStart, seg.fixed);
  }

  /** Where an output offset came from. Offsets past the end map to the end of the last segment. */
  origin(offset: number): { source: SourceText; offset: number } | undefined {
    const segs = this.segments;
    if (segs.length === 0) return undefined;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segs[mid]?.outStart ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo]!;
    const delta = seg.fixed ? 0 : Math.min(offset - seg.outStart, seg.length);
    return { source: seg.source, offset: seg.srcStart + Math.max(0, delta) };
  }

  /** A span for output range [start, end). When the range crosses files, it is cut to its start. */
  span(start: number, end: number, fallbackFile: string): SourceSpan {
    const a = this.origin(start);
    if (!a) return { file: fallbackFile, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const b = this.origin(Math.max(start, end - 1));
    const sameSource = b && b.source === a.source && b.offset >= a.offset;
    return a.source.span(a.offset, sameSource ? b.offset + 1 : a.offset + 1);
  }
}

export { SourceText };
