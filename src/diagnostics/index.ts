export type { Diagnostic, RelatedLocation, Severity, StageResult } from './types.ts';
export { hasErrors, severityRank } from './types.ts';
export { SourceText, fileSpan } from './source-text.ts';
export { DiagnosticCollector } from './collector.ts';
export { renderDiagnostic, renderDiagnostics, diagnosticsToJson, sortDiagnostics, type SourceLookup } from './render.ts';
export { diagnosticsToSarif } from './sarif.ts';
