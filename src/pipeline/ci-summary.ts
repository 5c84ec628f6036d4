/** The report of a ci run from its revisions' results: counts of every verdict and failure. */
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Project } from '../project/index.ts';
import type { CiReport, RevisionReport } from './ci-types.ts';

export function emptyReport(project: Project, diagnostics: readonly Diagnostic[]): CiReport {
  return summarise(project, [], diagnostics);
}

export function summarise(project: Project, revisions: readonly RevisionReport[], diagnostics: readonly Diagnostic[]): CiReport {
  const ops = revisions.flatMap((r) => r.bindings.flatMap((b) => b.operations));
  return {
    project: project.name,
    revisions,
    diagnostics,
    summary: {
      revisions: revisions.length,
      cached: revisions.filter((r) => r.cached).length,
      broken: ops.filter((o) => o.verdict === 'broken').length,
      attention: ops.filter((o) => o.verdict === 'attention').length,
      undecided: ops.filter((o) => o.verdict === 'undecided').length,
      // Every configuration requirement that cannot be met is one `configure/…` error (unmet target, no irq, bad setting).
      unsatisfiable: revisions.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('configure/')).length, 0),
      generateFailures: revisions.reduce(
        (n, r) =>
          n +
          r.diagnostics.filter((d) => d.severity === 'error' && (d.code.startsWith('generate/') || d.code.startsWith('ci/') || d.code.startsWith('lower/')))
            .length,
        0,
      ),
      compileFailures: revisions.reduce((n, r) => n + r.compiled.filter((c) => c.status === 'failed').length, 0),
      environmentErrors: revisions.reduce((n, r) => n + [...r.compiled, ...r.scenarios].filter((c) => c.status === 'error').length, 0),
      scenariosPassed: revisions.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'passed').length, 0),
      scenariosFailed: revisions.reduce((n, r) => n + r.scenarios.filter((s) => s.status === 'failed').length, 0),
    },
  };
}
