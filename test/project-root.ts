/**
 * The project root, found by walking up from this file to the nearest package.json, and the shared
 * vendor data beside it (`../shared/data` from the root). Tests locate files through these, never by
 * the checkout folder's name.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
export const sharedData = join(projectRoot, '..', 'shared', 'data');
