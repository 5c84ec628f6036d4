import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeSpecBytes } from './spec-bytes.ts';
import type { StageResult } from '../diagnostics/types.ts';
import { fileSpan } from '../diagnostics/source-text.ts';
import type { Device } from '../ir/types.ts';
import { importerFor, importers } from './registry.ts';
import { fileTooLarge, resolveLimits, type ImportOptions } from './types.ts';
import { unrepresentable } from '../validate/rules/representable.ts';

export type { Importer, ImportOptions, ImportLimits } from './types.ts';
export { defaultImportLimits, resolveLimits } from './types.ts';
export { importers, importerFor } from './registry.ts';
export { importNativeYaml, hardwareJsonSchema, hardwareSpecSchema } from './native-yaml/index.ts';

/** Imports already-read text, choosing the format by extension or content. */
export function importText(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const importer = importerFor(file, text);
  if (!importer) {
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'import/unknown-format',
          severity: 'error',
          message: `cannot tell the format of ${file}; known formats: ${importers.map((i) => `${i.format} (${i.extensions.join(', ')})`).join('; ')}`,
          span: fileSpan(file),
        },
      ],
    };
  }
  const imported = importer.import(text, file, options);
  if (!imported.value) return imported;
  // Refused here, before any stage: what no generator, report or the simulator can represent.
  const tooWide = unrepresentable(imported.value);
  return tooWide.length ? { value: undefined, diagnostics: [...imported.diagnostics, ...tooWide] } : imported;
}

/** Reads and imports a file. Unreadable or oversized files are diagnostics, not exceptions. */
export function importFile(file: string, options?: ImportOptions): StageResult<Device> & { text?: string } {
  const limits = resolveLimits(options);
  const path = options?.cwd === undefined ? file : resolve(options.cwd, file);
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > limits.maxBytes) return fileTooLarge(file, size, limits.maxBytes);
    text = decodeSpecBytes(file, readFileSync(path), limits.maxBytes);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') {
      return {
        value: undefined,
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
    return {
      value: undefined,
      diagnostics: [{ code: 'import/unreadable', severity: 'error', message: `cannot read ${file}: ${e.code ?? e.message}`, span: fileSpan(file) }],
    };
  }
  try {
    return { ...importText(text, file, options), text };
  } catch (error) {
    // Importers report problems as diagnostics; an exception is our bug, still reported with a location.
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
}
