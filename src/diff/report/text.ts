import type { DiffReport, JudgedChange } from '../types.ts';
import { SEVERITIES } from '../types.ts';

/** One line per change for terminals; colour only when asked (never in CI logs). */
export function renderText(report: DiffReport, color = false): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const colours: Record<string, string> = { breaking: '31;1', behavioural: '33;1', compatible: '32', documentation: '36' };
  const { before, after } = report.changeSet;
  const lines = [`diff ${title(before)} → ${title(after)}`];
  if (report.changes.length === 0) lines.push('  no changes');
  for (const change of report.changes) {
    const tag = change.waived ? `${change.severity} (waived)` : change.severity;
    lines.push(`  ${paint(colours[change.severity] ?? '0', tag.padEnd(13))} ${change.rule.padEnd(22)} ${change.message}${notes(change)}`);
    const where = change.after?.span ?? change.before?.span;
    if (where) lines.push(`  ${' '.repeat(13)} ${' '.repeat(22)} at ${where.file}:${where.line}:${where.column}`);
  }
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

export function title(info: { name: string; revision?: string }): string {
  return info.revision ? `${info.name} ${info.revision}` : info.name;
}

/** Confidence and uncertainty of the pairing a change rests on, for every human-facing format. */
export function notes(change: JudgedChange): string {
  const parts: string[] = [];
  if (change.uncertain) {
    if (change.positionOnly) parts.push(`not paired with ${(change.alternatives ?? []).join(', ')}: only the position is shared`);
    else {
      const why = [change.weakEvidence ? 'weak evidence' : '', (change.alternatives ?? []).length > 0 ? `also close: ${change.alternatives!.join(', ')}` : ''].filter(Boolean).join('; ');
      parts.push(`uncertain, confidence ${change.confidence}${why ? `; ${why}` : ''}`);
    }
  }
  else if (change.confidence !== undefined && change.confidence < 0.9) parts.push(`confidence ${change.confidence}`);
  if (change.waived) parts.push(`waived: ${change.waived}`);
  return parts.length > 0 ? ` [${parts.join('; ')}]` : '';
}

export function summaryLine(report: DiffReport): string {
  const counts = SEVERITIES.map((s) => `${report.counts[s]} ${s}`).join(', ');
  const verdict = report.failOn ? (report.failed ? ` — fails --fail-on ${report.failOn}` : ` — passes --fail-on ${report.failOn}`) : '';
  return `summary: ${counts}; ${report.waivedCount} waived${verdict}`;
}
