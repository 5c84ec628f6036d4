import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SourceText } from '../diagnostics/source-text.ts';
import type { SourceLookup } from '../diagnostics/render.ts';

/** Reads source files on demand for code frames; a file that cannot be read renders without one. */
export function fileSourceLookup(): SourceLookup {
  const cache = new Map<string, SourceText | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const bytes = readFileSync(file);
        cache.set(file, new SourceText(file, (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}
