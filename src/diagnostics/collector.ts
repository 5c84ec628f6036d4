import type { SourceSpan } from './span.ts';
import type { Diagnostic, RelatedLocation, Severity } from './types.ts';

/** Collects diagnostics during a stage so the stage can run to the end of its phase. */
export class DiagnosticCollector {
  readonly diagnostics: Diagnostic[] = [];

  add(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  report(
    severity: Severity,
    code: string,
    message: string,
    span?: SourceSpan,
    extra: { path?: string; related?: readonly RelatedLocation[]; hint?: string } = {},
  ): void {
    this.diagnostics.push({ code, severity, message, ...(span ? { span } : {}), ...extra });
  }

  error(code: string, message: string, span?: SourceSpan, extra?: Parameters<DiagnosticCollector['report']>[4]): void {
    this.report('error', code, message, span, extra);
  }

  warning(code: string, message: string, span?: SourceSpan, extra?: Parameters<DiagnosticCollector['report']>[4]): void {
    this.report('warning', code, message, span, extra);
  }

  info(code: string, message: string, span?: SourceSpan, extra?: Parameters<DiagnosticCollector['report']>[4]): void {
    this.report('info', code, message, span, extra);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
