/**
 * Fuzz: the YAML subset reader (src/yaml/yaml-subset.ts) against `yaml` on mutated real files and
 * generated specs. A text the reader accepts must read to yaml's value and spans with no yaml
 * diagnostic (test/unit/yaml/subset-compare.ts); any other text must be left to yaml.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithYaml } from '../unit/yaml/subset-compare.ts';
import { countCase, FUZZ_RUNS, fuzzParams, mutate, mutationsArb, timed } from './harness.ts';
import { cleanSpecDocArb, specDocArb, specText } from './spec-arbitraries.ts';

const root = join(import.meta.dirname, '..', '..');
const repoYaml = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .map((f) => readFileSync(join(root, f), 'utf8'));

const accepted = { same: 0, all: 0 };
function check(text: string, label: string): void {
  countCase('yaml-subset');
  const outcome = timed(label, () => compareWithYaml(text));
  accepted.all++;
  if (outcome === 'same') accepted.same++;
  if (outcome !== 'same' && outcome !== 'outside') throw new Error(`${label}: ${outcome}\n--- text ---\n${text.slice(0, 2000)}`);
}

describe('fuzz: YAML subset reader against yaml', () => {
  it('mutated YAML files of the repository', () => {
    fc.assert(
      fc.property(fc.constantFrom(...repoYaml), mutationsArb, (text, muts) => check(mutate(text, muts), 'mutated repository YAML')),
      fuzzParams(4),
    );
  });

  it('generated specs, plain and mutated', () => {
    fc.assert(
      fc.property(fc.oneof(specDocArb, cleanSpecDocArb), mutationsArb, fc.boolean(), (doc, muts, mutated) => {
        const text = specText(doc);
        check(mutated ? mutate(text, muts) : text, 'generated spec');
      }),
      fuzzParams(2),
    );
  });

  // The property says nothing if every case falls back to yaml: some must take the subset path.
  afterAll(() => {
    console.log(`yaml-subset: ${accepted.same} of ${accepted.all} cases took the subset path`);
    if (FUZZ_RUNS >= 30) expect(accepted.same).toBeGreaterThan(accepted.all / 20);
  });
});
