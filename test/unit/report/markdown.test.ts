import { describe, expect, it } from 'vitest';
import type { CiReport, RevisionReport } from '../../../src/pipeline/ci-types.ts';
import { ciMarkdown } from '../../../src/report/markdown.ts';

const span = { file: 'rev-b.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 };
const change = (path: string, severity: 'breaking' | 'documentation', message: string) => ({
  rule: 'description-changed' as const,
  kind: 'field' as const,
  message,
  severity,
  before: { path, span },
  after: { path, span },
});

const revision: RevisionReport = {
  board: 'b',
  revision: 'rev-b',
  file: 'rev-b.yaml',
  specHash: 'h',
  inputsKey: 'k',
  cached: false,
  diagnostics: [],
  diff: {
    against: 'rev-a',
    changes: [change('UART0.CTRL.OLD', 'breaking', 'paired on weak evidence'), change('UART0.CTRL.EN', 'documentation', 'wording')],
    layouts: [],
  },
  bindings: [],
  configurations: [],
  generated: [],
  compiled: [],
  scenarios: [],
};

const summary = { revisions: 1, cached: 0, broken: 0, attention: 0, undecided: 0, unsatisfiable: 0, generateFailures: 0, compileFailures: 0 };

describe('CI Markdown report', () => {
  it('lists a description change graded breaking (uncertain pairing) and leaves plain wording edits to the count', () => {
    const md = ciMarkdown({ project: 'p', revisions: [revision], diagnostics: [], summary } as unknown as CiReport);
    expect(md).toContain('| breaking | description-changed | UART0.CTRL.OLD | UART0.CTRL.OLD |');
    expect(md).not.toContain('| documentation | description-changed | UART0.CTRL.EN');
    expect(md).toContain('description-changed ×2');
  });
});
