/**
 * Fuzz: the native YAML hardware loader (importer + validation) on generated specs, on their
 * serialised text mutated at random, and on the demo board's real revisions mutated at random.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { importNativeYaml } from '../../src/importers/index.ts';
import { validateDevice } from '../../src/validate/index.ts';
import { assertOutcome, countCase, fuzzParams, mutate, mutationsArb, timed } from './harness.ts';
import { cleanSpecDocArb, specDocArb, specText } from './spec-arbitraries.ts';

const demo = ['rev-a', 'rev-b', 'rev-c'].map((rev) => readFileSync(new URL(`../../hardware-specs/demo-board/${rev}.yaml`, import.meta.url), 'utf8'));

/** Import then validate: both stages must end in values or located diagnostics. */
function loadAndValidate(text: string, label: string): void {
  countCase('native-yaml');
  timed(label, () => {
    const result = importNativeYaml(text, 'fuzz.yaml');
    assertOutcome(label, result);
    if (result.value) assertOutcome(`${label} (validate)`, { value: true, diagnostics: validateDevice(result.value) });
  });
}

describe('fuzz: native YAML loader', () => {
  it('generated specs load to a device or located diagnostics', () => {
    fc.assert(
      fc.property(fc.oneof(specDocArb, cleanSpecDocArb), (doc) => loadAndValidate(specText(doc), 'generated spec')),
      fuzzParams(),
    );
  });

  it('generated specs with mutated text', () => {
    fc.assert(
      fc.property(specDocArb, mutationsArb, (doc, muts) => loadAndValidate(mutate(specText(doc), muts), 'mutated generated spec')),
      fuzzParams(),
    );
  });

  it('mutated demo-board revisions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...demo), mutationsArb, (text, muts) => loadAndValidate(mutate(text, muts), 'mutated demo revision')),
      fuzzParams(),
    );
  });
});
