import type { CiReport, RevisionReport } from '../pipeline/ci-types.ts';
import { mdText as md } from '../formats/escape/index.ts';
import { needsAction } from './needs-action.ts';

const icon = (ok: boolean): string => (ok ? '✅' : '❌');

function revisionSection(r: RevisionReport): string[] {
  const lines: string[] = [`### ${md(r.board)} ${md(r.revision)}${r.cached ? ' (cached: inputs unchanged)' : ''}`, ''];
  if (r.diff) {
    const counts = new Map<string, number>();
    for (const c of r.diff.changes) counts.set(c.rule, (counts.get(c.rule) ?? 0) + 1);
    lines.push(
      `**Changes since ${md(r.diff.against)}:** ${r.diff.changes.length === 0 ? 'none' : [...counts].map(([rule, n]) => `${rule} ×${n}`).join(', ')}`,
      '',
    );
    const rank: Readonly<Record<string, number>> = { breaking: 0, behavioural: 1, compatible: 2, documentation: 3 };
    const relevant = r.diff.changes
      // Wording edits are counted above; one graded above documentation (an uncertain pairing) is listed.
      .filter((c) => c.rule !== 'description-changed' || (c.severity !== undefined && c.severity !== 'documentation'))
      .sort((a, b) => (rank[a.severity ?? ''] ?? 4) - (rank[b.severity ?? ''] ?? 4));
    const shown = relevant.slice(0, 40);
    if (shown.length) {
      lines.push('| severity | rule | before | after |', '|---|---|---|---|');
      for (const c of shown) lines.push(`| ${c.severity ?? ''} | ${c.rule} | ${md(c.before?.path ?? '')} | ${md(c.after?.path ?? '')} |`);
      if (relevant.length > shown.length) lines.push(`| | | ${relevant.length - shown.length} more in index.html | |`);
      lines.push('');
    }
  }
  const notable = r.bindings.flatMap((b) => b.operations.filter((o) => o.verdict !== 'unchanged').map((o) => ({ b, o })));
  lines.push(`**Driver operations:** ${r.bindings.reduce((n, b) => n + b.operations.length, 0)} checked, ${notable.length} not unchanged`, '');
  if (notable.length) {
    lines.push('| driver | operation | verdict | why |', '|---|---|---|---|');
    for (const { b, o } of notable) {
      const why = [
        ...o.reasons,
        ...o.conflicts.map(
          (c) =>
            `conflict ${c.requirement}: contract ${c.contractSpan.file}:${c.contractSpan.line}:${c.contractSpan.column}${c.hardwareSpan ? `, hardware ${c.hardwareSpan.file}:${c.hardwareSpan.line}:${c.hardwareSpan.column}` : ''}`,
        ),
      ];
      lines.push(`| ${md(b.driver)} | ${md(o.operation)} | ${o.verdict} | ${why.map(md).join('<br>')} |`);
    }
    lines.push('');
  }
  for (const c of r.configurations) {
    lines.push(
      `**Configuration ${md(c.config)}:** ${c.unsatisfiable.length ? 'cannot be met' : 'solved'}` +
        (c.quantities.length
          ? ` — ${c.quantities.map((q) => `${md(q.peripheral)}.${md(q.quantity)} ${Number(q.achieved.toPrecision(7))} (${(q.error * 100).toFixed(3)} %)`).join(', ')}`
          : ''),
      '',
    );
  }
  if (r.compiled.length)
    lines.push(
      `**Compiled:** ${r.compiled.map((c) => `${icon(c.status === 'passed' || c.status === 'skipped')} ${md(c.target)}${c.status === 'error' ? ` (${md(c.output)})` : ''}`).join(' · ')}`,
      '',
    );
  if (r.scenarios.length) {
    const passed = r.scenarios.filter((s) => s.status === 'passed').length;
    lines.push(`**Scenarios against the simulator:** ${passed}/${r.scenarios.length} passed`, '');
    for (const s of r.scenarios.filter((x) => x.status === 'failed' || x.status === 'error'))
      lines.push(`- ❌ ${md(s.target)} ${md(s.driver)} “${md(s.scenario)}”: ${md(s.message)}`);
  }
  return lines;
}

/** Broken operations and failures one per line; breaking changes counted per revision (listed in the sections below). */
function needsActionLines(report: CiReport): string[] {
  const items = needsAction(report);
  if (items.length === 0) return ['### Needs action', '', 'Nothing: no broken operation, failure or breaking change.', ''];
  const lines = [`### Needs action (${items.length})`, ''];
  for (const i of items.filter((x) => x.kind !== 'change')) lines.push(`- ❌ ${md(i.board)} ${md(i.revision)}: ${md(i.title)} — ${md(i.reason)}`);
  const breaking = new Map<string, number>();
  for (const i of items.filter((x) => x.kind === 'change')) breaking.set(`${i.board} ${i.revision}`, (breaking.get(`${i.board} ${i.revision}`) ?? 0) + 1);
  for (const [rev, n] of breaking) lines.push(`- ⚠️ ${md(rev)}: ${n} breaking hardware change(s), listed under that revision`);
  return [...lines, ''];
}

/** A pull-request comment: the summary first, then a section per revision. */
export function ciMarkdown(report: CiReport): string {
  const s = report.summary;
  const lines = [
    `## specdrive: ${md(report.project)}`,
    '',
    `${s.revisions} revision(s) (${s.cached} unchanged, from cache) · ${s.broken} broken operation(s) · ${s.undecided ? `${s.undecided} undecided by the solver · ` : ''}${s.attention} needing attention · ${s.unsatisfiable} unmet configuration requirement(s) · ${s.compileFailures} compile failure(s) · ${s.environmentErrors ? `${s.environmentErrors} environment error(s), not cached · ` : ''}scenarios ${s.scenariosPassed} passed, ${s.scenariosFailed} failed`,
    '',
    ...needsActionLines(report),
    ...report.revisions.flatMap(revisionSection),
  ];
  return lines.join('\n') + '\n';
}
