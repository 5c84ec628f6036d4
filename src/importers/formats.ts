import { extname } from 'node:path';
import type { SourceFormat } from '../ir/types.ts';

/**
 * How each spec format is recognised, without loading its importer. Picking the format is the only
 * thing every command does for every format; the importer itself (a parser, zod schemas, an
 * elaborator) is loaded afterwards for the one format found (src/importers/lazy.ts), so `validate`
 * of a small YAML spec does not pay for SystemRDL, IP-XACT and the svdtools patch engine.
 */
export interface SpecFormat {
  /** Unique per importer (two importers may produce the same `format`: an SVD and an svdtools patch). */
  readonly id: 'svd' | 'ipxact' | 'specdrive-yaml' | 'chiptool' | 'svd-patch' | 'hjson' | 'systemrdl';
  readonly format: SourceFormat;
  /** File extensions this importer claims (lower case, with the dot). */
  readonly extensions: readonly string[];
  /** True when the content looks like this format (used when the extension says nothing). */
  sniff(text: string): boolean;
}

/** The `spec:` value that marks a native specdrive hardware YAML file. */
export const HARDWARE_SPEC_ID = 'specdrive/hardware@1';

export const svdFormat: SpecFormat = {
  id: 'svd',
  format: 'svd',
  // SVD files are also shipped as `.xml`; IP-XACT claims it too, so the content (sniff) decides there.
  extensions: ['.svd', '.xml'],
  // The root element is <device> with SVD children; an XML prolog and comments may come first.
  sniff: (text) => /<device[\s>]/.test(text.slice(0, 4096)) && /<peripherals?[\s>]/.test(text.slice(0, 1 << 20)),
};

export const ipxactFormat: SpecFormat = {
  id: 'ipxact',
  format: 'ipxact',
  // `.xml` is shared with other XML formats, so the content decides (sniff) when an extension is ambiguous.
  extensions: ['.xml', '.ipxact'],
  sniff: (text) => /<(\w+:)?component[\s>]/.test(text.slice(0, 1 << 16)) && /(spiritconsortium\.org|accellera\.org)\/XMLSchema/.test(text.slice(0, 1 << 16)),
};

export const nativeYamlFormat: SpecFormat = {
  id: 'specdrive-yaml',
  format: 'specdrive-yaml',
  extensions: ['.yaml', '.yml'],
  sniff: (text) => text.includes(HARDWARE_SPEC_ID),
};

/** A chiptool register file: top-level keys such as `block/USART:`, `fieldset/CR1:`, `enum/M0:`. */
const CHIPTOOL_KEY = /^(block|fieldset|enum)\/[A-Za-z0-9_]+\s*:/m;

export const chiptoolFormat: SpecFormat = {
  id: 'chiptool',
  format: 'chiptool',
  extensions: ['.yaml', '.yml'],
  // Any version of the native spec marker makes it a native file (whose schema then says what is wrong).
  sniff: (text) => CHIPTOOL_KEY.test(text) && !text.includes('specdrive/hardware@'),
};

/** A YAML file with a top-level `_svd:` key is an svdtools device patch. */
export function looksLikeSvdPatch(text: string): boolean {
  return /^_svd\s*:/m.test(text.slice(0, 1 << 16));
}

export const svdPatchFormat: SpecFormat = {
  id: 'svd-patch',
  format: 'svd',
  extensions: ['.yaml', '.yml'],
  sniff: looksLikeSvdPatch,
};

export const hjsonFormat: SpecFormat = {
  id: 'hjson',
  format: 'hjson',
  extensions: ['.hjson'],
  // Only consulted for unknown extensions: a reggen file has a `registers` list and a `name`.
  sniff: (text) => /^\s*registers\s*:\s*[[{]/m.test(text) && /^\s*name\s*:/m.test(text),
};

export const systemRdlFormat: SpecFormat = {
  id: 'systemrdl',
  format: 'systemrdl',
  extensions: ['.rdl'],
  // Component definitions at the start of a line are specific enough; YAML and XML never have them.
  sniff: (text) => /^\s*(addrmap|regfile|reg|field)\s+\w*\s*\{/m.test(text) && !/^\s*</.test(text),
};

/**
 * Every format specdrive reads. Order matters for sniffing: the first whose `sniff` accepts the
 * content wins, so the most specific formats come first. An svdtools patch (YAML with `_svd:`) is
 * recognised by its content only; it comes after native YAML so that a `.yaml` file no format
 * recognises still falls back to native YAML (and its schema errors).
 */
export const specFormats: readonly SpecFormat[] = [svdFormat, ipxactFormat, nativeYamlFormat, chiptoolFormat, svdPatchFormat, hjsonFormat, systemRdlFormat];

/** Picks the format of a file: by extension when it is unambiguous, else by sniffing the content. */
export function formatFor(file: string, text: string): SpecFormat | undefined {
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  const byExtension = specFormats.filter((f) => f.extensions.includes(ext));
  if (byExtension.length === 1) return byExtension[0];
  const candidates = byExtension.length > 0 ? byExtension : specFormats;
  return candidates.find((f) => f.sniff(text)) ?? byExtension[0];
}
