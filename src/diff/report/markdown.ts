import type { DiffReport, JudgedChange } from '../types.ts';
import { SEVERITIES } from '../types.ts';
import { notes, summaryLine, title } from './text.ts';

/** Markdown table cells: pipes, backticks and line breaks would break the table. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ');
}

function value(side: JudgedChange['before']): string {
  if (!side) return '';
  return side.value === undefined ? `\`${cell(side.path)}\`` : `\`${cell(side.path)}\`: ${cell(JSON.stringify(side.value))}`;
}

/** A pull-request comment: summary, then one table per severity, breaking first. */
export function renderMarkdown(report: DiffReport): string {
  const { before, after } = report.changeSet;
  const out = [`### specdrive diff: ${cell(title(before))} → ${cell(title(after))}`, '', summaryLine(report), ''];
  out.push('| severity | count |', '|---|---|');
  for (const s of SEVERITIES) out.push(`| ${s} | ${report.counts[s]} |`);
  out.push(`| waived | ${report.waivedCount} |`, '');
  for (const severity of SEVERITIES) {
    const rows = report.changes.filter((c) => c.severity === severity);
    if (rows.length === 0) continue;
    out.push(`<details${severity === 'breaking' ? ' open' : ''}><summary><b>${severity}</b> (${rows.length})</summary>`, '');
    out.push('| rule | change | before | after |', '|---|---|---|---|');
    for (const c of rows) out.push(`| \`${c.rule}\` | ${cell(c.message + notes(c))} | ${value(c.before)} | ${value(c.after)} |`);
    out.push('', '</details>', '');
  }
  if (report.changes.length === 0) out.push('No changes.', '');
  return out.join('\n');
}
