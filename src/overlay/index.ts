export { parseOverlay, loadOverlay } from './load.ts';
export { applyOverlay, unmatchedEntries, overlayEntries, type OverlayApplication } from './apply.ts';
export { applyWaivers } from './waivers.ts';
export { matchesGlob, globToRegExp, isGlob } from './glob.ts';
export { overlaySchema, overlayJsonSchema, OVERLAY_SPEC_ID, type OverlayInput } from './schema.ts';
export type { Overlay, PeripheralOverlay, FieldFix, RegisterFix, Waiver, AtomicAliases, OverlayEntry } from './model.ts';
