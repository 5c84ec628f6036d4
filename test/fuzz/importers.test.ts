/**
 * Fuzz: every registered importer on real files from ../shared/data mutated at random (byte flips,
 * truncation, deletion, duplicated spans and duplicated elements, nasty tokens). Each importer
 * registered in src/importers/registry.ts must have seeds here; a newly registered one without
 * seeds fails the coverage test, so the suite grows with the importers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importers as registered } from '../../src/importers/registry.ts';
import { systemRdlImporter } from '../../src/importers/systemrdl/index.ts';
import type { Importer } from '../../src/importers/types.ts';
import { assertOutcome, countCase, fuzzParams, mutate, mutationsArb, readData, svdSlice, timed } from './harness.ts';
import { readProjectFile } from './seeds.ts';
import { join } from 'node:path';
import { svdPatchImporter } from '../../src/patch/index.ts';
import { projectRoot } from '../project-root.ts';

interface Seed {
  readonly file: string;
  readonly text: string;
}

/** Small real inputs per format (a few KB each, so many cases fit in the CI budget). */
const seedsByFormat: Readonly<Record<string, () => Seed[]>> = {
  svd: () => [
    { file: 'samd21.svd', text: svdSlice('svd/ATSAMD21G18A.svd.gz', 2) },
    { file: 'rp2040.svd', text: svdSlice('svd/RP2040.svd.gz', 1, 3) },
    { file: 'stm32f407.svd', text: svdSlice('svd/STM32F407.svd.gz', 2, 5) },
    { file: 'nrf52840.svd', text: svdSlice('svd/nrf52840.svd.gz', 2, 1) },
  ],
  ipxact: () => [
    { file: 'my_subblock.xml', text: readData('ipxact/peakrdl-ipxact-examples/my_subblock.xml') },
    { file: 'i2c_gpio_addr.xml', text: readData('ipxact/leon2-1685-2022/i2c_gpio_addr@1.0.xml') },
    { file: 'gpio.xml', text: readData('ipxact/leon2-1685-2022/gpio@1.2.xml') },
  ],
  chiptool: () => ['crc_v1', 'rng_v1', 'wwdg_v1', 'exti_v1'].map((n) => ({ file: `${n}.yaml`, text: readData(`ip-revisions/stm32-data/${n}.yaml`) })),
  hjson: () => ['rv_timer', 'pattgen', 'gpio'].map((n) => ({ file: `${n}.hjson`, text: readData(`hjson/opentitan/${n}.hjson`) })),
  systemrdl: () => [
    { file: 'tiny.rdl', text: readData('systemrdl/examples/tiny.rdl') },
    { file: 'atxmega_spi.rdl', text: readData('systemrdl/examples/atxmega_spi.rdl') },
    { file: 'counter.rdl', text: readData('systemrdl/accellera-examples/incr_cntr_test/counter_example.rdl') },
  ],
  'specdrive-yaml': () => ['rev-a', 'rev-b'].map((rev) => ({ file: `${rev}.yaml`, text: readProjectFile(`hardware-specs/demo-board/${rev}.yaml`) })),
};

/** SystemRDL is fuzzed before it is registered too: its front end is the largest parser here. */
const importers: readonly Importer[] = registered.some((i) => i.format === 'systemrdl') ? registered : [...registered, systemRdlImporter];

/**
 * svdtools patches are YAML that name an SVD (`_svd:`), read as format `svd`: their seeds are patch
 * files beside their SVD (the patch importer resolves `_svd` from the file's own path).
 */
const patchSeeds = (): Seed[] =>
  ['mini-fixed.yaml'].map((n) => ({ file: join(projectRoot, 'test/fixtures/svd-patch', n), text: readProjectFile(`test/fixtures/svd-patch/${n}`) }));

function seedsFor(importer: Importer): Seed[] {
  if (importer === svdPatchImporter) return patchSeeds();
  return seedsByFormat[importer.format]?.() ?? [];
}

function importOnce(importer: Importer, seed: Seed, text: string): void {
  countCase(`import:${importer.format}`);
  const label = `${importer.format} importer on mutated ${seed.file}`;
  timed(label, () => assertOutcome(label, importer.import(text, seed.file)));
}

describe('fuzz: importers', () => {
  it('every registered importer has fuzz seeds', () => {
    expect(importers.filter((i) => seedsFor(i).length === 0).map((i) => i.format)).toEqual([]);
  });

  it('every seed imports cleanly before mutation (so mutations start from valid input)', () => {
    for (const importer of importers) {
      for (const seed of seedsFor(importer)) {
        const result = importer.import(seed.text, seed.file);
        expect(result.value, `${importer.format} ${seed.file}: ${result.diagnostics.map((d) => d.code).join(', ')}`).toBeDefined();
      }
    }
  });

  for (const importer of importers) {
    it(`${importer.format}: mutated real files end in a device or located diagnostics`, () => {
      const seeds = seedsFor(importer);
      fc.assert(
        fc.property(fc.constantFrom(...seeds), mutationsArb, (seed, muts) => importOnce(importer, seed, mutate(seed.text, muts))),
        fuzzParams(),
      );
    });
  }
});
