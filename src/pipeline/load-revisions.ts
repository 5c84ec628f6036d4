import type { Diagnostic } from '../diagnostics/types.ts';
import type { BoardRevisions } from '../project/index.ts';
import { loadAndValidate } from './load-spec.ts';
import type { ImportOptions } from '../importers/types.ts';
import type { Revision } from './check.ts';

/** Imports and validates every revision of the given boards; `unusable` when any cannot be read. */
export function loadRevisions(boards: readonly BoardRevisions[], options?: ImportOptions): { revisions: Revision[]; diagnostics: Diagnostic[]; unusable: boolean } {
  const revisions: Revision[] = [];
  const diagnostics: Diagnostic[] = [];
  let unusable = false;
  for (const board of boards) {
    for (const file of board.files) {
      const loaded = loadAndValidate(file, options);
      diagnostics.push(...loaded.diagnostics);
      if (!loaded.device || loaded.unusable) {
        unusable = true;
        continue;
      }
      revisions.push({ board: board.board, revision: loaded.device.revision ?? loaded.device.version ?? file, file, device: loaded.device });
    }
  }
  return { revisions, diagnostics, unusable };
}
