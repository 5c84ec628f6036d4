import { randomBytes } from 'node:crypto';
import { sha256, sha256Hasher } from '../../src/hash/index.ts';
import {
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic, StageResult } from '../../src/diagnostics/types.ts';
import { hasErrors } from '../../src/diagnostics/types.ts';
import { stableStringify } from '../../src/ir/canonical.ts';
import { flatText } from './flat-text.ts';
import { provenance, withHeaderPieces } from './header.ts';
import type { AnyGenerator, GeneratedFile, GeneratorModel, OutputFile, PiecewiseFile } from './types.ts';

/**
 * The only code that touches the output folder. Generators are pure; this renders them, adds the
 * provenance header, and writes all-or-nothing:
 * - nothing is written when any target reported an error;
 * - a target folder is a symbolic link to a complete version folder beside it; a new version is
 *   built in full (unchanged files hard-linked) and the link replaced by one rename, so a crash at
 *   any point leaves the previous output whole (a real folder made by someone else is updated file
 *   by file instead: each file old or new, the manifest last);
 * - a manifest records the hash of the inputs and of every file, so a rerun with unchanged inputs
 *   skips rendering altogether, and files a previous run wrote but this one does not are removed.
 */

export const MANIFEST = '.specdrive-manifest.json';

interface Manifest {
  readonly generator: string;
  readonly inputsHash: string;
  readonly files: Readonly<Record<string, string>>;
}

export { sha256 };

/** Hash of everything that determines a target's output. */
export function inputsHash(generator: AnyGenerator, model: GeneratorModel, config: unknown): string {
  return sha256(
    stableStringify({
      target: generator.name,
      version: generator.version,
      specHash: model.specHash,
      operations: model.operations,
      config: model.config,
      options: config,
    }),
  );
}

/** Runs one generator: checks its config, catches its bugs as diagnostics, adds headers. */
export function renderTarget(
  generator: AnyGenerator,
  model: GeneratorModel,
  rawConfig: unknown = {},
): StageResult<readonly GeneratedFile[]> & { config?: unknown } {
  const result = renderPieces(generator, model, rawConfig);
  if (!result.value) return result as StageResult<readonly GeneratedFile[]>;
  return { ...result, value: result.value.map((f) => ({ path: f.path, contents: flatText(f.pieces.join('')) })) };
}

/**
 * renderTarget with each file's text left in the pieces it was made of (header included): what the
 * CLI stages, so a big file is never joined into one more copy. Joined, the pieces are renderTarget's
 * contents.
 */
export function renderPieces(
  generator: AnyGenerator,
  model: GeneratorModel,
  rawConfig: unknown = {},
): StageResult<readonly PiecewiseFile[]> & { config?: unknown } {
  const parsed = generator.configSchema.safeParse(rawConfig ?? {});
  if (!parsed.success) {
    return {
      value: undefined,
      diagnostics: parsed.error.issues.map(
        (issue): Diagnostic => ({
          code: 'generate/bad-config',
          severity: 'error',
          message: `${generator.name} option ${issue.path.join('.') || '(root)'}: ${issue.message}`,
        }),
      ),
    };
  }
  let result: StageResult<readonly OutputFile[]>;
  try {
    result = generator.generate(model, parsed.data);
  } catch (error) {
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'internal/generator-crash',
          severity: 'error',
          message: `the ${generator.name} generator failed: ${(error as Error).stack ?? String(error)}`,
          span: model.device.span,
        },
      ],
    };
  }
  if (!result.value || hasErrors(result.diagnostics)) return { value: undefined, diagnostics: result.diagnostics };
  const line = provenance(generator.name, generator.version, model);
  const files = result.value
    .map((f) => ({ path: f.path, pieces: withHeaderPieces(f.path, piecesOf(f), line) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path) || !isSafeRelativePath(f.path)) {
      return {
        value: undefined,
        diagnostics: [
          {
            code: 'internal/generator-bad-path',
            severity: 'error',
            message: `the ${generator.name} generator produced a duplicate or unsafe path ${JSON.stringify(f.path)}`,
          },
        ],
      };
    }
    seen.add(f.path);
  }
  return { value: files, diagnostics: result.diagnostics, config: parsed.data };
}

/** A file's text as pieces in order (a whole file is one piece). */
function piecesOf(file: OutputFile): readonly string[] {
  return 'pieces' in file ? file.pieces : [file.contents];
}

/** sha256 of a file's text, fed piece by piece. */
function textHash(file: OutputFile): string {
  if (!('pieces' in file)) return sha256(file.contents);
  const hasher = sha256Hasher();
  for (const piece of file.pieces) hasher.update(piece);
  return hasher.digest();
}

/** Output paths are relative, `/`-separated, without `..`, so a generator cannot write outside its folder. */
function isSafeRelativePath(path: string): boolean {
  return (
    path.length > 0 &&
    !path.startsWith('/') &&
    !path.includes('\\') &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..') &&
    !path.startsWith(MANIFEST)
  );
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    return typeof parsed.inputsHash === 'string' && typeof parsed.files === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function fileHash(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** True when the folder holds exactly what the manifest says for these inputs (no render needed). */
export function isUpToDate(dir: string, hash: string): boolean {
  const manifest = readManifest(dir);
  if (!manifest || manifest.inputsHash !== hash) return false;
  return Object.entries(manifest.files).every(([path, expected]) => fileHash(join(dir, path)) === expected);
}

export interface WriteReport {
  readonly dir: string;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/** What stageOutput knows of the new files: the manifest text and each file's hash, computed once. */
interface NewOutput {
  readonly files: readonly OutputFile[];
  /** Path → sha256 of the new contents: written into the manifest and compared with the old files. */
  readonly hashes: ReadonlyMap<string, string>;
  readonly manifest: string;
}

function newOutput(generator: string, hash: string, files: readonly OutputFile[]): NewOutput {
  const hashes = new Map(files.map((f) => [f.path, textHash(f)] as const));
  const manifest = JSON.stringify({ generator, inputsHash: hash, files: Object.fromEntries(hashes) }, null, 1) + '\n';
  return { files, hashes, manifest };
}

/** The new files whose contents differ from the file of the same path under `root` (all of them without one). */
function changedFiles(root: string | undefined, output: NewOutput): OutputFile[] {
  return output.files.filter((f) => root === undefined || fileHash(join(root, ...f.path.split('/'))) !== output.hashes.get(f.path));
}

function writeTree(root: string, files: readonly OutputFile[]): void {
  for (const f of files) {
    const target = join(root, ...f.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    // Piece by piece (pieces split between characters, never inside one): a big file is never joined.
    const fd = openSync(target, 'w');
    try {
      for (const piece of piecesOf(f)) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** A version folder beside the target, named after it: `.c.v-<token>`. */
function versionFolder(absolute: string, token: string): string {
  return join(dirname(absolute), `.${basename(absolute)}.v-${token}`);
}

function isLink(absolute: string): boolean {
  try {
    return lstatSync(absolute).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Writes a target's files into `dir` so that a run killed at any point leaves the previous output
 * intact. `dir` is a symbolic link to a version folder beside it (`.c.v-<token>`): a new version is
 * built completely — unchanged files and files that are not ours hard-linked from the current one,
 * changed files written — and the link is replaced by rename(2), which is atomic. A `dir` that is a
 * real folder (made by someone else) is updated file by file: each file wholly old or new, the
 * manifest last.
 */
export function writeOutput(dir: string, generator: string, hash: string, files: readonly OutputFile[]): WriteReport {
  return stageOutput(dir, generator, hash, files).commit();
}

/**
 * A target's output written to disk but not yet in place: `commit` puts it in place (the last step of
 * writeOutput), `discard` removes it. Holds no file contents, so a caller rendering several targets can
 * stage each as it is rendered and let its text go, and still write nothing when a later one fails.
 */
export interface StagedOutput {
  commit(): WriteReport;
  discard(): void;
}

/** The first part of writeOutput: everything but the step that puts the new output in place. */
export function stageOutput(dir: string, generator: string, hash: string, files: readonly OutputFile[]): StagedOutput {
  const absolute = resolve(dir);
  const output = newOutput(generator, hash, files);
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  // A link is never written through: a new version goes beside it and the link is replaced.
  const link = isLink(absolute);
  const fresh = !link && !existsSync(absolute);
  if (fresh || link) return stageVersion(absolute, output, token, fresh);
  if (!statSync(absolute).isDirectory()) throw new Error(`${dir} exists and is not a folder`);
  return stageInPlace(absolute, output, token);
}

function stageVersion(absolute: string, output: NewOutput, token: string, fresh: boolean): StagedOutput {
  const { files, manifest } = output;
  mkdirSync(dirname(absolute), { recursive: true });
  const version = versionFolder(absolute, token);
  const linked = fresh ? undefined : resolve(dirname(absolute), readlinkSync(absolute));
  const current = linked && existsSync(linked) ? linked : undefined;
  if (current) refuseSymlinkedFolders(current, files);
  const old = current ? readManifest(current) : undefined;
  const changed = changedFiles(current, output);
  const written = changed.map((f) => f.path);
  const changedPaths = new Set(written);
  const unchanged = files.filter((f) => !changedPaths.has(f.path)).map((f) => f.path);
  const unchangedPaths = new Set(unchanged);
  const keep = new Set(files.map((f) => f.path));
  const removed = Object.keys(old?.files ?? {}).filter((p) => !keep.has(p) && isSafeRelativePath(p));
  try {
    writeTree(version, [...changed, { path: MANIFEST, contents: manifest }]);
    if (current) {
      // Unchanged generated files and everything that is not ours come over as hard links: no copy,
      // and their modification times stay, so build tools see them unchanged.
      const ours = new Set([...Object.keys(old?.files ?? {}), MANIFEST]);
      for (const entry of readdirSync(current, { recursive: true }) as string[]) {
        const relativePath = entry.split(sep).join('/');
        const from = join(current, entry);
        if (!lstatSync(from).isFile()) continue;
        if (!unchangedPaths.has(relativePath) && ours.has(relativePath)) continue;
        if (changedPaths.has(relativePath)) continue;
        const to = join(version, entry);
        mkdirSync(dirname(to), { recursive: true });
        linkSync(from, to);
      }
    }
  } catch (error) {
    rmSync(version, { recursive: true, force: true });
    throw error;
  }
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
      return { dir: absolute, written, unchanged, removed };
    },
    discard: () => rmSync(version, { recursive: true, force: true }),
  };
}

function stageInPlace(absolute: string, output: NewOutput, token: string): StagedOutput {
  const { files, manifest } = output;
  refuseSymlinkedFolders(absolute, files);
  const old = readManifest(absolute);
  const changed = changedFiles(absolute, output);
  const written = changed.map((f) => f.path);
  const changedPaths = new Set(written);
  const unchanged = files.filter((f) => !changedPaths.has(f.path)).map((f) => f.path);
  const staging = join(absolute, `.staging-${token}`);
  try {
    writeTree(staging, [...changed, { path: MANIFEST, contents: manifest }]);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // Only files a previous run of this generator wrote are removed; anything else in the folder is the user's.
  const keep = new Set(files.map((f) => f.path));
  const removed = Object.keys(old?.files ?? {}).filter((p) => !keep.has(p) && isSafeRelativePath(p));
  return {
    commit: () => {
      for (const path of written) {
        const target = join(absolute, ...path.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        renameSync(join(staging, ...path.split('/')), target);
      }
      for (const p of removed) {
        rmSync(join(absolute, ...p.split('/')), { force: true });
        pruneEmptyParents(absolute, dirname(join(absolute, ...p.split('/'))));
      }
      renameSync(join(staging, MANIFEST), join(absolute, MANIFEST));
      rmSync(staging, { recursive: true, force: true });
      return { dir: absolute, written, unchanged, removed };
    },
    discard: () => rmSync(staging, { recursive: true, force: true }),
  };
}

/**
 * A folder inside the output that is a symbolic link would let a rename land outside the output
 * folder (a generated file written into someone else's tree). Refuse before anything is written.
 */
function refuseSymlinkedFolders(root: string, files: readonly OutputFile[]): void {
  const checked = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').slice(0, -1);
    let current = root;
    for (const part of parts) {
      current = join(current, part);
      if (checked.has(current)) continue;
      checked.add(current);
      let link = false;
      try {
        link = lstatSync(current).isSymbolicLink();
      } catch {
        break; // does not exist yet: it will be created as a real folder
      }
      if (link)
        throw new Error(
          `refusing to write ${f.path}: ${relative(root, current)} inside the output folder is a symlink (to ${realpathSync(current)}), outside the output folder`,
        );
    }
  }
}

function pruneEmptyParents(root: string, folder: string): void {
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

export interface CheckReport {
  readonly outOfDate: readonly string[];
  readonly missing: readonly string[];
  /** Files a previous run wrote that this run would remove. */
  readonly extra: readonly string[];
}

/** `--check`: compares what would be written with what is on disk, writing nothing. */
export function checkOutput(dir: string, files: readonly OutputFile[]): CheckReport {
  const absolute = resolve(dir);
  const outOfDate: string[] = [];
  const missing: string[] = [];
  for (const f of files) {
    const onDisk = fileHash(join(absolute, ...f.path.split('/')));
    if (onDisk === undefined) missing.push(f.path);
    else if (onDisk !== textHash(f)) outOfDate.push(f.path);
  }
  const keep = new Set(files.map((f) => f.path));
  const extra = Object.keys(readManifest(absolute)?.files ?? {}).filter((p) => !keep.has(p));
  return { outOfDate, missing, extra };
}

export function relativeTo(base: string, file: string): string {
  return relative(base, file) || '.';
}
