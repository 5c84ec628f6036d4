import type { DiagnosticCollector } from '../diagnostics/collector.ts';
import type { Device } from '../ir/types.ts';

/**
 * A validation rule: one per file under `src/validate/rules/`, each owning the diagnostic codes it
 * may emit (listed in `codes`, so tests can check every code has an error-corpus case).
 */
export interface ValidationRule {
  /** Stable id, also the prefix-free part of its codes' documentation anchor. */
  readonly id: string;
  readonly description: string;
  /** Every code this rule can report, e.g. `validate/register-overlap`. */
  readonly codes: readonly string[];
  check(device: Device, report: DiagnosticCollector): void;
}
