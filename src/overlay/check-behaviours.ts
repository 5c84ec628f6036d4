import type { Diagnostic } from '../diagnostics/types.ts';
import type { SourceText } from '../diagnostics/source-text.ts';
import type { Device } from '../ir/types.ts';
import { DeviceModel, modelResolver, parseBehaviours } from '../../firmware-sim/index.ts';

/**
 * Parses the behaviours an overlay added, against the overlaid revision, so a misspelt field is a
 * located error in the overlay (not a silent no-op in a scenario). Only peripherals with behaviours
 * are modelled: names in other peripherals cannot be referred to from an overlay behaviour.
 */
export function checkBehaviours(device: Device, overlayFile: string, source: SourceText | undefined): Diagnostic[] {
  const peripherals = device.peripherals.filter((p) => p.behaviours.some((b) => b.span.file === overlayFile));
  if (peripherals.length === 0) return [];
  const model = new DeviceModel({ ...device, peripherals }, {});
  const onlyOverlay = peripherals.map((p) => ({ ...p, behaviours: p.behaviours.filter((b) => b.span.file === overlayFile) }));
  return parseBehaviours(onlyOverlay, modelResolver(model), source).diagnostics;
}
