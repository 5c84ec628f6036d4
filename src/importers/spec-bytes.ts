import { createRequire } from 'node:module';

// node:zlib is loaded on the first gzipped spec only: most commands never read one, and loading it
// is a measurable share of a small command's start-up.
let zlib: typeof import('node:zlib') | undefined;
const loadZlib = (): typeof import('node:zlib') => (zlib ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib'));

/**
 * Gzipped specs (`.svd.gz`) are common for large vendor files; everything else is UTF-8. Inflation
 * stops at the size limit (ERR_BUFFER_TOO_LARGE), so a gzip bomb never expands in memory. Every
 * reader of a spec file goes through here (import, code frames of diagnostics, svdtools `_copy`).
 */
export function decodeSpecBytes(file: string, bytes: Buffer, maxBytes: number): string {
  if (file.endsWith('.gz')) {
    return loadZlib()
      .gunzipSync(bytes, { maxOutputLength: Math.max(1, maxBytes + 1) })
      .toString('utf8');
  }
  return bytes.toString('utf8');
}
