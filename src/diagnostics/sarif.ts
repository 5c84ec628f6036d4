import type { Diagnostic } from './types.ts';
import { sortDiagnostics } from './render.ts';

const level = { error: 'error', warning: 'warning', info: 'note' } as const;

function location(span: NonNullable<Diagnostic['span']>, message?: string): Record<string, unknown> {
  return {
    physicalLocation: {
      artifactLocation: { uri: span.file.replace(/\\/g, '/') },
      region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
    },
    ...(message ? { message: { text: message } } : {}),
  };
}

/** SARIF 2.1.0 for code-scanning views: one rule per diagnostic code, related spans kept. */
export function diagnosticsToSarif(diagnostics: readonly Diagnostic[], tool = { name: 'specdrive', version: '0.1.0' }): string {
  const sorted = sortDiagnostics(diagnostics);
  const rules = [...new Set(sorted.map((d) => d.code))].sort().map((id) => ({ id, shortDescription: { text: id } }));
  const results = sorted.map((d) => ({
    ruleId: d.code,
    level: level[d.severity],
    message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
    ...(d.span ? { locations: [location(d.span)] } : {}),
    ...(d.related?.length ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...location(r.span, r.message) })) } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: tool.name, version: tool.version, informationUri: 'https://github.com/specdrive/specdrive', rules } }, results }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
