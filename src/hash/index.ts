import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A sha256 fed in pieces (text too large to build whole first). */
export function sha256Hasher(): { update(text: string): void; digest(): string } {
  const hash = createHash('sha256');
  return {
    update: (text) => void hash.update(text),
    digest: () => hash.digest('hex'),
  };
}

/** Hash of the given files' bytes, in the order given (missing files hash as empty). */
export function filesHash(files: readonly string[], root: string): string {
  const h = createHash('sha256');
  for (const file of files) {
    // The name relative to `root`: the hash must not change when the checkout moves.
    h.update(relative(root, file).split(sep).join('/')).update('\0');
    try {
      h.update(readFileSync(file));
    } catch {
      h.update('<missing>');
    }
    h.update('\0');
  }
  return h.digest('hex');
}
