import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SourceText } from '../diagnostics/source-text.ts';
import type { SourceLookup } from '../diagnostics/render.ts';
import { decodeSpecBytes } from '../importers/spec-bytes.ts';
import { resolveLimits } from '../importers/types.ts';

/**
 * Reads source files on demand for code frames; a file that cannot be read renders without one.
 * Spans name files relative to the command's working directory `cwd`.
 */
export function fileSourceLookup(cwd: string): SourceLookup {
  const cache = new Map<string, SourceText | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const bytes = readFileSync(resolve(cwd, file));
        // Bounded like an import: a gzip bomb that was refused must not inflate to draw its code frame.
        cache.set(file, new SourceText(file, decodeSpecBytes(file, bytes, resolveLimits().maxBytes)));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}
