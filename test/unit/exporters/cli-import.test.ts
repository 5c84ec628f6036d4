import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { canonicalJson } from '../../../src/ir/canonical.ts';
import { runCliIn, type CliRun } from '../../helpers/run-cli.ts';

const data = join(import.meta.dirname, '../../../../shared/data');
const dir = mkdtempSync(join(tmpdir(), 'specdrive-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]): Promise<CliRun> => runCliIn(dir, args);

const comparable = (file: string): string => canonicalJson({ ...importFile(file).value!, sourceFormat: 'svd' }, { descriptions: true });

describe('specdrive import', () => {
  it('converts IP-XACT to native YAML that loads back to the same IR', async () => {
    const input = join(data, 'ipxact/leon2-1685-2022/timers@1.3.xml');
    const result = await cli('import', input, '-o', 'timers.yaml');
    expect(result.code).toBe(0);
    expect(comparable(join(dir, 'timers.yaml'))).toBe(comparable(input));
  });

  it('converts a gzipped SVD to SVD with --to svd', async () => {
    const input = join(data, 'svd/STM32F407.svd.gz');
    const result = await cli('import', input, '-o', 'out.xml', '--to', 'svd');
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'out.xml'), 'utf8')).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<device schemaVersion="1.3"/);
    // `.xml` is shared by SVD and IP-XACT: the content decides, and the round trip holds.
    expect(comparable(join(dir, 'out.xml'))).toBe(comparable(input));
  });

  it('writes nothing and exits 2 on a broken input, leaving an existing output untouched', async () => {
    writeFileSync(join(dir, 'keep.yaml'), 'old\n');
    const before = readdirSync(dir).sort();
    const result = await cli('import', join(import.meta.dirname, '../../fixtures/xml-bad/truncated.svd'), '-o', 'keep.yaml', '--format', 'json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).diagnostics[0]).toMatchObject({ code: 'xml/unexpected-eof', span: { line: 6, column: 7 } });
    expect(readFileSync(join(dir, 'keep.yaml'), 'utf8')).toBe('old\n');
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await cli('import', 'x.svd')).code).toBe(2);
    expect((await cli('import', 'x.svd', '-o', 'out.txt')).code).toBe(2);
    expect((await cli('import', 'x.svd', '-o', 'o.yaml', '--to', 'json')).code).toBe(2);
    expect(existsSync(join(dir, 'o.yaml'))).toBe(false);
  });
});
