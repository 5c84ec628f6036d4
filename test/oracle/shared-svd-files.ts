import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root: the nearest folder above this file holding package.json. */
function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above ' + import.meta.dirname);
    dir = up;
  }
  return dir;
}

/** ../shared/data next to the project root (read in place, never copied into the repo). */
export const sharedData = join(projectRoot(), '..', 'shared', 'data');

/** Every real SVD in ../shared/data: current files, revisions and the svdtools vendor files (original and patched). */
export function sharedSvdFiles(): string[] {
  const list = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? list(join(dir, e.name)) : /\.svd(\.patched)?\.gz$/.test(e.name) ? [join(dir, e.name)] : [],
        )
      : [];
  return [...list(join(sharedData, 'svd')), ...list(join(sharedData, 'svd-revisions')), ...list(join(sharedData, 'svdtools', 'svd'))].sort();
}

/** A short name for test titles: the path below shared/data. */
export const shortName = (file: string): string => file.split('/shared/data/')[1] ?? file;
