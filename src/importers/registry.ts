import { extname } from 'node:path';
import type { Importer } from './types.ts';
import { nativeYamlImporter } from './native-yaml/index.ts';
import { svdImporter } from './svd/index.ts';
import { ipxactImporter } from './ipxact/index.ts';
import { chiptoolImporter } from './chiptool/index.ts';
import { hjsonImporter } from './hjson/index.ts';
import { systemRdlImporter } from './systemrdl/index.ts';
import { svdPatchImporter } from '../patch/index.ts';

/**
 * Every importer specdrive knows. Order matters for sniffing: the first whose `sniff` accepts the
 * content wins, so the most specific formats come first.
 */
// An svdtools patch (YAML with `_svd:`) is recognised by its content only; it comes after native YAML so
// that a `.yaml` file no importer recognises still falls back to native YAML (and its schema errors).
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
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  const byExtension = importers.filter((i) => i.extensions.includes(ext));
  if (byExtension.length === 1) return byExtension[0];
  const candidates = byExtension.length > 0 ? byExtension : importers;
  return candidates.find((i) => i.sniff(text)) ?? byExtension[0];
}
