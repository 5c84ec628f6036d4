import type { StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { importerCrash, readSpecText, runImporter, unknownFormat } from './read-spec.ts';
import { importerFor } from './registry.ts';
import { resolveLimits, type ImportOptions } from './types.ts';

export type { Importer, ImportOptions, ImportLimits } from './types.ts';
export { defaultImportLimits, resolveLimits } from './types.ts';
export { importers, importerFor } from './registry.ts';
export { specFormats, formatFor, type SpecFormat } from './formats.ts';
export { importFileLazily } from './lazy.ts';
export { importNativeYaml, hardwareJsonSchema, hardwareSpecSchema } from './native-yaml/index.ts';

/** Imports already-read text, choosing the format by extension or content. */
export function importText(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const importer = importerFor(file, text);
  return importer ? runImporter(importer, text, file, options) : unknownFormat(file);
}

/** Reads and imports a file. Unreadable or oversized files are diagnostics, not exceptions. */
export function importFile(file: string, options?: ImportOptions): StageResult<Device> & { text?: string } {
  const read = readSpecText(file, resolveLimits(options), options?.cwd);
  if (!('text' in read)) return { value: undefined, diagnostics: read.diagnostics };
  try {
    return { ...importText(read.text, file, options), text: read.text };
  } catch (error) {
    return importerCrash(file, read.text, error);
  }
}
