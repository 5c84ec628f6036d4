import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where specdrive's own files are, whether it runs from a checkout (sources under src/) or as an
 * installed package (the bundle under dist/): the nearest folder above this module holding a
 * package.json. Templates, runtimes, the solver's .wasm and the matcher weights sit at the same
 * paths below it in both cases (package.json `files` ships them there).
 */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`specdrive: no package.json above ${start}`);
  }
}

export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A file shipped with specdrive, by its path in the repository (`wasm-core/specdrive_core.wasm`). */
export function packagePath(...segments: string[]): string {
  return join(packageRoot, ...segments);
}

/** True when running the TypeScript sources (tests, repository scripts); false for the built bundle. */
export const runningFromSource: boolean = import.meta.url.endsWith('.ts');

const requireHere = createRequire(import.meta.url);

/**
 * The folder of an installed dependency (`typescript`, `serialport`, `@types/node`), found by Node's
 * own resolution from specdrive's location, so it works hoisted, nested or linked. Throws a message
 * that says what to install when it is missing.
 */
export function dependencyDir(name: string): string {
  try {
    return dirname(requireHere.resolve(`${name}/package.json`));
  } catch {
    throw new Error(`cannot find the package ${name}, which specdrive needs here; reinstall specdrive-cli (npm install) so its dependencies are present`);
  }
}

/** The node_modules folder that holds a resolved dependency (its parent, past a @scope folder). */
export function nodeModulesOf(dependencyFolder: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = dependencyFolder.lastIndexOf(marker);
  if (at < 0) throw new Error(`${dependencyFolder} is not inside a node_modules folder`);
  return dependencyFolder.slice(0, at + marker.length - 1);
}

/** A file exported by a dependency (`tsx/esm`), resolved as Node would from specdrive's location. */
export function resolveDependency(specifier: string): string {
  try {
    return requireHere.resolve(specifier);
  } catch {
    throw new Error(`cannot find ${specifier}, which specdrive needs here; reinstall specdrive-cli (npm install) so its dependencies are present`);
  }
}
