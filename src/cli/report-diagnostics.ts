import type { Diagnostic, Severity } from '../diagnostics/types.ts';
import { severityRank } from '../diagnostics/types.ts';
import { diagnosticsToJson, renderDiagnostics } from '../diagnostics/render.ts';
import type { CommandContext } from './command.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './command.ts';
import { fileSourceLookup } from './sources.ts';

export const diagnosticOptions = {
  format: { type: 'string', default: 'text' },
  'fail-on': { type: 'string', default: 'error' },
} as const;

export function parseSeverity(value: unknown): Severity {
  if (value === 'error' || value === 'warning' || value === 'info') return value;
  throw new UsageError(`--fail-on must be error, warning or info (got ${String(value)})`);
}

/**
 * Prints diagnostics once, in the chosen format, and turns them into the exit code:
 * 2 when `unusable` (the input could not be used at all), 1 when any finding reaches `failOn`, else 0.
 */
export function emitDiagnostics(
  diagnostics: readonly Diagnostic[],
  context: CommandContext,
  options: { format: unknown; failOn: Severity; unusable?: boolean },
): number {
  if (options.format === 'json') context.stdout(diagnosticsToJson(diagnostics));
  else if (diagnostics.length > 0) context.stderr(renderDiagnostics(diagnostics, fileSourceLookup(), context.color) + '\n');
  if (options.unusable) return EXIT_USAGE;
  return diagnostics.some((d) => severityRank[d.severity] >= severityRank[options.failOn]) ? EXIT_FINDINGS : EXIT_OK;
}
