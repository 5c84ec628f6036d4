import type { Diagnostic } from './types.ts';
import type { SourceText } from './source-text.ts';
import { terminalText as inert } from '../formats/escape/index.ts';

/** Where the renderer finds source text to quote; files it cannot find are rendered without a frame. */
export type SourceLookup = (file: string) => SourceText | undefined;

/** Orders diagnostics by file, line, column, then code, so output is stable across runs. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.span?.file ?? '';
    const fb = b.span?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.span?.line ?? 0;
    const lb = b.span?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.span?.column ?? 0;
    const cb = b.span?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

/**
 * `file:line:col: severity[code]: message`, then the source line and a caret under the span
 * (the systemrdl-compiler / rustc style), then related locations and a hint.
 */
export function renderDiagnostic(d: Diagnostic, lookup: SourceLookup, color = false): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor = d.severity === 'error' ? '31;1' : d.severity === 'warning' ? '33;1' : '36;1';
  // Messages quote spec text (names, values) and the frame quotes the file: inert on a terminal.
  const where = d.span ? `${inert(d.span.file)}:${d.span.line}:${d.span.column}: ` : '';
  const lines = [`${where}${paint(sevColor, d.severity)}[${d.code}]: ${inert(d.message)}`];
  if (d.span) {
    const source = lookup(d.span.file);
    if (source) {
      const text = inert(source.lineText(d.span.line));
      const gutter = String(d.span.line);
      const width = d.span.endLine === d.span.line ? Math.max(1, d.span.endColumn - d.span.column) : Math.max(1, text.length - d.span.column + 1);
      lines.push(`${' '.repeat(gutter.length)} |`);
      lines.push(`${gutter} | ${text}`);
      // Tabs in the quoted line keep their width so the caret stays under the text.
      const pad = text.slice(0, d.span.column - 1).replace(/[^\t]/g, ' ');
      lines.push(`${' '.repeat(gutter.length)} | ${pad}${paint(sevColor, '^'.repeat(Math.min(width, 200)))}`);
    }
  }
  if (d.path) lines.push(`  at ${inert(d.path)}`);
  for (const r of d.related ?? []) lines.push(`  note: ${inert(r.span.file)}:${r.span.line}:${r.span.column}: ${inert(r.message)}`);
  if (d.hint) lines.push(`  hint: ${inert(d.hint)}`);
  return lines.join('\n');
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], lookup: SourceLookup, color = false): string {
  return sortDiagnostics(diagnostics)
    .map((d) => renderDiagnostic(d, lookup, color))
    .join('\n\n');
}

/** JSON output: a stable shape other tools can read (`--format json`). */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ diagnostics: sortDiagnostics(diagnostics) }, null, 2) + '\n';
}
