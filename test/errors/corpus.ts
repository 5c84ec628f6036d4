/**
 * The error corpus: `cases/*.yaml` are small bad specs, one diagnostic each, declared in a header
 * comment `# expect: CODE LINE:COL`; `valid/*.yaml` are specs that must load and validate clean.
 * Shared by the corpus runner and the JSON Schema equivalence test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = join(here, 'cases');
export const VALID_DIR = join(here, 'valid');

export interface Expectation {
  readonly code: string;
  readonly line: number;
  readonly column: number;
}

export interface CorpusCase {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly expected: readonly Expectation[];
}

const EXPECT = /^#\s*expect:\s*(\S+)\s+(\d+):(\d+)\s*$/;

/** Reads the `# expect:` lines of the leading comment block; a case without one is a broken case. */
export function parseExpectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const m = EXPECT.exec(line);
    if (m) out.push({ code: m[1]!, line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function corpusCases(): CorpusCase[] {
  return yamlFiles(CASES_DIR).map((name) => {
    const file = join(CASES_DIR, name);
    const text = readFileSync(file, 'utf8');
    return { name, file, text, expected: parseExpectations(text) };
  });
}

export function validFixtures(): { name: string; file: string; text: string }[] {
  return yamlFiles(VALID_DIR).map((name) => {
    const file = join(VALID_DIR, name);
    return { name, file, text: readFileSync(file, 'utf8') };
  });
}

/**
 * Codes the loader (YAML parsing, schema, limits) can give a native spec; with the rules' own codes
 * these are what the corpus must cover.
 */
export const LOADER_CODES: readonly string[] = [
  'yaml/syntax',
  'yaml/duplicate-key',
  'yaml/alias-limit',
  'limits/too-deep',
  'hardware/unknown-key',
  'hardware/missing-key',
  'hardware/invalid-value',
  'hardware/invalid-type',
  'hardware/out-of-range',
  'hardware/bits-order',
];
