import type { DiagnosticCollector } from '../diagnostics/collector.ts';
import type { Device } from '../ir/types.ts';
import { type IrListener, walkDevice } from '../ir/walk.ts';

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
  /**
   * Rules that only walk the IR give their listener instead, so `validateDevice` runs all of them in
   * one walk (a walk of N657's 190 000 nodes per rule was a fifth of `validate`).
   */
  listen?(device: Device, report: DiagnosticCollector): IrListener;
}

type WalkingRule = Omit<ValidationRule, 'check' | 'listen'> & { listen(device: Device, report: DiagnosticCollector): IrListener };

/** A rule made of one IR listener; `check` walks the device with it alone. */
export function walkingRule(rule: WalkingRule): ValidationRule & WalkingRule {
  return { ...rule, check: (device, report) => walkDevice(device, rule.listen(device, report)) };
}
