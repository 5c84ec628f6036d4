import { DiagnosticCollector } from '../diagnostics/collector.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { type IrListener, walkDeviceWithAll } from '../ir/walk.ts';
import type { ValidationRule } from './rule.ts';
import { validationRules } from './rules/index.ts';

export type { ValidationRule } from './rule.ts';
export { validationRules } from './rules/index.ts';

/**
 * Runs every rule to the end (a rule never stops the others) and returns all findings. Rules that
 * are listeners share one walk; each rule reports into its own collector, so the findings come out
 * in rule order exactly as if every rule had walked the device alone.
 */
export function validateDevice(device: Device, rules: readonly ValidationRule[] = validationRules): Diagnostic[] {
  const collectors = rules.map(() => new DiagnosticCollector());
  const listeners: IrListener[] = [];
  rules.forEach((rule, i) => {
    const report = collectors[i]!;
    if (rule.listen) listeners.push(rule.listen(device, report));
    else rule.check(device, report);
  });
  if (listeners.length > 0) walkDeviceWithAll(device, listeners);
  return collectors.flatMap((c) => c.diagnostics);
}
