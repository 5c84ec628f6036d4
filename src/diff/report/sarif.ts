import type { SourceSpan } from '../../ir/types.ts';
import type { ChangeSeverity, DiffReport } from '../types.ts';
import { RULE_IDS } from '../types.ts';
import { RULE_SUMMARY } from '../rule-info.ts';
import type { Policy } from '../policy.ts';
import { defaultPolicy } from '../policy.ts';
import { notes } from './text.ts';
import { invalidInputLines } from './group.ts';

/** SARIF levels: code-scanning views show `error` as blocking, `note` as informational. */
const LEVEL: Readonly<Record<ChangeSeverity, 'error' | 'warning' | 'note'>> = {
  breaking: 'error',
  behavioural: 'warning',
  compatible: 'note',
  documentation: 'note',
};

function location(span: SourceSpan, message?: string) {
  return {
    physicalLocation: {
      artifactLocation: { uri: span.file },
      region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

/** An input compared although invalid is a tool-execution notification (a warning, not a result). */
function invalidInputInvocations(report: DiffReport): { invocations?: object[] } {
  const lines = invalidInputLines(report.changeSet.before, report.changeSet.after);
  if (lines.length === 0) return {};
  return { invocations: [{ executionSuccessful: true, toolExecutionNotifications: lines.map((text) => ({ level: 'warning', message: { text } })) }] };
}

/** SARIF 2.1.0: one result per change, located in the new file (the old one as a related location). */
export function renderSarif(report: DiffReport, policy: Policy = defaultPolicy): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'specdrive-diff',
            informationUri: 'https://github.com/specdrive/specdrive/blob/main/docs/diff.md',
            rules: RULE_IDS.map((id) => ({
              id,
              shortDescription: { text: RULE_SUMMARY[id] },
              defaultConfiguration: { level: LEVEL[policy.severities[id]] },
              properties: { severity: policy.severities[id] },
            })),
          },
        },
        results: report.changes.map((c) => {
          const primary = c.after?.span ?? c.before?.span;
          return {
            ruleId: c.rule,
            ruleIndex: RULE_IDS.indexOf(c.rule),
            level: LEVEL[c.severity],
            message: { text: c.message + notes(c) },
            locations: primary ? [location(primary)] : [],
            ...(c.before && c.after ? { relatedLocations: [{ id: 1, ...location(c.before.span, `before: ${c.before.path}`) }] } : {}),
            properties: {
              severity: c.severity,
              ...(c.before ? { before: c.before.path } : {}),
              ...(c.after ? { after: c.after.path } : {}),
              ...(c.uncertain ? { uncertain: true, confidence: c.confidence } : {}),
            },
            ...(c.waived ? { suppressions: [{ kind: 'external', justification: c.waived }] } : {}),
          };
        }),
        ...invalidInputInvocations(report),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
