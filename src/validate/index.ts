import { DiagnosticCollector } from '../diagnostics/collector.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { type IrListener, walkDevice } from '../ir/walk.ts';
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
  if (listeners.length > 0) walkDevice(device, fanOut(listeners));
  return collectors.flatMap((c) => c.diagnostics);
}

type Hook = keyof IrListener;
const HOOKS: readonly Hook[] = ['enterDevice', 'enterPeripheral', 'exitPeripheral', 'enterCluster', 'exitCluster', 'enterRegister', 'enterField'];

/**
 * One listener calling each of `listeners` in order; a hook no listener has is left out, so the walk
 * skips it. Hooks take at most three arguments, passed as such (a rest parameter would allocate an
 * array per node).
 */
function fanOut(listeners: readonly IrListener[]): IrListener {
  type AnyHook = (a: unknown, b: unknown, c: unknown) => void;
  const combined: Partial<Record<Hook, AnyHook>> = {};
  for (const hook of HOOKS) {
    const calls = listeners.flatMap((l) => {
      const f = l[hook] as AnyHook | undefined;
      return f ? [f.bind(l)] : [];
    });
    if (calls.length === 1) combined[hook] = calls[0];
    else if (calls.length > 1)
      combined[hook] = (a, b, c) => {
        for (let i = 0; i < calls.length; i++) (calls[i] as AnyHook)(a, b, c);
      };
  }
  return combined as IrListener;
}
