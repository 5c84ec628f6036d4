import type { Diagnostic, Severity } from '../diagnostics/types.ts';
import { severityRank } from '../diagnostics/types.ts';
import { diagnosticsToJson, renderDiagnostics } from '../diagnostics/render.ts';
import { diagnosticsToSarif } from '../diagnostics/sarif.ts';
import { DIAGNOSTIC_SCALE, oneOf, parseFailOn } from './vocabulary.ts';
import type { CommandContext } from './command.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './command.ts';
import { fileSourceLookup } from './sources.ts';

export const diagnosticOptions = {
  format: { type: 'string', default: 'text' },
  'fail-on': { type: 'string', default: 'error' },
} as const;

/** `--fail-on` of the commands whose findings are diagnostics (validate, import). */
export function parseSeverity(value: unknown): Severity | 'never' {
  return parseFailOn(value, DIAGNOSTIC_SCALE);
}

/** The formats diagnostics can be printed in. */
export const DIAGNOSTIC_FORMATS = ['text', 'json', 'sarif'] as const;

export function parseDiagnosticFormat(value: unknown): (typeof DIAGNOSTIC_FORMATS)[number] {
  return oneOf(value, DIAGNOSTIC_FORMATS, '--format');
}

/**
 * Prints diagnostics once, in the chosen format, and turns them into the exit code:
 * 2 when `unusable` (the input could not be used at all), 1 when any finding reaches `failOn`, else 0.
 */
export function emitDiagnostics(
  diagnostics: readonly Diagnostic[],
  context: CommandContext,
  options: { format: unknown; failOn: Severity | 'never'; unusable?: boolean },
): number {
  if (options.format === 'json') context.stdout(diagnosticsToJson(diagnostics));
  else if (options.format === 'sarif') context.stdout(diagnosticsToSarif(diagnostics));
  else if (diagnostics.length > 0) context.stderr(renderDiagnostics(diagnostics, fileSourceLookup(context.cwd), context.color) + '\n');
  if (options.unusable) return EXIT_USAGE;
  const failOn = options.failOn;
  if (failOn === 'never') return EXIT_OK;
  return diagnostics.some((d) => severityRank[d.severity] >= severityRank[failOn]) ? EXIT_FINDINGS : EXIT_OK;
}
