import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sha256, sha256Hasher } from '../../src/hash/index.ts';
import type { OutputFile } from './types.ts';

/**
 * What the runner (runner.ts) and the staging of an output folder (staging.ts) share about files:
 * the manifest, a file's text as pieces, its hash, and how it is written.
 */

export const MANIFEST = '.specdrive-manifest.json';

export interface Manifest {
  readonly generator: string;
  readonly inputsHash: string;
  readonly files: Readonly<Record<string, string>>;
}

export function readManifest(dir: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;
    return typeof parsed.inputsHash === 'string' && typeof parsed.files === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest's text: paths in order, so the same files give the same bytes whatever order they came in. */
export function manifestText(generator: string, inputsHash: string, hashes: ReadonlyMap<string, string>): string {
  const files = Object.fromEntries([...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ generator, inputsHash, files }, null, 1) + '\n';
}

/** sha256 of a file on disk, or undefined when it cannot be read. */
export function fileHash(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

/** A file's text as pieces in order (a whole file is one piece). */
export function piecesOf(file: OutputFile): Iterable<string> {
  return 'pieces' in file ? file.pieces : [file.contents];
}

/** A file that can be read more than once: its text whole, or its pieces in a list. */
export function isRereadable(file: OutputFile): boolean {
  return !('pieces' in file) || Array.isArray(file.pieces);
}

/** sha256 of a file's text, fed piece by piece (iterates the pieces). */
export function textHash(file: OutputFile): string {
  if (!('pieces' in file)) return sha256(file.contents);
  const hasher = sha256Hasher();
  for (const piece of file.pieces) hasher.update(piece);
  return hasher.digest();
}

/** Output paths are relative, `/`-separated, without `..`, so a generator cannot write outside its folder. */
export function isSafeRelativePath(path: string): boolean {
  return (
    path.length > 0 &&
    !path.startsWith('/') &&
    !path.includes('\\') &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..') &&
    !path.startsWith(MANIFEST)
  );
}

/**
 * Writes a file under `root`, piece by piece (pieces split between characters, never inside one),
 * iterating its pieces once; returns the sha256 of what it wrote. `folders` holds the folders already
 * made under `root` by earlier calls (a stage writes a hundred files into a few folders: one
 * `mkdir` per folder instead of one per file).
 */
export function writeFileUnder(root: string, file: OutputFile, folders?: Set<string>): string {
  const target = join(root, ...file.path.split('/'));
  const folder = dirname(target);
  if (!folders?.has(folder)) {
    mkdirSync(folder, { recursive: true });
    folders?.add(folder);
  }
  const hasher = createHash('sha256');
  const fd = openSync(target, 'w');
  try {
    // Each piece is handed over as text: Node encodes it for the hash and for the write without
    // a JavaScript buffer per piece. A short write (not seen on regular files) is finished from bytes.
    for (const piece of piecesOf(file)) {
      hasher.update(piece, 'utf8');
      const written = writeSync(fd, piece, null, 'utf8');
      const length = Buffer.byteLength(piece, 'utf8');
      if (written < length) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let at = written; at < length; ) at += writeSync(fd, bytes, at);
      }
    }
  } finally {
    closeSync(fd);
  }
  return hasher.digest('hex');
}
