import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { Inst, PropEntry } from './instance.ts';

/**
 * Checks done once the whole design is elaborated, because they look at what another instance
 * ended up with (clause 6.3.2.4 property references, and reset signals of clause 8.2):
 * - a reference to a property's *value* (`b->reset = a->reset`) needs that value to be set, and
 *   chains of such references must not loop;
 * - counter events (`a->incr`, `a->overflow` …) exist only on counters, thresholds only where one
 *   is set, overflow only where the counter does not saturate;
 * - write-enable / hwset-style signals exist only where enabled; `reg->intr` needs an interrupt
 *   field, `reg->halt` a field with haltenable/haltmask;
 * - a `field_reset` / `cpuif_reset` signal must say whether it is activehigh or activelow.
 * The rules and their boundaries follow systemrdl-compiler 1.33.0 (the reference implementation).
 */

/** References to the value assigned to a property (no default: it must have been set). */
const VALUE_REFERENCES = new Set(['reset', 'next', 'resetsignal', 'enable', 'mask', 'haltenable', 'haltmask', 'hwenable', 'hwmask', 'incrvalue', 'decrvalue']);
const COUNTER_EVENTS = new Set([
  'incr',
  'decr',
  'incrsaturate',
  'saturate',
  'decrsaturate',
  'incrthreshold',
  'threshold',
  'decrthreshold',
  'overflow',
  'underflow',
]);
const THRESHOLDS = new Set(['incrthreshold', 'threshold', 'decrthreshold']);
/** Signals that exist when the property is set (or its complement is): `a->we` needs we or wel. */
const ENABLED_SIGNALS: ReadonlyMap<string, string | undefined> = new Map([
  ['swwe', 'swwel'],
  ['swwel', 'swwe'],
  ['we', 'wel'],
  ['wel', 'we'],
  ['hwset', undefined],
  ['hwclr', undefined],
]);
const REGISTER_REFERENCES = new Set(['intr', 'halt']);

export function checkReferences(top: Inst, diags: DiagnosticCollector): void {
  const visit = (inst: Inst): void => {
    for (const [name, entry] of inst.props) checkOne(inst, name, entry, diags);
    if (inst.kind === 'signal') checkResetSignal(inst, diags);
    for (const c of inst.children) visit(c);
  };
  visit(top);
}

function isOn(inst: Inst, name: string): boolean {
  const v = inst.props.get(name)?.value;
  if (!v) return false;
  return v.t !== 'bool' || v.v;
}

function checkOne(owner: Inst, name: string, entry: PropEntry, diags: DiagnosticCollector): void {
  const v = entry.value;
  if (v.t !== 'ref' || v.prop === undefined) return;
  const target = v.inst as Inst;
  const prop = v.prop;
  const error = (code: string, message: string): void => diags.error(code, message, entry.valueSpan ?? entry.span);
  if (REGISTER_REFERENCES.has(prop)) {
    if (target.kind !== 'reg')
      return error('rdl/bad-property-reference', `${target.name}->${prop} refers to a register's ${prop} signal, but ${target.name} is a ${target.kind}`);
    const fields = target.children.filter((c) => c.kind === 'field');
    if (prop === 'intr' && !fields.some((f) => isOn(f, 'intr')))
      error('rdl/bad-property-reference', `${target.name}->intr: register ${target.name} has no interrupt field`);
    if (prop === 'halt' && !fields.some((f) => isOn(f, 'haltenable') || isOn(f, 'haltmask')))
      error('rdl/bad-property-reference', `${target.name}->halt: no field of ${target.name} sets haltenable or haltmask`);
    return;
  }
  if (target.kind !== 'field' && prop !== 'resetsignal') {
    if (VALUE_REFERENCES.has(prop) || COUNTER_EVENTS.has(prop) || ENABLED_SIGNALS.has(prop) || prop === 'swacc' || prop === 'swmod') {
      return error('rdl/bad-property-reference', `${target.name}->${prop} refers to a field property, but ${target.name} is a ${target.kind}`);
    }
  }
  if (COUNTER_EVENTS.has(prop)) {
    if (!isOn(target, 'counter')) return error('rdl/bad-property-reference', `${target.name}->${prop}: ${target.name} is not a counter`);
    const thresholds = prop === 'decrthreshold' ? ['decrthreshold'] : ['incrthreshold', 'threshold'];
    if (THRESHOLDS.has(prop) && !thresholds.some((t) => isOn(target, t))) {
      error('rdl/bad-property-reference', `${target.name}->${prop}: counter ${target.name} sets no ${prop}`);
    }
    if (prop === 'overflow' && (isOn(target, 'incrsaturate') || isOn(target, 'saturate')))
      error('rdl/bad-property-reference', `${target.name}->overflow: counter ${target.name} saturates and never overflows`);
    if (prop === 'underflow' && isOn(target, 'decrsaturate'))
      error('rdl/bad-property-reference', `${target.name}->underflow: counter ${target.name} saturates and never underflows`);
    return;
  }
  if (ENABLED_SIGNALS.has(prop)) {
    const complement = ENABLED_SIGNALS.get(prop);
    if (!isOn(target, prop) && !(complement && isOn(target, complement)))
      error('rdl/bad-property-reference', `${target.name}->${prop}: ${target.name} has no ${prop} signal (it is not set)`);
    return;
  }
  if (!VALUE_REFERENCES.has(prop)) return;
  if (!target.props.has(prop)) return error('rdl/property-never-set', `${target.name}->${prop} refers to the ${prop} of ${target.name}, which is never set`);
  // Follow the chain of value references: it must end in a value, not come back here.
  const seen = new Set<string>();
  let next = target.props.get(prop)?.value;
  while (next?.t === 'ref' && next.prop !== undefined && VALUE_REFERENCES.has(next.prop)) {
    const at = next.inst as Inst;
    if (at === owner && next.prop === name)
      return error('rdl/circular-reference', `${owner.name}->${name} refers back to itself through ${target.name}->${prop}`);
    const key = `${at.name}\u0000${next.prop}`;
    if (seen.has(key)) return; // a loop elsewhere: reported from its own members
    seen.add(key);
    next = at.props.get(next.prop)?.value;
  }
}

function checkResetSignal(signal: Inst, diags: DiagnosticCollector): void {
  for (const p of ['field_reset', 'cpuif_reset']) {
    if (!isOn(signal, p) || isOn(signal, 'activehigh') || isOn(signal, 'activelow')) continue;
    diags.error(
      'rdl/reset-signal-polarity',
      `signal ${signal.name} is a ${p} but does not say whether it is activehigh or activelow`,
      signal.props.get(p)!.span,
      {
        hint: `add 'activehigh;' or 'activelow;' to ${signal.name}`,
      },
    );
  }
}
