import type { Diagnostic } from '../diagnostics/types.ts';
import type { SourceText } from '../diagnostics/source-text.ts';
import type { Device } from '../ir/types.ts';
import { matchesGlob } from './glob.ts';
import type { Overlay, OverlayEntry } from './model.ts';
import { annotatePeripheral } from './apply-peripheral.ts';
import { fixRegisters } from './apply-fixes.ts';
import { checkBehaviours } from './check-behaviours.ts';

export interface OverlayApplication {
  readonly device: Device;
  /** Behaviour errors, located in the overlay. */
  readonly diagnostics: Diagnostic[];
  /** Ids of the entries that matched something in this revision (waivers add theirs when applied). */
  readonly matched: Set<string>;
}

/**
 * Applies a board overlay to one revision: clocks, then every peripheral entry in the order written
 * (annotations, then fixes). Pure: returns the new device and what matched.
 */
export function applyOverlay(device: Device, overlay: Overlay, source?: SourceText): OverlayApplication {
  const matched = new Set<string>();
  const clocks = [...device.clocks.filter((c) => !overlay.clocks.some((o) => o.name === c.name)), ...overlay.clocks];
  const peripherals = device.peripherals.map((peripheral) => {
    let out = peripheral;
    for (const entry of overlay.peripherals) {
      if (!matchesGlob(entry.pattern, peripheral.name)) continue;
      matched.add(entry.id);
      out = fixRegisters(annotatePeripheral(out, entry), entry, matched);
    }
    return out;
  });
  const applied: Device = { ...device, clocks, peripherals };
  return { device: applied, diagnostics: checkBehaviours(applied, overlay.file, source), matched };
}

/** Every entry of an overlay that must match something: peripheral entries, their fixes, waivers. */
export function overlayEntries(overlay: Overlay): OverlayEntry[] {
  return [...overlay.peripherals.flatMap((p) => [p, ...p.registers, ...p.fields]), ...overlay.waivers];
}

/**
 * An entry missing from one revision is a warning located at the entry, naming the revision, so
 * one overlay survives a peripheral coming and going; an entry that matches nothing in any
 * revision is an error (a typo, or an entry for another chip).
 */
export function unmatchedEntries(overlay: Overlay, revisions: readonly { readonly label: string; readonly matched: ReadonlySet<string> }[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const entry of overlayEntries(overlay)) {
    const missing = revisions.filter((r) => !r.matched.has(entry.id));
    if (missing.length === 0) continue;
    if (missing.length === revisions.length) {
      out.push({
        code: 'overlay/matches-nothing',
        severity: 'error',
        message: `overlay ${entry.what} matches nothing in any revision (${revisions.map((r) => r.label).join(', ')})`,
        span: entry.span,
      });
      continue;
    }
    for (const r of missing)
      out.push({ code: 'overlay/missing-in-revision', severity: 'warning', message: `overlay ${entry.what} matches nothing in ${r.label}`, span: entry.span });
  }
  return out;
}

export { matchesGlob };
