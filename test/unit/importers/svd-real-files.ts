import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every real SVD and IP-XACT file in ../shared/data (read in place, never copied into the repo). */
export function realXmlFiles(): string[] {
  const data = join(import.meta.dirname, '../../../../shared/data');
  const list = (dir: string, pattern: RegExp): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? list(join(dir, e.name), pattern) : pattern.test(e.name) ? [join(dir, e.name)] : [],
    );
  return [...list(join(data, 'svd'), /\.svd\.gz$/), ...list(join(data, 'svd-revisions'), /\.svd\.gz$/), ...list(join(data, 'ipxact'), /\.xml$/)].sort();
}

/** A short name for test titles: the path below shared/data. */
export const shortName = (file: string): string => file.split('/shared/data/')[1] ?? file;
