import type { Diagnostic } from '../diagnostics/types.ts';
import { hasErrors } from '../diagnostics/types.ts';
import type { BoardRevisions } from '../project/index.ts';
import { importFile } from '../importers/index.ts';
import { validateDevice } from '../validate/index.ts';
import { applyOverlay, applyWaivers, loadOverlay, unmatchedEntries, type Overlay } from '../overlay/index.ts';
import type { LocatedYaml } from '../yaml/index.ts';
import type { ImportOptions } from '../importers/types.ts';
import type { Revision } from './check.ts';

export interface LoadedRevisions {
  readonly revisions: Revision[];
  readonly diagnostics: Diagnostic[];
  readonly unusable: boolean;
}

/**
 * Imports every revision of the given boards, applies each board's overlay (after import, so
 * whatever the format), validates, and waives what the overlay waives. `unusable` when a revision
 * cannot be read or an overlay is bad: then nothing downstream runs and nothing is written.
 */
export function loadRevisions(boards: readonly BoardRevisions[], options?: ImportOptions): LoadedRevisions {
  const revisions: Revision[] = [];
  const diagnostics: Diagnostic[] = [];
  let unusable = false;
  for (const board of boards) {
    let overlay: Overlay | undefined;
    let located: LocatedYaml | undefined;
    if (board.overlay !== undefined) {
      const loaded = loadOverlay(board.overlay, options?.cwd);
      diagnostics.push(...loaded.diagnostics);
      if (!loaded.value) {
        unusable = true;
        continue;
      }
      overlay = loaded.value;
      located = loaded.located;
    }
    const applied: { label: string; matched: Set<string> }[] = [];
    let previous: string | undefined;
    const seen = new Set<string>();
    for (const file of board.files) {
      const imported = importFile(file, options);
      if (!imported.value || hasErrors(imported.diagnostics)) {
        diagnostics.push(...imported.diagnostics);
        unusable = true;
        continue;
      }
      const name = board.revisionNames?.get(file) ?? imported.value.revision ?? imported.value.version ?? file;
      // A revision named by the project file is stamped on the device, so generated code and the
      // simulator's HELLO agree on which board and revision they are.
      let device = board.revisionNames?.has(file)
        ? { ...imported.value, board: board.board, revision: name, ...(previous !== undefined ? { supersedes: previous } : {}) }
        : imported.value;
      let found = [...imported.diagnostics];
      let matched = new Set<string>();
      if (overlay) {
        const result = applyOverlay(device, overlay, located?.source);
        device = result.device;
        matched = result.matched;
        found.push(...result.diagnostics);
      }
      found.push(...validateDevice(device));
      if (overlay) found = applyWaivers(found, overlay.waivers, matched);
      // A finding located in the overlay is the same mistake in every revision: reported once.
      const key = (d: Diagnostic): string => `${d.code} ${d.span?.line}:${d.span?.column} ${d.message}`;
      const inOverlay = found.filter((d) => d.span?.file === board.overlay);
      for (const d of found) {
        if (d.span?.file !== board.overlay) diagnostics.push(d);
        else if (!seen.has(key(d))) {
          seen.add(key(d));
          diagnostics.push(d);
        }
      }
      if (hasErrors(inOverlay)) unusable = true;
      applied.push({ label: `${board.board} ${name}`, matched });
      revisions.push({ board: board.board, revision: name, file, device });
      previous = name;
    }
    if (overlay && applied.length > 0) {
      const unmatched = unmatchedEntries(overlay, applied);
      diagnostics.push(...unmatched);
      if (hasErrors(unmatched)) unusable = true;
    }
  }
  return { revisions, diagnostics, unusable };
}
