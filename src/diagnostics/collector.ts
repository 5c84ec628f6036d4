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

const diagnosticKey = (d: Diagnostic): string => JSON.stringify([d.code, d.severity, d.message, d.path ?? '', d.span ?? null]);

/**
 * Appends the diagnostics `into` does not hold yet: targets of one run share the device analysis,
 * so its warnings come back once per target and must be reported once.
 */
export function appendUnique(into: Diagnostic[], more: readonly Diagnostic[]): void {
  const seen = new Set(into.map(diagnosticKey));
  for (const d of more) {
    const key = diagnosticKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    into.push(d);
  }
}
