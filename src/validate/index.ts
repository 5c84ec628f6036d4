import { DiagnosticCollector } from '../diagnostics/collector.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import type { ValidationRule } from './rule.ts';
import { validationRules } from './rules/index.ts';

export type { ValidationRule } from './rule.ts';
export { validationRules } from './rules/index.ts';

/** Runs every rule to the end (a rule never stops the others) and returns all findings. */
export function validateDevice(device: Device, rules: readonly ValidationRule[] = validationRules): Diagnostic[] {
  const collector = new DiagnosticCollector();
  for (const rule of rules) rule.check(device, collector);
  return collector.diagnostics;
}
