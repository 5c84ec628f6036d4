import type { DiffReport } from '../types.ts';

export const DIFF_REPORT_FORMAT = 'specdrive-diff@1';

/**
 * The machine-readable report; its JSON Schema is docs/schema/diff.schema.json (a test validates
 * every golden report against it). Key order is fixed by construction, so output is byte-stable.
 */
export function reportToJson(report: DiffReport): object {
  return {
    format: DIFF_REPORT_FORMAT,
    before: report.changeSet.before,
    after: report.changeSet.after,
    summary: {
      ...report.counts,
      waived: report.waivedCount,
      ...(report.failOn ? { failOn: report.failOn } : {}),
      failed: report.failed,
    },
    changes: report.changes,
    matches: report.changeSet.matches,
    layouts: report.changeSet.layouts,
    stats: report.changeSet.stats,
  };
}

export function renderJson(report: DiffReport): string {
  return JSON.stringify(reportToJson(report), null, 2) + '\n';
}
