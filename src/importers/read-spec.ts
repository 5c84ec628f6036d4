import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileSpan } from '../diagnostics/source-text.ts';
import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { unrepresentable } from '../validate/rules/representable.ts';
import { specFormats } from './formats.ts';
import { decodeSpecBytes } from './spec-bytes.ts';
import { fileTooLarge, type Importer, type ImportLimits, type ImportOptions } from './types.ts';

/**
 * The steps of an import around the importer itself, shared by the eager path (index.ts, every
 * importer loaded) and the lazy one (lazy.ts, only the importer of the file's format).
 */

/**
 * Reads a spec file (gunzipping `.gz`) within the size limit; unreadable or oversized files are
 * diagnostics. A relative `file` is read from `cwd` when given; messages keep `file` as written.
 */
export function readSpecText(file: string, limits: ImportLimits, cwd?: string): { text: string } | { diagnostics: readonly Diagnostic[] } {
  const path = cwd === undefined ? file : resolve(cwd, file);
  try {
    const size = statSync(path).size;
    if (size > limits.maxBytes) return { diagnostics: fileTooLarge(file, size, limits.maxBytes).diagnostics };
    return { text: decodeSpecBytes(file, readFileSync(path), limits.maxBytes) };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        diagnostics: [
          {
            code: 'limits/file-too-large',
            severity: 'error',
            message: `${file} decompresses to more than ${limits.maxBytes} bytes, the limit`,
            span: fileSpan(file),
          },
        ],
      };
    }
    return { diagnostics: [{ code: 'import/unreadable', severity: 'error', message: `cannot read ${file}: ${e.code ?? e.message}`, span: fileSpan(file) }] };
  }
}

/** No format recognised the file. */
export function unknownFormat(file: string): StageResult<Device> {
  return {
    value: undefined,
    diagnostics: [
      {
        code: 'import/unknown-format',
        severity: 'error',
        message: `cannot tell the format of ${file}; known formats: ${specFormats.map((i) => `${i.format} (${i.extensions.join(', ')})`).join('; ')}`,
        span: fileSpan(file),
      },
    ],
  };
}

/** Runs the importer, then refuses what no later stage can represent. */
export function runImporter(importer: Importer, text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const imported = importer.import(text, file, options);
  if (!imported.value) return imported;
  // Refused here, before any stage: what no generator, report or the simulator can represent.
  const tooWide = unrepresentable(imported.value);
  return tooWide.length ? { value: undefined, diagnostics: [...imported.diagnostics, ...tooWide] } : imported;
}

/** Importers report problems as diagnostics; an exception is our bug, still reported with a location. */
export function importerCrash(file: string, text: string, error: unknown): StageResult<Device> & { text: string } {
  return {
    value: undefined,
    text,
    diagnostics: [
      {
        code: 'internal/importer-crash',
        severity: 'error',
        message: `importer failed on ${file}: ${(error as Error).stack ?? String(error)}`,
        span: fileSpan(file),
      },
    ],
  };
}
