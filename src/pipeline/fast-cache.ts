/**
 * The fast path of the `ci` cache: before anything is parsed, imported or hashed semantically, a
 * record of what the last complete run read (every input file's bytes, every probe's answer; see
 * recorded-reads.ts) is checked against the file system. Unchanged, the revisions' cached results
 * are taken as they are. Any difference (a whitespace edit included) falls back to the semantic
 * keys of inputs-key.ts, which still hit when only the bytes changed.
 *
 * The record lives at `<output>/.cache/inputs.<boards>.json`, one per set of boards (`--board`
 * runs keep theirs apart), and is only written when every revision's result is in the cache.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import { sha256 } from '../hash/index.ts';
import { projectPath, type Project } from '../project/index.ts';
import { PIPELINE_VERSION, toolFingerprint } from './inputs-key.ts';
import { unchangedSince, type ReadObservation } from './recorded-reads.ts';

export interface FastRecord {
  readonly key: string;
  readonly reads: readonly ReadObservation[];
  /** Each revision's cache entry, as the semantic keys named it. */
  readonly revisions: readonly { board: string; revision: string; inputsKey: string; siblingsKey: string }[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * What the whole run is a function of besides the files it reads: specdrive itself, the stages,
 * the engine, and the project as loaded (boards, revision files and names, overlays, the expanded
 * software-spec globs, targets, limits, output), with its root relative to the working directory.
 */
export function fastKey(project: Project, stageVersions: string, engine: string): string {
  const { cwd, root, ...shape } = project;
  const json = JSON.stringify(shape, (_key, value: unknown) => (value instanceof Map ? [...value.entries()] : value));
  return sha256([PIPELINE_VERSION, toolFingerprint(), stageVersions, engine, relative(cwd, root), json].join('\n'));
}

export function fastRecordFile(project: Project): string {
  const boards = sha256(project.boards.map((b) => b.board).join('\0')).slice(0, 16);
  return projectPath(project, join(project.output, '.cache', `inputs.${boards}.json`));
}

/** The record, when it was made under `key` and nothing it read has changed since. */
export function readFastRecord(project: Project, key: string): FastRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(fastRecordFile(project), 'utf8')) as FastRecord;
    if (record.key !== key) return undefined;
    return unchangedSince(project.root, record.reads) ? record : undefined;
  } catch {
    return undefined;
  }
}

export function writeFastRecord(project: Project, record: FastRecord): void {
  const file = fastRecordFile(project);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record) + '\n');
  renameSync(temp, file);
}
