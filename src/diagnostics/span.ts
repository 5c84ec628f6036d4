/**
 * A located piece of source text: where a node or a finding comes from. Lines and columns are
 * 1-based; `end*` is exclusive. It lives with the diagnostics, the lowest layer, so the diagnostics
 * depend on nothing and the IR builds on them.
 */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}
