import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Device } from '../../src/ir/types.ts';
import { importFile } from '../../src/importers/index.ts';
import { loadConfiguration, loadDriverContract, loadProfile, type Configuration, type DriverContract, type Profile } from '../../src/contracts/index.ts';

/** The repository root, so tests run from any working directory. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedData = join(repoRoot, '..', 'shared', 'data');

export function demoRevision(rev: 'rev-a' | 'rev-b' | 'rev-c'): Device {
  const result = importFile(join(repoRoot, 'hardware-specs', 'demo-board', `${rev}.yaml`));
  if (!result.value) throw new Error(`demo ${rev} did not load: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}

function mustLoad<T>(file: string, load: (text: string, file: string) => { value: T | undefined; diagnostics: readonly unknown[] }): T {
  const path = join(repoRoot, file);
  const result = load(readFileSync(path, 'utf8'), file);
  if (!result.value) throw new Error(`${file} did not load: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}

export const demoContract = (driver: 'uart' | 'gpio' | 'timer'): DriverContract => mustLoad(`software-specs/${driver}.driver.yaml`, loadDriverContract);
export const demoConfig = (name: string): Configuration => mustLoad(`software-specs/configs/${name}.yaml`, loadConfiguration);
export const demoProfile = (name: string): Profile => mustLoad(`software-specs/profiles/${name}.yaml`, loadProfile);
