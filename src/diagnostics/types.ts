import type { SourceSpan } from './span.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  readonly message: string;
  readonly span: SourceSpan;
}

/**
 * A finding. Diagnostics are values: stages return them, only the CLI renders them.
 * `code` is stable across releases (e.g. `validate/register-overlap`): users waive and grep by it.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: SourceSpan;
  /** IR path of the node concerned, when there is one. */
  readonly path?: string;
  readonly related?: readonly RelatedLocation[];
  /** A suggestion of what to do about it. */
  readonly hint?: string;
}

/** What every stage returns: a value (absent when the stage could not produce one) and findings. */
export interface StageResult<T> {
  readonly value: T | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export const severityRank: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
