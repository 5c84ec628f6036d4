import type { DiffReport, JudgedChange, LayoutPair, RegisterLayout } from '../types.ts';
import { SEVERITIES } from '../types.ts';
import { htmlText } from '../../formats/escape/index.ts';
import { groupChanges, invalidInputLines, versionTitles } from './group.ts';
import { notes, summaryLine } from './text.ts';

/** Everything from the specs is escaped: names and descriptions are untrusted text. */
const esc = htmlText;

const CELL = 22;
const ROW_BITS = 32;
const ROW_HEIGHT = 46;

/**
 * One register drawn as bit cells, msb on the left as in datasheets, 32 bits per row. Fields are
 * boxes labelled with their names; changed fields are filled with the highlight colour.
 */
/** A register's bit layout as inline SVG: bits in rows of 32, one box per field, changed fields marked. */
export function registerSvg(layout: RegisterLayout, side: 'before' | 'after'): string {
  const rows = Math.max(1, Math.ceil(layout.size / ROW_BITS));
  const width = ROW_BITS * CELL + 2;
  const height = rows * ROW_HEIGHT + 4;
  const parts: string[] = [];
  const xOf = (bit: number): number => 1 + (ROW_BITS - 1 - (bit % ROW_BITS)) * CELL;
  const yOf = (bit: number): number => 2 + (rows - 1 - Math.floor(bit / ROW_BITS)) * ROW_HEIGHT;
  for (let bit = 0; bit < layout.size; bit++) {
    parts.push(`<rect class="bit" x="${xOf(bit)}" y="${yOf(bit) + 14}" width="${CELL}" height="${ROW_HEIGHT - 18}"/>`);
    parts.push(`<text class="bitno" x="${xOf(bit) + CELL / 2}" y="${yOf(bit) + 11}">${bit}</text>`);
  }
  for (const field of layout.fields) {
    // A field may cross a 32-bit row boundary in wide registers: draw one box per row it touches.
    let lsb = field.lsb;
    const end = Math.min(field.lsb + field.width, layout.size);
    while (lsb < end) {
      const rowEnd = Math.min(end, (Math.floor(lsb / ROW_BITS) + 1) * ROW_BITS);
      const x = xOf(rowEnd - 1);
      const w = (rowEnd - lsb) * CELL;
      const y = yOf(lsb) + 14;
      const cls = field.changed ? `field changed ${side}` : 'field';
      parts.push(
        `<g class="${cls}" data-field="${esc(field.name)}"><title>${esc(field.name)} [${field.lsb + field.width - 1}:${field.lsb}] ${esc(field.access)}</title>` +
          `<rect x="${x}" y="${y}" width="${w}" height="${ROW_HEIGHT - 18}"/>` +
          `<text x="${x + w / 2}" y="${y + (ROW_HEIGHT - 18) / 2 + 4}">${esc(w >= field.name.length * 7 ? field.name : field.name.slice(0, Math.max(1, Math.floor(w / 7))))}</text></g>`,
      );
      lsb = rowEnd;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="layout" role="img" aria-label="${esc(layout.path)} ${side}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

/** Before and after layouts of one register side by side (used by the diff and the CI report). */
export function layoutSection(pair: LayoutPair): string {
  const name = pair.after?.path ?? pair.before?.path ?? '';
  const side = (layout: RegisterLayout | undefined, label: 'before' | 'after'): string =>
    layout
      ? `<figure><figcaption>${label}: <code>${esc(layout.path)}</code> (${layout.size} bits)</figcaption>${registerSvg(layout, label)}</figure>`
      : `<figure><figcaption>${label}: none</figcaption></figure>`;
  return `<section class="register" data-register="${esc(name)}"><h3>${esc(pair.before && pair.after && pair.before.path !== pair.after.path ? `${pair.before.path} → ${pair.after.path}` : name)}</h3>${side(pair.before, 'before')}${side(pair.after, 'after')}</section>`;
}

/** The CSS of the layout pictures, for pages that embed `layoutSection`. */
export const LAYOUT_STYLE = `svg.layout{display:block;margin:.3em 0 1em}
svg .bit{fill:#fafafa;stroke:#ddd}svg .bitno{font-size:8px;fill:#888;text-anchor:middle}
svg .field rect{fill:#e8eef7;stroke:#4a6a94}svg .field text{font-size:10px;text-anchor:middle;fill:#123}
svg .changed.before rect{fill:#f8d0d0;stroke:#b00020}svg .changed.after rect{fill:#cdeccf;stroke:#1b7f3b}`;

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
.sev-breaking{color:#b00020;font-weight:bold}.sev-behavioural{color:#a65e00;font-weight:bold}.sev-compatible{color:#1b7f3b}.sev-documentation{color:#37678c}
tr.waived{opacity:.55}
.needs-action{border:2px solid #b00020;border-radius:6px;padding:.2em 1em;margin:1em 0}.needs-action li{margin:.4em 0}
${LAYOUT_STYLE}
figure{margin:0}figcaption{font-size:.85em;color:#555}
`;

/** Breaking and behavioural changes, grouped, each instance linked to its row in the change table. */
function needsAction(report: DiffReport, rowId: ReadonlyMap<JudgedChange, string>): string {
  const severe = groupChanges(report.changes.filter((c) => !c.waived && (c.severity === 'breaking' || c.severity === 'behavioural')));
  if (severe.length === 0) return '<section class="needs-action"><h2>Needs action</h2><p>Nothing: no unwaived breaking or behavioural change.</p></section>';
  const items = severe.map((g) => {
    const links = g.members.map((c) => `<a href="#${rowId.get(c)}"><code>${esc(c.after?.path ?? c.before?.path ?? '')}</code></a>`).join(', ');
    return `<li><span class="sev-${g.severity}">${g.severity}</span> <code>${g.rule}</code> ${esc(g.summary + notes(g.members[0]!))}<br>${links}</li>`;
  });
  return `<section class="needs-action"><h2>Needs action (${severe.reduce((n, g) => n + g.members.length, 0)})</h2><ul>${items.join('\n')}</ul></section>`;
}

/** One self-contained page: needs action first, then summary, every change (most severe first), and before/after pictures of changed registers. */
export function renderHtml(report: DiffReport): string {
  const [from, to] = versionTitles(report.changeSet.before, report.changeSet.after);
  const heading = `specdrive diff: ${from} → ${to}`;
  const counts = SEVERITIES.map((s) => `<tr><td class="sev-${s}">${s}</td><td>${report.counts[s]}</td></tr>`).join('');
  const ordered = groupChanges(report.changes).flatMap((g) => g.members);
  const rowId = new Map(ordered.map((c, i) => [c, `change-${i + 1}`]));
  const rows = ordered
    .map(
      (c) =>
        `<tr id="${rowId.get(c)}" class="${c.waived ? 'waived' : ''}"><td class="sev-${c.severity}">${c.severity}</td><td><code>${c.rule}</code></td><td>${esc(c.message + notes(c))}</td>` +
        `<td>${c.before ? `<code>${esc(c.before.path)}</code>` : ''}</td><td>${c.after ? `<code>${esc(c.after.path)}</code>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(heading)}</h1>
${invalidInputLines(report.changeSet.before, report.changeSet.after)
  .map((l) => `<p class="invalid-input">${esc(l)}</p>\n`)
  .join('')}${needsAction(report, rowId)}
<p>${esc(summaryLine(report))}</p>
<table class="counts"><tr><th>severity</th><th>changes</th></tr>${counts}<tr><td>waived</td><td>${report.waivedCount}</td></tr></table>
<h2>Changes</h2>
<table class="changes"><tr><th>severity</th><th>rule</th><th>change</th><th>before</th><th>after</th></tr>
${rows}
</table>
<h2>Changed registers</h2>
${report.changeSet.layouts.map(layoutSection).join('\n') || '<p>No register layout changed.</p>'}
</body></html>
`;
}
