import { hex } from '../ir/bits.ts';
import { describeAlternatives, type SolvedConfiguration } from './solve-config.ts';
import { layerLabel, layerNumber } from '../contracts/index.ts';
import { describeBudget } from '../solve/index.ts';

const pct = (x: number): string => `${(x * 100).toFixed(3)} %`;
const num = (x: number): string => String(Number(x.toPrecision(9)));

export function configurationsToText(configs: readonly SolvedConfiguration[]): string {
  const lines: string[] = [];
  for (const c of configs) {
    lines.push(
      `configuration ${c.config} on ${c.board} ${c.revision}${c.profile ? ` (profile ${c.profile})` : ''}: ${c.unsatisfiable.length ? 'UNSATISFIABLE' : c.undecided.length ? 'UNDECIDED' : 'solved'}`,
    );
    for (const q of c.quantities)
      lines.push(`  ${q.peripheral}.${q.quantity}: target ${num(q.target)}, achieved ${num(q.achieved)} (error ${pct(q.error)}, allowed ${pct(q.tolerance)})`);
    for (const [path, value] of Object.entries(c.registers)) lines.push(`  ${path} = ${hex(value, 8)}`);
    for (const u of c.unsatisfiable) {
      lines.push(`  ${u.target.peripheral}.${u.target.quantity} = ${u.target.value}: blocked by ${layerLabel(u.blockingLayer)}`);
      u.conflicts.forEach((conflict, i) => {
        lines.push(`    minimal conflict ${i + 1}:`);
        for (const r of conflict)
          lines.push(`      layer ${layerNumber(r.layer)}: ${r.text}${r.span ? ` (${r.span.file}:${r.span.line}:${r.span.column})` : ''}`);
      });
      for (const alt of describeAlternatives(u.target, u.alternatives)) lines.push(`    would work: ${alt}`);
    }
    for (const u of c.undecided)
      lines.push(`  ${u.target.peripheral}.${u.target.quantity} = ${u.target.value}: undecided within budget ${describeBudget(u.budget)} (no layer is blamed)`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

const md = (s: string): string => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);

export function configurationsToMarkdown(configs: readonly SolvedConfiguration[]): string {
  const lines: string[] = ['## Configurations', ''];
  for (const c of configs) {
    lines.push(`### ${md(c.config)} on ${md(c.board)} ${md(c.revision)}${c.profile ? ` (profile ${md(c.profile)})` : ''}`, '');
    if (c.quantities.length) {
      lines.push('| quantity | target | achieved | error | allowed |', '|---|---|---|---|---|');
      for (const q of c.quantities)
        lines.push(`| ${md(q.peripheral)}.${md(q.quantity)} | ${num(q.target)} | ${num(q.achieved)} | ${pct(q.error)} | ${pct(q.tolerance)} |`);
      lines.push('');
    }
    if (Object.keys(c.registers).length) {
      lines.push('| register | value |', '|---|---|');
      for (const [path, value] of Object.entries(c.registers)) lines.push(`| ${md(path)} | \`${hex(value, 8)}\` |`);
      lines.push('');
    }
    for (const u of c.unsatisfiable) {
      lines.push(`**${md(u.target.peripheral)}.${md(u.target.quantity)} = ${u.target.value} cannot be met** — blocked by ${layerLabel(u.blockingLayer)}.`, '');
      u.conflicts.forEach((conflict, i) =>
        lines.push(`- minimal conflict ${i + 1}: ${conflict.map((r) => `layer ${layerNumber(r.layer)}: ${md(r.text)}`).join('; ')}`),
      );
      for (const alt of describeAlternatives(u.target, u.alternatives)) lines.push(`- would work: ${md(alt)}`);
      lines.push('');
    }
    for (const u of c.undecided)
      lines.push(
        `**${md(u.target.peripheral)}.${md(u.target.quantity)} = ${u.target.value} is undecided** within budget ${describeBudget(u.budget)} (no layer is blamed).`,
        '',
      );
  }
  return lines.join('\n') + '\n';
}
