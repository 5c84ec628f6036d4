/**
 * What a piece of work read from the file system, recorded so that a later run can tell in a few
 * milliseconds whether it would read the same: the bytes of every file read, and the answer of
 * every existence, kind, directory-listing and real-path question asked. Work whose every read is
 * unchanged computes the same result (it is a function of what it read), so `ci` keys its fast
 * path on this record instead of parsing, importing and hashing the inputs again.
 *
 * The reads are taken at the file-system module rather than asked of each reader: an svdtools
 * `_include`, a `_copy` from another SVD, a SystemRDL `include found on an include path, a
 * gzipped spec, a probe for `name` then `name.gz`: whatever an importer reads or looks for is
 * recorded without every importer having to report it, and a reader added later cannot be missed.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../hash/index.ts';

/** One question asked of the file system: [kind, path relative to the record's root, answer]. */
export type ReadObservation = readonly [kind: ObservationKind, path: string, answer: string];
type ObservationKind = 'read' | 'exists' | 'stat' | 'list' | 'real';

export interface ReadRecord {
  readonly observations: readonly ReadObservation[];
  /** False when something was read that cannot be named again (a descriptor): then the record proves nothing. */
  readonly complete: boolean;
}

const original = {
  readFileSync: fs.readFileSync,
  existsSync: fs.existsSync,
  statSync: fs.statSync,
  readdirSync: fs.readdirSync,
  realpathSync: fs.realpathSync,
};

/** The answer the file system gives now to the question `kind` about `path` (absolute). */
export function observe(kind: ObservationKind, path: string): string {
  try {
    switch (kind) {
      case 'read':
        return sha256(original.readFileSync(path));
      case 'exists':
        return original.existsSync(path) ? 'yes' : 'no';
      case 'stat': {
        const s = original.statSync(path);
        return s.isFile() ? `file ${s.size}` : s.isDirectory() ? 'dir' : 'other';
      }
      case 'list':
        return sha256(original.readdirSync(path).sort().join('\0'));
      case 'real':
        return original.realpathSync(path);
    }
  } catch (error) {
    return `error ${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
  }
}

function pathOf(path: unknown): string | undefined {
  if (typeof path === 'string') return resolve(path);
  if (path instanceof URL) return fileURLToPath(path);
  if (Buffer.isBuffer(path)) return resolve(path.toString());
  return undefined;
}

let recording = false;

/**
 * Runs synchronous `work` while recording its file-system questions (paths made relative to
 * `root`, so the record survives moving the checkout). The module's functions are swapped for the
 * duration only and restored even when `work` throws.
 */
export function recordingReads<T>(root: string, work: () => T): { value: T; record: ReadRecord } {
  if (recording) throw new Error('recordingReads does not nest');
  const seen = new Map<string, ReadObservation>();
  let complete = true;
  const note = (kind: ObservationKind, path: unknown, answer: () => string): void => {
    const absolute = pathOf(path);
    if (absolute === undefined) {
      complete = false;
      return;
    }
    const name = relative(root, absolute).split(sep).join('/');
    const id = `${kind}\0${name}`;
    if (!seen.has(id)) seen.set(id, [kind, name, answer()]);
  };
  const patched = {
    // The bytes are hashed as read (then decoded as asked): a file changed between the read and a
    // later re-read must not be recorded with bytes the work never saw.
    readFileSync: ((path: fs.PathOrFileDescriptor, options?: { encoding?: BufferEncoding | null; flag?: string } | BufferEncoding | null) => {
      const encoding = typeof options === 'string' ? options : (options?.encoding ?? undefined);
      let bytes: Buffer;
      try {
        bytes = original.readFileSync(path, { ...(typeof options === 'object' && options ? options : {}), encoding: null });
      } catch (error) {
        note('read', path, () => `error ${(error as NodeJS.ErrnoException).code ?? 'unknown'}`);
        throw error;
      }
      note('read', path, () => sha256(bytes));
      return encoding ? bytes.toString(encoding) : bytes;
    }) as typeof fs.readFileSync,
    existsSync: ((path: fs.PathLike) => {
      const exists = original.existsSync(path);
      note('exists', path, () => (exists ? 'yes' : 'no'));
      return exists;
    }) as typeof fs.existsSync,
    statSync: ((path: fs.PathLike, options?: fs.StatSyncOptions) => {
      note('stat', path, () => observe('stat', pathOf(path) as string));
      return original.statSync(path, options);
    }) as typeof fs.statSync,
    readdirSync: ((path: fs.PathLike, options?: unknown) => {
      note('list', path, () => observe('list', pathOf(path) as string));
      return (original.readdirSync as (p: fs.PathLike, o?: unknown) => unknown)(path, options);
    }) as typeof fs.readdirSync,
    realpathSync: Object.assign((path: fs.PathLike, options?: fs.EncodingOption) => {
      note('real', path, () => observe('real', pathOf(path) as string));
      return original.realpathSync(path, options);
    }, original.realpathSync) as typeof fs.realpathSync,
  };
  recording = true;
  Object.assign(fs, patched);
  // Named imports (`import { readFileSync } from 'node:fs'`) see the swap only once synced.
  syncBuiltinESMExports();
  try {
    const value = work();
    const observations = [...seen.values()].sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] < b[1] ? -1 : 1));
    return { value, record: { observations, complete } };
  } finally {
    Object.assign(fs, original);
    syncBuiltinESMExports();
    recording = false;
  }
}

/** Whether every question of the record gets the same answer now. */
export function unchangedSince(root: string, observations: readonly ReadObservation[]): boolean {
  return observations.every(([kind, path, answer]) => observe(kind, resolve(root, path)) === answer);
}
