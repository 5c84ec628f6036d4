import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/importers/index.ts';
import { validateDevice } from '../../src/validate/index.ts';
import { sharedSvdFiles, shortName } from './shared-svd-files.ts';

/**
 * Every SVD in ../shared/data (current files, revisions, svdtools' vendor and patched files) passes
 * `validate` with warnings only, except where registers really overlap. There is one such file:
 * ESP32-C3 describes its random number register twice, as RNG.DATA and APB_CTRL.RND_DATA.
 */
const REAL_OVERLAPS: Record<string, string[]> = {
  'svd/esp32c3.svd.gz': [
    'validate/peripheral-overlap RNG: registers of peripheral RNG (DATA at 0x600260B0..0x600260B3) overlap registers of APB_CTRL (RND_DATA at 0x600260B0..0x600260B3)',
  ],
};

describe('validate on every shared SVD', () => {
  const files = sharedSvdFiles();

  it('covers the 40 SVDs of ../shared/data', () => {
    expect(files.length).toBe(40);
  });

  for (const file of files) {
    it(`${shortName(file)}: no errors${REAL_OVERLAPS[shortName(file)] ? ' but its real register overlap' : ''}`, () => {
      const imported = importFile(file);
      expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const errors = validateDevice(imported.value!)
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.code} ${d.path}: ${d.message}`);
      expect(errors).toEqual(REAL_OVERLAPS[shortName(file)] ?? []);
    });
  }
});
