/**
 * Error corpus of the svdtools patch stage: `patch/cases/<code>.yaml`, one bad patch per code (of
 * test/fixtures/svd-patch/mini.svd), declaring `# expect: CODE LINE:COL`. Each must give exactly
 * that located error through the normal import path, and `specdrive import` must exit 2 and write
 * nothing. Every code in PATCH_CODES needs a case.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';
import { importFile } from '../../src/importers/index.ts';
import { PATCH_CODES } from '../../src/patch/codes.ts';
import { parseExpectations } from './corpus.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'patch', 'cases');
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((name) => {
    const file = join(DIR, name);
    return { name, file, expected: parseExpectations(readFileSync(file, 'utf8')) };
  });
const out = mkdtempSync(join(tmpdir(), 'patch-corpus-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function context(): { context: CommandContext; err: string[] } {
  const err: string[] = [];
  return {
    err,
    context: { cwd: process.cwd(), stdout: () => undefined, stderr: (t) => void err.push(t), color: false, isTTY: false, signal: new AbortController().signal },
  };
}

describe('svdtools patch error corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s gives exactly its located error', (_name, c) => {
    expect(c.expected).toHaveLength(1);
    const result = importFile(c.file);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.map((d) => ({ code: d.code, line: d.span?.line, column: d.span?.column, file: d.span?.file }))).toEqual(
      c.expected.map((e) => ({ ...e, file: c.file })),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: `specdrive import` exits 2, prints file:line:col and writes nothing', async (_name, c) => {
    const { context: ctx, err } = context();
    const target = join(out, `${c.name}.svd`);
    const shown = relative(process.cwd(), c.file);
    expect(await runCli(['import', shown, '-o', target], ctx)).toBe(2);
    const e = c.expected[0]!;
    expect(err.join('')).toContain(`${shown}:${e.line}:${e.column}: `);
    expect(err.join('')).toContain(`[${e.code}]`);
    expect(existsSync(target)).toBe(false);
  });

  it('covers every patch code, and only those', () => {
    expect(new Set(cases.map((c) => c.expected[0]?.code))).toEqual(new Set(Object.keys(PATCH_CODES)));
  });
});
