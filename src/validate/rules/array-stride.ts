import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Dim, SourceSpan } from '../../ir/types.ts';
import { walkingRule } from '../rule.ts';
import { arrayStep, nodeExtent, peripheralExtents, registerBytes } from './rule-helpers.ts';

interface ArrayNode {
  readonly what: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly dim: Dim;
}

function checkArray(node: ArrayNode, elementSize: number, unit: 'byte' | 'bit', report: DiagnosticCollector): void {
  const { dim } = node;
  if (dim.indices && dim.indices.length !== dim.count) {
    report.error(
      'validate/array-indices-mismatch',
      `${node.what} ${node.path} has ${dim.count} element(s) but ${dim.indices.length} index name(s)`,
      node.span,
      {
        path: node.path,
        hint: 'give one index name per element, or drop the index names',
      },
    );
  }
  const step = arrayStep(dim);
  if (step === undefined || step >= elementSize) return;
  const s = (n: number): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  report.error(
    'validate/array-stride-too-small',
    `${node.what} array ${node.path} steps ${s(step)} between elements but one element is ${s(elementSize)}, so neighbours overlap`,
    node.span,
    { path: node.path, hint: `use a stride of at least ${s(elementSize)}` },
  );
}

/** Array elements must not overlap their neighbours: stride at least the element size, at every level. */
export const arrayStrideRule = walkingRule({
  id: 'array-stride',
  description: 'arrays whose stride is smaller than one element, or whose index names do not match the count',
  codes: ['validate/array-stride-too-small', 'validate/array-indices-mismatch'],
  listen(_device, report) {
    return {
      enterPeripheral(p) {
        if (p.dim)
          checkArray({ what: 'peripheral', path: p.path, span: p.span, dim: p.dim }, Math.max(0, ...peripheralExtents(p).map((e) => e.end)), 'byte', report);
      },
      enterCluster(c) {
        if (c.dim) checkArray({ what: 'cluster', path: c.path, span: c.span, dim: c.dim }, nodeExtent(c), 'byte', report);
      },
      enterRegister(r) {
        if (r.dim) checkArray({ what: 'register', path: r.path, span: r.span, dim: r.dim }, registerBytes(r), 'byte', report);
      },
      enterField(f) {
        if (f.dim) checkArray({ what: 'field', path: f.path, span: f.span, dim: f.dim }, f.width, 'bit', report);
      },
    };
  },
});
