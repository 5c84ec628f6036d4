/**
 * No source file over 500 lines (issue 19): a file that grows past it holds more than one pass and
 * is split along them. An exception must be named here and explained in docs/architecture.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const LIMIT = 500;
const SOURCE_AREAS = ['src', 'generators', 'firmware-sim', 'wasm-core/src', 'scripts', 'bin'];
const SOURCE_FILE = /\.(ts|rs|py|hbs|js|mjs)$/;
/** Files allowed past the limit, each with its reason in docs/architecture.md. None today. */
const EXCEPTIONS: readonly string[] = [];

function trackedSources(): string[] {
  const listed = execFileSync('git', ['ls-files', '--', ...SOURCE_AREAS], { cwd: ROOT, encoding: 'utf8' });
  return listed.split('\n').filter((file) => SOURCE_FILE.test(file));
}

function lineCount(file: string): number {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source file size', () => {
  it(`every tracked source file has at most ${LIMIT} lines`, () => {
    const files = trackedSources();
    expect(files.length).toBeGreaterThan(100);
    const over = files.filter((file) => !EXCEPTIONS.includes(file) && lineCount(file) > LIMIT).map((file) => `${file}: ${lineCount(file)} lines`);
    expect(over).toEqual([]);
  });

  it('counts lines as wc -l does', () => {
    expect(lineCount('package.json')).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8').split('\n').length - 1);
  });
});
