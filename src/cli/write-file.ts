import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder, then a rename, so a reader
 * never sees half a file and a failure leaves the old file (or none) in place.
 */
export function writeFileAtomic(file: string, text: string): void {
  // `-o some/new/folder/out.yaml`: the folders are part of what was asked for.
  mkdirSync(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
