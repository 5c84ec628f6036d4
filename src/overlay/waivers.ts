import type { Diagnostic } from '../diagnostics/types.ts';
import { matchesGlob } from './glob.ts';
import type { Waiver } from './model.ts';

/**
 * Waived findings stay in the report: their severity drops to `info`, the message says which
 * waiver and why, and a note points at the waiver. A waiver never hides a finding silently.
 */
export function applyWaivers(diagnostics: readonly Diagnostic[], waivers: readonly Waiver[], matched: Set<string>): Diagnostic[] {
  if (waivers.length === 0) return [...diagnostics];
  return diagnostics.map((d) => {
    const waiver = waivers.find((w) => w.rule === d.code && d.path !== undefined && matchesGlob(w.path, d.path));
    if (!waiver) return d;
    matched.add(waiver.id);
    return {
      ...d,
      severity: 'info',
      message: `waived (${waiver.reason}): ${d.message}`,
      related: [...(d.related ?? []), { message: `waived here: ${waiver.rule} at ${waiver.path}`, span: waiver.span }],
    };
  });
}
