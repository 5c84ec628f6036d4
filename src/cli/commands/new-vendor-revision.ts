import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { isMap, isSeq, type Node } from 'yaml';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { emitDiagnostics } from '../report-diagnostics.ts';
import { projectPath, type BoardRevisions, type Project } from '../../project/index.ts';
import { loadRevisions } from '../../pipeline/load-revisions.ts';
import { locateYaml } from '../../yaml/index.ts';

/** The `revisions` list of a board in the project file: where its last item ends and how it is indented. */
function revisionList(text: string, file: string, board: string): { end: number; indent: string } {
  const { located } = locateYaml(text, file);
  const boards = located.document.get('boards', true) as Node | undefined;
  const entry = isMap(boards) ? (boards.get(board, true) as Node | undefined) : undefined;
  const list = isMap(entry) ? (entry.get('revisions', true) as Node | undefined) : entry;
  if (!isSeq(list) || list.items.length === 0) throw new UsageError(`${board} does not list its revisions in ${file}; add the file to its folder instead`);
  const last = list.items[list.items.length - 1] as Node;
  const [start, end] = last.range ?? [0, 0];
  if (list.flow) throw new UsageError(`${board}'s revisions are a flow list ([…]) in ${file}; write them one per line to use --file`);
  const lineStart = text.lastIndexOf('\n', start) + 1;
  return { end: text.indexOf('\n', end - 1) < 0 ? text.length : text.indexOf('\n', end - 1), indent: text.slice(lineStart, start).replace(/-\s*$/, '') };
}

/**
 * `new-revision BOARD --file VENDOR_FILE --name REV`: a new vendor release (SVD, patch, …) of a board
 * whose revisions are listed. The new revision is loaded exactly as `ci` will load it — the board's
 * overlay applied, validated, waivers applied — and the overlay's findings for it are printed; only
 * when it is usable is it appended to the board's list in specdrive.yaml.
 */
export function addVendorRevision(project: Project, board: BoardRevisions, file: string, name: string, context: CommandContext): number {
  // Named like the board's other revisions: relative to the working directory the project was loaded from.
  const path = relative(project.cwd, resolve(context.cwd, file));
  if (board.revisionNames && [...board.revisionNames.values()].includes(name)) throw new UsageError(`${board.board} already has a revision ${name}`);
  const loaded = loadRevisions([{ ...board, files: [...board.files, path], revisionNames: new Map([...(board.revisionNames ?? []), [path, name]]) }], {
    cwd: project.cwd,
  });
  // What the overlay says about this revision: entries it lacks (the others are the board's already).
  const overlayNotes = loaded.diagnostics.filter((d) => d.code === 'overlay/missing-in-revision' && d.message.endsWith(` in ${board.board} ${name}`));
  if (loaded.unusable)
    return emitDiagnostics(
      loaded.diagnostics.filter((d) => d.severity === 'error'),
      context,
      { format: 'text', failOn: 'error', unusable: true },
    );
  const text = readFileSync(projectPath(project, project.file), 'utf8');
  const { end, indent } = revisionList(text, project.file, board.board);
  const reference = relative(project.root, resolve(context.cwd, file));
  const updated = `${text.slice(0, end)}\n${indent}- { revision: ${JSON.stringify(name)}, file: ${reference} }${text.slice(end)}`;
  const temporary = `${projectPath(project, project.file)}.${process.pid}.tmp`;
  writeFileSync(temporary, updated);
  renameSync(temporary, projectPath(project, project.file));
  if (overlayNotes.length > 0) emitDiagnostics(overlayNotes, context, { format: 'text', failOn: 'error' });
  context.stdout(
    `added ${board.board} ${name} (${reference})${board.overlay ? `, with the overlay ${board.overlay} applied: ${overlayNotes.length} finding(s)` : ''}\n`,
  );
  return 0;
}
