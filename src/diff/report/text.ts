import type { DiffReport, JudgedChange } from '../types.ts';
import { groupChanges, invalidInputLines, isWording, versionTitles } from './group.ts';
import { SEVERITIES } from '../types.ts';
import { terminalText } from '../../formats/escape/index.ts';

export interface TextOptions {
  readonly color?: boolean;
  /** Every instance of a grouped change with its location, and every wording-only change. */
  readonly verbose?: boolean;
}

/**
 * For terminals: one line per group of identical changes (most severe first) with where the first
 * one is; wording-only changes and waived changes as counts. `verbose` lists every instance.
 * Colour only when asked (never in CI logs).
 */
export function renderText(report: DiffReport, options: TextOptions | boolean = {}): string {
  const { color = false, verbose = false } = typeof options === 'boolean' ? { color: options } : options;
  const colours: Record<string, string> = { breaking: '31;1', behavioural: '33;1', compatible: '32', documentation: '36' };
  const [from, to] = versionTitles(report.changeSet.before, report.changeSet.after);
  const lines = [`diff ${from} → ${to}`, ...invalidInputLines(report.changeSet.before, report.changeSet.after).map((l) => `  warning: ${l}`)];
  if (report.changes.length === 0) lines.push('  no changes');
  const live = report.changes.filter((c) => c.waived === undefined);
  const wording = live.filter(isWording);
  const at = (c: JudgedChange): string => {
    const where = c.after?.span ?? c.before?.span;
    return where ? `at ${where.file}:${where.line}:${where.column}` : '';
  };
  const pad = ' '.repeat(13 + 1 + 22);
  for (const g of groupChanges(live.filter((c) => !isWording(c)))) {
    lines.push(`  ${g.severity.padEnd(13)} ${g.rule.padEnd(22)} ${g.summary}${notes(g.members[0]!)}`);
    if (g.members.length > 1) lines.push(`  ${pad} ${g.members.length} instances in ${g.peripherals.join(', ')}`);
    for (const c of verbose ? g.members : g.members.slice(0, 1))
      lines.push(`  ${pad} ${verbose && g.members.length > 1 ? `${c.after?.path ?? c.before?.path} ` : ''}${at(c)}`);
  }
  if (wording.length > 0) {
    lines.push(`  documentation ${wording.length} description-only changes${verbose ? ':' : ' (--verbose lists them)'}`);
    if (verbose) for (const c of wording) lines.push(`  ${pad} ${c.after?.path ?? c.before?.path} ${at(c)}`);
  }
  if (report.waivedCount > 0) lines.push(`  ${report.waivedCount} waived changes (counted, not listed)`);
  lines.push(summaryLine(report));
  // Every line quotes spec text (names, paths, values): made inert for the terminal first, then the
  // severity that starts a group line is coloured, the only escape sequence the report writes.
  const coloured = (line: string): string => {
    const severity = /^ {2}(breaking|behavioural|compatible|documentation) /.exec(line)?.[1];
    return color && severity ? `  \u001b[${colours[severity]}m${severity}\u001b[0m${line.slice(2 + severity.length)}` : line;
  };
  return lines.map((line) => coloured(terminalText(line))).join('\n') + '\n';
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
      const why = [change.weakEvidence ? 'weak evidence' : '', (change.alternatives ?? []).length > 0 ? `also close: ${change.alternatives!.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      parts.push(`uncertain, confidence ${change.confidence}${why ? `; ${why}` : ''}`);
    }
  } else if (change.confidence !== undefined && change.confidence < 0.9) parts.push(`confidence ${change.confidence}`);
  if (change.waived) parts.push(`waived: ${change.waived}`);
  return parts.length > 0 ? ` [${parts.join('; ')}]` : '';
}

export function summaryLine(report: DiffReport): string {
  const counts = SEVERITIES.map((s) => `${report.counts[s]} ${s}`).join(', ');
  const verdict = report.failOn ? (report.failed ? ` — fails --fail-on ${report.failOn}` : ` — passes --fail-on ${report.failOn}`) : '';
  return `summary: ${counts}; ${report.waivedCount} waived${verdict}`;
}
