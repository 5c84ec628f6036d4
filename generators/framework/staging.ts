import { randomBytes } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileHash, isRereadable, isSafeRelativePath, MANIFEST, manifestText, readManifest, textHash, writeFileUnder } from './output-files.ts';
import type { OutputFile } from './types.ts';

/**
 * The only code that writes an output folder, all-or-nothing:
 * - a target folder is a symbolic link to a complete version folder beside it; a new version is
 *   built in full (unchanged files hard-linked) and the link replaced by one rename, so a crash at
 *   any point leaves the previous output whole (a real folder made by someone else is updated file
 *   by file instead: each file old or new, the manifest last);
 * - a manifest records the hash of the inputs and of every file, so a rerun with unchanged inputs
 *   skips rendering altogether, and files a previous run wrote but this one does not are removed.
 * Files are staged one at a time as they come (`startStage`), so a caller can hand each file over as
 * soon as it is rendered and hold none of a target's text (docs/performance.md).
 */

export interface WriteReport {
  readonly dir: string;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/**
 * A target's output written to disk but not yet in place: `commit` puts it in place, `discard`
 * removes it. Holds no file contents, so a caller rendering several targets can stage each as it is
 * rendered and let its text go, and still write nothing when a later one fails.
 */
export interface StagedOutput {
  commit(): WriteReport;
  discard(): void;
}

/** A stage being filled: `add` each file (written now if it changed), then `finish` or `discard`. */
export interface OpenStage {
  add(file: OutputFile): void;
  finish(inputsHash: string): StagedOutput;
  discard(): void;
}

/**
 * Writes a target's files into `dir` so that a run killed at any point leaves the previous output
 * intact (see above).
 */
export function writeOutput(dir: string, generator: string, hash: string, files: readonly OutputFile[]): WriteReport {
  return stageOutput(dir, generator, hash, files).commit();
}

/** The first part of writeOutput: everything but the step that puts the new output in place. */
export function stageOutput(dir: string, generator: string, hash: string, files: readonly OutputFile[]): StagedOutput {
  const stage = startStage(dir, generator);
  for (const file of files) stage.add(file);
  return stage.finish(hash);
}

/** Opens a stage for the target folder `dir`: a version folder beside a link, or a staging folder inside a real folder. */
export function startStage(dir: string, generator: string): OpenStage {
  const absolute = resolve(dir);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  // A link is never written through: a new version goes beside it and the link is replaced.
  const link = isLink(absolute);
  if (!link && existsSync(absolute) && !statSync(absolute).isDirectory()) throw new Error(`${dir} exists and is not a folder`);
  const inPlace = !link && existsSync(absolute);
  // Folders this stage creates above the target, removed again by discard when left empty.
  const createdParent = inPlace ? undefined : mkdirSync(dirname(absolute), { recursive: true });
  const linked = link ? resolve(dirname(absolute), readlinkSync(absolute)) : undefined;
  /** The files now in place, which unchanged new files are compared with. */
  const current = inPlace ? absolute : linked && existsSync(linked) ? linked : undefined;
  const into = inPlace ? join(absolute, `.staging-${token}`) : join(dirname(absolute), `.${basename(absolute)}.v-${token}`);
  const hashes = new Map<string, string>();
  const written: string[] = [];
  const unchanged: string[] = [];
  const checkedFolders = new Set<string>();
  const madeFolders = new Set<string>();
  const discard = (): void => {
    rmSync(into, { recursive: true, force: true });
    if (createdParent !== undefined) pruneEmptyParents(dirname(createdParent), dirname(absolute));
  };
  const guarded =
    <A extends unknown[], R>(step: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return step(...args);
      } catch (error) {
        discard();
        throw error;
      }
    };
  return {
    add: guarded((file: OutputFile) => {
      if (current) refuseSymlinkedFolder(current, file.path, checkedFolders);
      const now = current ? fileHash(join(current, ...file.path.split('/'))) : undefined;
      // A file whose pieces can be read once is written as it is hashed, and taken back if unchanged.
      const hash = isRereadable(file) && now !== undefined ? textHash(file) : writeFileUnder(into, file, madeFolders);
      hashes.set(file.path, hash);
      if (now === hash) {
        if (!isRereadable(file)) rmSync(join(into, ...file.path.split('/')));
        unchanged.push(file.path);
        return;
      }
      if (isRereadable(file) && now !== undefined) writeFileUnder(into, file, madeFolders);
      written.push(file.path);
    }),
    finish: guarded((inputsHash: string): StagedOutput => {
      writeFileUnder(into, { path: MANIFEST, contents: manifestText(generator, inputsHash, hashes) }, madeFolders);
      const old = current ? readManifest(current) : undefined;
      const removed = Object.keys(old?.files ?? {}).filter((p) => !hashes.has(p) && isSafeRelativePath(p));
      written.sort();
      unchanged.sort();
      const report: WriteReport = { dir: absolute, written, unchanged, removed };
      if (inPlace) return inPlaceCommit(absolute, into, report, discard);
      if (current) linkFromCurrent(current, into, new Set(unchanged), new Set(written), old);
      return versionCommit(absolute, into, token, report, discard);
    }),
    discard,
  };
}

/**
 * Unchanged generated files and everything that is not ours come over from the current version as
 * hard links: no copy, and their modification times stay, so build tools see them unchanged.
 */
function linkFromCurrent(
  current: string,
  version: string,
  unchanged: ReadonlySet<string>,
  written: ReadonlySet<string>,
  old: { files: Readonly<Record<string, string>> } | undefined,
): void {
  const ours = new Set([...Object.keys(old?.files ?? {}), MANIFEST]);
  for (const entry of readdirSync(current, { recursive: true }) as string[]) {
    const relativePath = entry.split(sep).join('/');
    const from = join(current, entry);
    if (!lstatSync(from).isFile()) continue;
    if (!unchanged.has(relativePath) && ours.has(relativePath)) continue;
    if (written.has(relativePath)) continue;
    const to = join(version, entry);
    mkdirSync(dirname(to), { recursive: true });
    linkSync(from, to);
  }
}

function versionCommit(absolute: string, version: string, token: string, report: WriteReport, discard: () => void): StagedOutput {
  return {
    commit: () => {
      try {
        const link = join(dirname(absolute), `.${basename(absolute)}.link-${token}`);
        symlinkSync(basename(version), link);
        renameSync(link, absolute);
      } catch (error) {
        rmSync(version, { recursive: true, force: true });
        throw error;
      }
      // Versions and links left beside this target by earlier runs (replaced, or killed half-way) go;
      // only names of our own pattern for this target are touched.
      const base = basename(absolute);
      for (const name of readdirSync(dirname(absolute))) {
        if ((name.startsWith(`.${base}.v-`) && name !== basename(version)) || name.startsWith(`.${base}.link-`))
          rmSync(join(dirname(absolute), name), { recursive: true, force: true });
      }
      return report;
    },
    discard,
  };
}

function inPlaceCommit(absolute: string, staging: string, report: WriteReport, discard: () => void): StagedOutput {
  return {
    commit: () => {
      for (const path of report.written) {
        const target = join(absolute, ...path.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        renameSync(join(staging, ...path.split('/')), target);
      }
      // Only files a previous run of this generator wrote are removed; anything else in the folder is the user's.
      for (const p of report.removed) {
        rmSync(join(absolute, ...p.split('/')), { force: true });
        pruneEmptyParents(absolute, dirname(join(absolute, ...p.split('/'))));
      }
      renameSync(join(staging, MANIFEST), join(absolute, MANIFEST));
      rmSync(staging, { recursive: true, force: true });
      return report;
    },
    discard,
  };
}

function isLink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * A folder inside the output that is a symbolic link would let a rename land outside the output
 * folder (a generated file written into someone else's tree). Refused before the file is written.
 */
function refuseSymlinkedFolder(root: string, path: string, checked: Set<string>): void {
  let current = root;
  for (const part of path.split('/').slice(0, -1)) {
    current = join(current, part);
    if (checked.has(current)) continue;
    checked.add(current);
    let link = false;
    try {
      link = lstatSync(current).isSymbolicLink();
    } catch {
      return; // does not exist yet: it will be created as a real folder
    }
    if (link)
      throw new Error(
        `refusing to write ${path}: ${relative(root, current)} inside the output folder is a symlink (to ${realpathSync(current)}), outside the output folder`,
      );
  }
}

/** Removes `folder` and its parents up to (not including) `root` while they are empty. */
export function pruneEmptyParents(root: string, folder: string): void {
  let current = folder;
  while (current.startsWith(root + sep) && current !== root) {
    try {
      if (readdirSync(current).length > 0) return;
      rmdirSync(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}
