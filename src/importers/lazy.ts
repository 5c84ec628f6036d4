import type { StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { formatFor, type SpecFormat } from './formats.ts';
import { importerCrash, readSpecText, runImporter, unknownFormat } from './read-spec.ts';
import { resolveLimits, type Importer, type ImportOptions } from './types.ts';

/**
 * The importers, each loaded on first use. A command that reads one spec recognises its format
 * first (formats.ts) and loads only that importer: `validate` of a native YAML file never loads the
 * SVD, SystemRDL or IP-XACT code (in the bundle each is its own chunk; see scripts/build.ts).
 */
const LOADERS: Readonly<Record<SpecFormat['id'], () => Promise<Importer>>> = {
  svd: async () => (await import('./svd/index.ts')).svdImporter,
  ipxact: async () => (await import('./ipxact/index.ts')).ipxactImporter,
  'specdrive-yaml': async () => (await import('./native-yaml/index.ts')).nativeYamlImporter,
  chiptool: async () => (await import('./chiptool/index.ts')).chiptoolImporter,
  'svd-patch': async () => (await import('../patch/index.ts')).svdPatchImporter,
  hjson: async () => (await import('./hjson/index.ts')).hjsonImporter,
  systemrdl: async () => (await import('./systemrdl/index.ts')).systemRdlImporter,
};

/** The importer of a format, loaded on first use. */
export function loadImporter(format: SpecFormat): Promise<Importer> {
  return LOADERS[format.id]();
}

/** Reads and imports a file, loading only the importer of its format (the same result as `importFile`). */
export async function importFileLazily(file: string, options?: ImportOptions): Promise<StageResult<Device> & { text?: string }> {
  const read = readSpecText(file, resolveLimits(options), options?.cwd);
  if (!('text' in read)) return { value: undefined, diagnostics: read.diagnostics };
  const format = formatFor(file, read.text);
  if (!format) return { ...unknownFormat(file), text: read.text };
  const importer = await loadImporter(format);
  try {
    return { ...runImporter(importer, read.text, file, options), text: read.text };
  } catch (error) {
    return importerCrash(file, read.text, error);
  }
}
