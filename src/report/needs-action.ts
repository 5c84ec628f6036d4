import type { CiReport } from '../pipeline/ci-types.ts';

/**
 * What a reader of a CI run must act on, in the order the reports show it: broken driver
 * operations, failed compiles and scenarios, unmet configuration requirements, then breaking
 * hardware changes. Each item carries the id of the row it links to in the HTML report (by
 * position, so no spec text ever becomes an id) and a one-line reason.
 */
export interface ActionItem {
  readonly kind: 'operation' | 'compile' | 'scenario' | 'configuration' | 'change';
  readonly board: string;
  readonly revision: string;
  readonly anchor: string;
  readonly title: string;
  readonly reason: string;
}

/** Row ids shared by the HTML renderer and this list. */
export const anchors = {
  operation: (rev: number, binding: number, op: number): string => `op-${rev}-${binding}-${op}`,
  change: (rev: number, change: number): string => `change-${rev}-${change}`,
  compile: (rev: number, k: number): string => `compile-${rev}-${k}`,
  scenario: (rev: number, k: number): string => `scenario-${rev}-${k}`,
  configuration: (rev: number, k: number): string => `config-${rev}-${k}`,
};

const firstLine = (text: string): string => text.split('\n')[0]!.trim();

export function needsAction(report: CiReport): ActionItem[] {
  const items: ActionItem[] = [];
  const later: ActionItem[] = [];
  report.revisions.forEach((r, ri) => {
    const at = { board: r.board, revision: r.revision };
    r.bindings.forEach((b, bi) =>
      b.operations.forEach((o, oi) => {
        if (o.verdict !== 'broken') return;
        const conflict = o.conflicts[0];
        const reason = o.reasons[0] ?? (conflict ? `conflict: ${conflict.requirement}` : 'broken');
        items.push({
          kind: 'operation',
          ...at,
          anchor: anchors.operation(ri, bi, oi),
          title: `${b.driver}.${o.operation} is broken`,
          reason: firstLine(reason),
        });
      }),
    );
    r.compiled.forEach((c, k) => {
      if (c.status === 'failed')
        items.push({ kind: 'compile', ...at, anchor: anchors.compile(ri, k), title: `${c.target} does not compile`, reason: firstLine(c.output || c.command) });
    });
    r.scenarios.forEach((s, k) => {
      if (s.status === 'failed')
        items.push({
          kind: 'scenario',
          ...at,
          anchor: anchors.scenario(ri, k),
          title: `${s.target} ${s.driver} scenario “${s.scenario}” failed`,
          reason: firstLine(s.message),
        });
    });
    r.configurations.forEach((c, k) => {
      for (const u of c.unsatisfiable) {
        items.push({
          kind: 'configuration',
          ...at,
          anchor: anchors.configuration(ri, k),
          title: `configuration ${c.config} cannot be met`,
          reason: `${u.target.peripheral}.${u.target.quantity} = ${u.target.value} (blocked by layer ${u.blockingLayer})`,
        });
      }
    });
    r.diff?.changes.forEach((c, k) => {
      if (c.severity === 'breaking')
        later.push({ kind: 'change', ...at, anchor: anchors.change(ri, k), title: `${c.rule} since ${r.diff!.against}`, reason: c.message });
    });
  });
  return [...items, ...later];
}
