import type { DiffReport, JudgedChange } from '../types.ts';
import { mdText } from '../../formats/escape/index.ts';
import { SEVERITIES } from '../types.ts';
import { groupChanges, invalidInputLines, isWording, versionTitles, type ChangeGroup, type GroupLevel } from './group.ts';
import { notes, summaryLine } from './text.ts';

/** GitHub refuses comments over 65,536 characters; this leaves room for what a CI step adds around it. */
export const MARKDOWN_LIMIT = 60_000;

export interface MarkdownOptions {
  /** Character budget (default MARKDOWN_LIMIT). Breaking and behavioural changes are kept whatever it says. */
  readonly limit?: number;
  /** Where the full report is (a file, an artifact URL); named when something is left out. */
  readonly fullReport?: string;
  /** List wording-only changes too (otherwise only when they fit). */
  readonly verbose?: boolean;
}

/** Spec text in Markdown: the one Markdown escaper (src/formats/escape), which also drops control characters. */
const text = mdText;

const PERIPHERALS_SHOWN = 12;

function groupLine(g: ChangeGroup, allPeripherals = false): string {
  const first = g.members[0]!;
  const where =
    !allPeripherals && g.peripherals.length > PERIPHERALS_SHOWN
      ? `${g.peripherals.slice(0, PERIPHERALS_SHOWN).join(', ')} and ${g.peripherals.length - PERIPHERALS_SHOWN} more`
      : g.peripherals.join(', ');
  const instances = g.members.length > 1 ? ` (${text(where)})` : '';
  return `- **${g.severity}** \`${g.rule}\` ${text(g.summary + notes(first))}${instances}`;
}

function instanceList(g: ChangeGroup): string[] {
  if (g.members.length <= 1) return [];
  const path = (c: JudgedChange): string =>
    c.before && c.after && c.before.path !== c.after.path ? `${c.before.path} → ${c.after.path}` : (c.after?.path ?? c.before?.path ?? '');
  return ['  <details><summary>every instance</summary>', '', ...g.members.map((c) => `  - ${text(path(c))}`), '', '  </details>'];
}

/**
 * A pull-request comment under `limit` characters: counts; a "needs action" list with every
 * breaking and behavioural change (grouped across instances and aliases); compatible changes while
 * they fit; wording-only changes as a count and a collapsible list; waived changes counted only.
 * Whatever is left out is said, with where the full report is.
 */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const { before, after } = report.changeSet;
  const [from, to] = versionTitles(before, after);
  const live = report.changes.filter((c) => c.waived === undefined);
  const wording = live.filter(isWording);
  const groups = groupChanges(live.filter((c) => !isWording(c)));
  const isSevere = (g: ChangeGroup): boolean => g.severity === 'breaking' || g.severity === 'behavioural';
  // One line per distinct change must leave room for the rest; else group by rule and values, then
  // by rule alone, and last name only the first peripherals of each line: the list stays whole.
  const budget = limit * 0.75;
  const linesSize = (gs: readonly ChangeGroup[], allPeripherals: boolean): number => gs.reduce((n, g) => n + groupLine(g, allPeripherals).length + 1, 0);
  const severeChanges = live.filter((c) => !isWording(c) && (c.severity === 'breaking' || c.severity === 'behavioural'));
  let level: GroupLevel = 'identical';
  let severe = groups.filter(isSevere);
  for (const coarser of ['values', 'rule'] as const) {
    if (linesSize(severe, true) <= budget) break;
    level = coarser;
    severe = groupChanges(severeChanges, coarser);
  }
  const allPeripherals = linesSize(severe, true) <= budget;
  const compatible = groups.filter((g) => !isSevere(g));

  const out: string[] = [
    `### specdrive diff: ${text(from)} → ${text(to)}`,
    '',
    ...invalidInputLines(report.changeSet.before, report.changeSet.after).flatMap((l) => [`> **Warning:** ${text(l)}`, '']),
    text(summaryLine(report)),
    '',
  ];
  out.push('| severity | changes | distinct |', '|---|---|---|');
  for (const s of SEVERITIES)
    out.push(`| ${s} | ${report.counts[s]} | ${groups.filter((g) => g.severity === s).length + (s === 'documentation' ? wording.length : 0)} |`);
  out.push(`| waived | ${report.waivedCount} | |`, '');
  if (report.changes.length === 0) return [...out, 'No changes.', ''].join('\n');

  const size = (): number => out.reduce((n, line) => n + line.length + 1, 0);
  const reserve = 1_500; // the closing summary of what was left out
  const left: string[] = [];

  out.push(`#### Needs action: ${severe.reduce((n, g) => n + g.members.length, 0)} breaking or behavioural changes`, '');
  if (severe.length === 0) out.push('None.', '');
  for (const g of severe) out.push(groupLine(g, allPeripherals)); // kept whatever the budget
  out.push('');
  let instancesLeft = 0;
  for (const g of severe) {
    const lines = instanceList(g);
    if (lines.length === 0) continue;
    if (size() + lines.join('\n').length + reserve > limit) {
      instancesLeft += g.members.length;
      continue;
    }
    out.push(`Instances of ${text(g.summary)}:`, ...lines, '');
  }
  if (level === 'values')
    left.push('the names of breaking/behavioural changes beyond the first few per rule and values (one line per distinct change would not fit)');
  if (level === 'rule') left.push('the names and values of breaking/behavioural changes beyond the first few per rule (one line per rule was what fits)');
  if (!allPeripherals) left.push(`the peripherals of each breaking/behavioural line beyond the first ${PERIPHERALS_SHOWN}`);
  if (instancesLeft > 0)
    left.push(`the instance lists of grouped breaking/behavioural changes (${instancesLeft} paths; every group is listed above with its peripherals)`);

  if (compatible.length > 0) {
    out.push(
      `<details><summary><b>compatible</b> (${compatible.reduce((n, g) => n + g.members.length, 0)} changes in ${compatible.length} groups)</summary>`,
      '',
    );
    let shown = 0;
    for (const g of compatible) {
      const line = groupLine(g);
      if (size() + line.length + reserve > limit) break;
      out.push(line);
      shown++;
    }
    out.push('', '</details>', '');
    const hidden = compatible.slice(shown);
    if (hidden.length > 0) left.push(`${hidden.reduce((n, g) => n + g.members.length, 0)} compatible changes in ${hidden.length} groups`);
  }

  if (wording.length > 0) {
    out.push(`<details><summary><b>wording</b>: ${wording.length} description-only changes</summary>`, '');
    let shown = 0;
    for (const c of wording) {
      const line = `- ${text(c.after?.path ?? c.before?.path ?? '')}`;
      if (!options.verbose && size() + line.length + reserve > limit) break;
      out.push(line);
      shown++;
    }
    out.push('', '</details>', '');
    if (shown < wording.length) left.push(`${wording.length - shown} of ${wording.length} wording-only changes`);
  }
  if (report.waivedCount > 0) out.push(`${report.waivedCount} waived changes are counted above and not listed.`, '');
  if (left.length > 0) {
    const where = options.fullReport
      ? `the full report: ${text(options.fullReport)}`
      : 'the full report: `specdrive diff BEFORE AFTER --format html` (or `--format json`)';
    out.push(`**Left out to stay under ${limit.toLocaleString('en-US')} characters:** ${left.join('; ')}. Every change is in ${where}.`, '');
  }
  return out.join('\n');
}
