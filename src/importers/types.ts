import { fileSpan } from '../diagnostics/source-text.ts';
import type { StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import type { SpecFormat } from './formats.ts';

/** Resource limits every importer honours; hostile inputs hit these and get a coded error. */
export interface ImportLimits {
  /** Largest input accepted, in bytes. */
  readonly maxBytes: number;
  /** Most registers + fields an input may describe (after arrays, counted once). */
  readonly maxNodes: number;
  /** Largest array dimension accepted. */
  readonly maxDim: number;
  /** Deepest nesting accepted (XML elements, YAML collections, clusters). */
  readonly maxDepth: number;
}

export const defaultImportLimits: ImportLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxNodes: 2_000_000,
  maxDim: 65_536,
  maxDepth: 256,
};

export interface ImportOptions {
  readonly limits?: Partial<ImportLimits>;
  /** Folders searched by `include` directives (SystemRDL). */
  readonly includePaths?: readonly string[];
  /**
   * The directory a relative file name is read from (the command's working directory); spans keep
   * the name as given. Unset: the process's working directory.
   */
  readonly cwd?: string;
}

/**
 * An importer turns the text of one file into the IR; how its format is recognised (extensions,
 * sniffing) is its `SpecFormat` in formats.ts. It never throws on bad input: problems are
 * diagnostics with spans. `value` is undefined when errors made the result unusable.
 */
export interface Importer extends SpecFormat {
  import(text: string, file: string, options?: ImportOptions): StageResult<Device>;
}

/** The defaults with the given limits over them; a limit given as undefined keeps its default (it never means "none"). */
export function resolveLimits(options?: ImportOptions): ImportLimits {
  const given = Object.entries(options?.limits ?? {}).filter(([, v]) => typeof v === 'number' && v > 0);
  return { ...defaultImportLimits, ...Object.fromEntries(given) };
}

/** The refusal of an input of `size` bytes over `maxBytes`, located at the start of the file. */
export function fileTooLarge<T>(file: string, size: number, maxBytes: number): StageResult<T> {
  return {
    value: undefined,
    diagnostics: [{ code: 'limits/file-too-large', severity: 'error', message: `${file} is ${size} bytes; the limit is ${maxBytes}`, span: fileSpan(file) }],
  };
}
