import type { Importer } from './types.ts';
import { formatFor } from './formats.ts';
import { nativeYamlImporter } from './native-yaml/index.ts';
import { svdImporter } from './svd/index.ts';
import { ipxactImporter } from './ipxact/index.ts';
import { chiptoolImporter } from './chiptool/index.ts';
import { hjsonImporter } from './hjson/index.ts';
import { systemRdlImporter } from './systemrdl/index.ts';
import { svdPatchImporter } from '../patch/index.ts';

/**
 * Every importer specdrive knows, loaded up front, in the order of `specFormats` (formats.ts says how
 * each is recognised). For synchronous callers; a command that reads one spec loads only its
 * importer through lazy.ts.
 */
export const importers: readonly Importer[] = [
  svdImporter,
  ipxactImporter,
  nativeYamlImporter,
  chiptoolImporter,
  svdPatchImporter,
  hjsonImporter,
  systemRdlImporter,
];

/** Picks the importer for a file: by extension when it is unambiguous, else by sniffing the content. */
export function importerFor(file: string, text: string): Importer | undefined {
  const format = formatFor(file, text);
  return format && importers.find((i) => i.id === format.id);
}
