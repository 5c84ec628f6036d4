import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import { fileSpan } from '../diagnostics/source-text.ts';
import { loadConfiguration, loadDriverContract, loadProfile, type Configuration, type DriverContract, type Profile } from '../contracts/index.ts';

/**
 * Reads a software spec file (named relative to `cwd`, as its spans will name it) with `load`,
 * turning an unreadable file into a located diagnostic.
 */
function readWith<T>(cwd: string | undefined, file: string, load: (text: string, file: string) => StageResult<T>): StageResult<T> {
  let text: string;
  try {
    text = readFileSync(cwd === undefined ? file : resolve(cwd, file), 'utf8');
  } catch (error) {
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'spec/unreadable',
          severity: 'error',
          message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          span: fileSpan(file),
        },
      ],
    };
  }
  return load(text, file);
}

export interface SoftwareSpecs {
  readonly contracts: readonly DriverContract[];
  readonly configs: readonly Configuration[];
  readonly profiles: readonly Profile[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Loads the software specs named by `files`: absolute, or relative to `cwd` (the command's working
 * directory; spans keep the names as given).
 */
export function loadSoftwareSpecs(
  files: { contracts: readonly string[]; configs: readonly string[]; profiles: readonly string[] },
  cwd?: string,
): SoftwareSpecs {
  const diagnostics: Diagnostic[] = [];
  const collect = <T>(list: readonly string[], load: (text: string, file: string) => StageResult<T>): T[] =>
    list.flatMap((file) => {
      const r = readWith(cwd, file, load);
      diagnostics.push(...r.diagnostics);
      return r.value ? [r.value] : [];
    });
  return {
    contracts: collect(files.contracts, loadDriverContract),
    configs: collect(files.configs, loadConfiguration),
    profiles: collect(files.profiles, loadProfile),
    diagnostics,
  };
}
