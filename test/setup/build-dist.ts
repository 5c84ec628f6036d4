/**
 * Vitest global setup: tests that run `bin/specdrive.js` as a child process run the built bundle,
 * so rebuild dist/ first whenever a source is newer than it (a no-op when nothing changed).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from '../../scripts/build.ts';
import { filesUnder } from '../../src/pipeline/files.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function distIsStale(): boolean {
  const bundle = join(root, 'dist', 'specdrive.v8cache');
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  const sources = ['src', 'generators', 'firmware-sim', 'scripts'].flatMap((dir) => filesUnder(join(root, dir), (name) => name.endsWith('.ts')));
  sources.push(join(root, 'package.json'), join(root, 'bin', 'specdrive.js'));
  return sources.some((file) => statSync(file).mtimeMs > built);
}

export default async function setup(): Promise<void> {
  if (distIsStale()) await buildDist();
}
