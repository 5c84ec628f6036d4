import type { CiReport, RevisionReport } from '../pipeline/ci-types.ts';
import { LAYOUT_STYLE, layoutSection } from '../diff/report/html.ts';
import { htmlText as html } from '../formats/escape/index.ts';
import { anchors, needsAction } from './needs-action.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#202124;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;max-width:1200px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:22px}
section.revision{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin:16px 0}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border-bottom:1px solid #eee;text-align:left;padding:4px 8px;vertical-align:top}
th{background:#f3f3f3}
.v-unchanged{color:#188038}.v-adapted{color:#1a73e8}.v-attention{color:#b06000;font-weight:600}.v-broken{color:#c5221f;font-weight:700}.v-undecided{color:#a50e0e;font-weight:700}
.passed{color:#188038}.failed{color:#c5221f;font-weight:700}.skipped{color:#777}
.layouts section.register{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}.layouts section.register h3{flex-basis:100%;margin:.5em 0 0;font-size:14px}.layouts figure{margin:0}figcaption{font-size:12px;color:#555}
code{background:#f1f3f4;padding:0 3px;border-radius:3px}
.cached{color:#777;font-size:12px}
.needs-action{background:#fff;border:2px solid #c5221f;border-radius:8px;padding:4px 16px;margin:16px 0}.needs-action li{margin:4px 0}
.sev-breaking{color:#c5221f;font-weight:700}.sev-behavioural{color:#b06000;font-weight:600}.sev-compatible{color:#188038}.sev-documentation{color:#37678c}
`;

function layoutsSection(r: RevisionReport): string {
  if (!r.diff?.layouts.length) return '';
  return `<h3>Changed registers (before: ${html(r.diff.against)}, after: ${html(r.revision)})</h3><div class="layouts">${r.diff.layouts.map(layoutSection).join('')}</div>`;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { breaking: 0, behavioural: 1, compatible: 2, documentation: 3 };

function revisionSection(r: RevisionReport, ri: number): string {
  // Most severe first; each row keeps its index in the diff, the anchor the needs-action list links to.
  const ordered = (r.diff?.changes ?? [])
    .map((c, k) => ({ c, k }))
    .sort((a, b) => (SEVERITY_RANK[a.c.severity ?? ''] ?? 4) - (SEVERITY_RANK[b.c.severity ?? ''] ?? 4) || a.k - b.k);
  const changes = r.diff
    ? `<h3>Changes since ${html(r.diff.against)} (${r.diff.changes.length})</h3>` +
      (r.diff.changes.length
        ? `<table class="changes"><tr><th>severity</th><th>rule</th><th>before</th><th>after</th><th>message</th></tr>${ordered
            .map(
              ({ c, k }) =>
                `<tr id="${anchors.change(ri, k)}"><td class="sev-${html(c.severity ?? '')}">${html(c.severity ?? '')}</td><td><code>${html(c.rule)}</code></td><td>${html(c.before?.path ?? '')}</td><td>${html(c.after?.path ?? '')}</td><td>${html(c.message)}</td></tr>`,
            )
            .join('')}</table>`
        : '<p>No changes.</p>')
    : '<p>First revision of the board: nothing to diff against.</p>';
  const ops = r.bindings
    .flatMap((b, bi) =>
      b.operations.map(
        (o, oi) =>
          `<tr id="${anchors.operation(ri, bi, oi)}"><td>${html(b.driver)}</td><td>${html(o.operation)}</td><td class="v-${o.verdict}">${o.verdict}</td><td>${[
            ...o.reasons.map(html),
            ...o.conflicts.map(
              (c) =>
                `conflict <code>${html(c.requirement)}</code>: contract <code>${html(`${c.contractSpan.file}:${c.contractSpan.line}:${c.contractSpan.column}`)}</code>${c.hardwareSpan ? `, hardware <code>${html(`${c.hardwareSpan.file}:${c.hardwareSpan.line}:${c.hardwareSpan.column}`)}</code>` : ''}`,
            ),
          ].join('<br>')}</td></tr>`,
      ),
    )
    .join('');
  const configs = r.configurations
    .map(
      (c, k) =>
        `<h4 id="${anchors.configuration(ri, k)}">Configuration ${html(c.config)}${c.profile ? ` (profile ${html(c.profile)})` : ''}</h4>` +
        (c.quantities.length
          ? `<table><tr><th>quantity</th><th>target</th><th>achieved</th><th>error</th></tr>${c.quantities.map((q) => `<tr><td>${html(`${q.peripheral}.${q.quantity}`)}</td><td>${q.target}</td><td>${Number(q.achieved.toPrecision(9))}</td><td>${(q.error * 100).toFixed(3)} %</td></tr>`).join('')}</table>`
          : '') +
        (Object.keys(c.registers).length
          ? `<table><tr><th>register</th><th>value</th></tr>${Object.entries(c.registers)
              .map(([p, v]) => `<tr><td>${html(p)}</td><td><code>0x${v.toString(16).toUpperCase().padStart(8, '0')}</code></td></tr>`)
              .join('')}</table>`
          : '') +
        c.unsatisfiable
          .map(
            (u) =>
              `<p class="v-broken">${html(`${u.target.peripheral}.${u.target.quantity} = ${u.target.value}`)} cannot be met (blocked by the ${html(u.blockingLayer)} layer).</p>`,
          )
          .join('') +
        c.undecided
          .map(
            (u) =>
              `<p class="v-undecided">${html(`${u.target.peripheral}.${u.target.quantity} = ${u.target.value}`)} is undecided within the solver's budget (${u.budget.maxNodes} nodes).</p>`,
          )
          .join(''),
    )
    .join('');
  const tests = [
    ...r.compiled.map(
      (c, k) =>
        `<tr id="${anchors.compile(ri, k)}"><td>compile</td><td>${html(c.target)}</td><td class="${c.status}">${c.status}</td><td><code>${html(c.command)}</code>${c.output ? `<pre>${html(c.output.slice(0, 2000))}</pre>` : ''}</td></tr>`,
    ),
    ...r.scenarios.map(
      (s, k) =>
        `<tr id="${anchors.scenario(ri, k)}"><td>scenario</td><td>${html(s.target)}</td><td class="${s.status}">${s.status}</td><td>${html(`${s.driver}: ${s.scenario}`)}${s.message ? ` — ${html(s.message)}` : ''}</td></tr>`,
    ),
  ].join('');
  return `<section class="revision" id="${html(`${r.board}-${r.revision}`)}"><h2>${html(r.board)} ${html(r.revision)} ${r.cached ? '<span class="cached">(inputs unchanged: result from cache)</span>' : ''}</h2>
<p>spec hash <code>${html(r.specHash.slice(0, 16))}</code> · <code>${html(r.file)}</code></p>
${changes}${layoutsSection(r)}
<h3>Driver operations</h3><table class="operations"><tr><th>driver</th><th>operation</th><th>verdict</th><th>why</th></tr>${ops}</table>
${configs ? `<h3>Solved configuration</h3>${configs}` : ''}
${tests ? `<h3>Tests against the simulator</h3><table class="tests"><tr><th>step</th><th>target</th><th>result</th><th>detail</th></tr>${tests}</table>` : ''}
</section>`;
}

/** First on the page: every broken operation, failure and breaking change, each linked to its row. */
function needsActionSection(report: CiReport): string {
  const items = needsAction(report);
  if (items.length === 0)
    return '<section class="needs-action"><h2>Needs action</h2><p>Nothing: no broken operation, failure or breaking change.</p></section>';
  const li = items.map((i) => `<li class="${i.kind}"><a href="#${i.anchor}">${html(`${i.board} ${i.revision}: ${i.title}`)}</a> — ${html(i.reason)}</li>`);
  return `<section class="needs-action"><h2>Needs action (${items.length})</h2><ul>${li.join('\n')}</ul></section>`;
}

/** One self-contained page: no scripts, styles and pictures inline, safe to attach to a CI run. */
export function ciHtml(report: CiReport): string {
  const s = report.summary;
  const cards = [
    ['revisions', s.revisions],
    ['from cache', s.cached],
    ['broken operations', s.broken],
    ['need attention', s.attention],
    ...(s.undecided ? [['undecided (solver)', s.undecided] as const] : []),
    ['unmet configuration requirements', s.unsatisfiable],
    ['compile failures', s.compileFailures],
    ['environment errors (not cached)', s.environmentErrors],
    ['scenarios passed', s.scenariosPassed],
    ['scenarios failed', s.scenariosFailed],
  ]
    .map(([k, v]) => `<div class="card"><b>${v}</b>${k}</div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>specdrive report: ${html(report.project)}</title><style>${CSS}${LAYOUT_STYLE}</style></head>
<body><header><h1>specdrive — ${html(report.project)}</h1></header><main>
<div class="cards">${cards}</div>
${needsActionSection(report)}
${report.revisions.map(revisionSection).join('\n')}
</main></body></html>
`;
}
