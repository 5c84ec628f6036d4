/**
 * Every reader of a spec file inflates `.gz` within the import size limit, not only the importer:
 * the CLI's code frames of diagnostics (which read the file again to draw the caret) used to inflate
 * a refused gzip bomb whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSourceLookup } from '../../src/cli/sources.ts';
import { defaultImportLimits } from '../../src/importers/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'gzip-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gzip bombs and the readers beside the importer', () => {
  it('a code frame is not drawn from a file that inflates past the limit', () => {
    const bomb = join(dir, 'bomb.svd.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(defaultImportLimits.maxBytes + 1024, 0x20), { level: 1 }));
    expect(fileSourceLookup(process.cwd())(bomb)).toBeUndefined();
  });

  it('a small gzipped spec still gets its code frame', () => {
    const small = join(dir, 'small.svd.gz');
    writeFileSync(small, gzipSync(Buffer.from('<device>\n  <name>X</name>\n</device>\n')));
    expect(fileSourceLookup(process.cwd())(small)?.text).toContain('<name>X</name>');
  });
});
