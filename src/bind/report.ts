import type { Diagnostic } from '../diagnostics/types.ts';
import type { SourceSpan } from '../ir/types.ts';
import type { Binding, OperationVerdict } from './types.ts';
import { mdText } from '../formats/escape/index.ts';

const at = (s: SourceSpan | undefined): string => (s ? `${s.file}:${s.line}:${s.column}` : '');

/**
 * Verdicts as diagnostics, so `check` shares the renderer, JSON and exit-code logic with every other
 * command: broken → error, needs attention → warning, adapted → info.
 */
export function bindingDiagnostics(bindings: readonly Binding[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const b of bindings) {
    for (const op of b.operations) {
      const where = `${b.driver}.${op.operation} on ${b.board} ${b.revision}${b.peripheral ? ` (${b.peripheral})` : ''}`;
      if (op.verdict === 'broken') {
        out.push({
          code: 'bind/broken-operation',
          severity: 'error',
          message: `${where} is broken: ${op.reasons.join('; ')}`,
          span: op.conflicts[0]?.contractSpan ?? op.span,
          path: `${b.driver}.${op.operation}`,
          ...(op.conflicts[0]?.hint ? { hint: op.conflicts[0].hint } : {}),
          related: op.conflicts.flatMap((c) => [
            { message: `requirement ${c.requirement}`, span: c.contractSpan },
            ...(c.hardwareSpan ? [{ message: `hardware side of ${c.requirement}`, span: c.hardwareSpan }] : []),
          ]),
        });
      } else if (op.verdict === 'undecided') {
        out.push({
          code: op.undecidedCode ?? 'bind/undecided',
          severity: 'error',
          message: `${where} is undecided: ${op.reasons.join('; ')}`,
          span: op.span,
          path: `${b.driver}.${op.operation}`,
        });
      } else if (op.verdict === 'attention') {
        out.push({
          code: 'bind/needs-attention',
          severity: 'warning',
          message: `${where} needs attention: ${op.reasons.join('; ')}`,
          span: op.span,
          path: `${b.driver}.${op.operation}`,
        });
      } else if (op.verdict === 'adapted') {
        out.push({
          code: 'bind/adapted',
          severity: 'info',
          message: `${where} adapted: ${op.reasons.join('; ')}`,
          span: op.span,
          path: `${b.driver}.${op.operation}`,
        });
      }
    }
  }
  return out;
}

const mark: Record<OperationVerdict['verdict'], string> = { unchanged: '=', adapted: '~', attention: '!', undecided: '?', broken: 'x' };

export function bindingsToText(bindings: readonly Binding[]): string {
  const lines: string[] = [];
  for (const b of bindings) {
    lines.push(`${b.driver} → ${b.board} ${b.revision}${b.peripheral ? ` (${b.peripheral})` : ''}: ${b.verdict}`);
    const width = Math.max(...b.operations.map((o) => o.operation.length));
    for (const op of b.operations) {
      lines.push(`  ${mark[op.verdict]} ${op.operation.padEnd(width)}  ${op.verdict.padEnd(9)} ${op.reasons.join('; ')}`.trimEnd());
      for (const c of op.conflicts) {
        lines.push(`      conflict ${c.requirement}: contract ${at(c.contractSpan)}${c.hardwareSpan ? `, hardware ${at(c.hardwareSpan)}` : ''}`);
        if (c.hint) lines.push(`      hint: ${c.hint}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export function bindingsToMarkdown(bindings: readonly Binding[]): string {
  const lines: string[] = ['## Driver contracts against hardware revisions', ''];
  lines.push('| driver | board | revision | verdict |', '|---|---|---|---|');
  for (const b of bindings) lines.push(`| ${mdText(b.driver)} | ${mdText(b.board)} | ${mdText(b.revision)} | **${b.verdict}** |`);
  for (const b of bindings.filter((x) => x.verdict !== 'unchanged')) {
    lines.push('', `### ${mdText(b.driver)} on ${mdText(b.board)} ${mdText(b.revision)}`, '', '| operation | verdict | why |', '|---|---|---|');
    for (const op of b.operations) {
      const why = [
        ...op.reasons.map(mdText),
        ...op.conflicts.map((c) => `conflict \`${c.requirement}\`: contract ${at(c.contractSpan)}${c.hardwareSpan ? `, hardware ${at(c.hardwareSpan)}` : ''}`),
      ].join('<br>');
      lines.push(`| ${mdText(op.operation)} | ${op.verdict} | ${why} |`);
    }
  }
  return lines.join('\n') + '\n';
}

export function bindingsToJson(bindings: readonly Binding[]): string {
  return JSON.stringify({ bindings }, null, 2) + '\n';
}
