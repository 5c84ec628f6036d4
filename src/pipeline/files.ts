import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files below `dir` whose name `accept`s, depth first in sorted order (so results are stable),
 * skipping hidden entries and node_modules. A missing folder has no files.
 */
export function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (accept(name)) out.push(full);
    }
  };
  visit(dir);
  return out;
}
