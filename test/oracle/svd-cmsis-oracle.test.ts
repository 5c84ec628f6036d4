import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNativeYaml, exportSvd } from '../../src/exporters/index.ts';
import { importFile } from '../../src/importers/index.ts';
import { importNativeYaml } from '../../src/importers/native-yaml/index.ts';
import { importSvd } from '../../src/importers/svd/index.ts';
import { sharedSvdFiles, shortName } from './shared-svd-files.ts';
import { oracleLines } from './svd-oracle-lines.ts';

/**
 * The SVD importer against the reference parser, cmsis-svd (pip, installed by .ci/run; the version
 * that ran is checked below), on every SVD in ../shared/data: every concrete register's address,
 * size, access, reset and fields must be the same. The same holds after SVD → YAML → SVD, so the
 * round trip is checked against the oracle too, not only against specdrive's own first import.
 *
 * The two giants (STM32N657, 23.7 MB; STM32H563, 15.8 MB) take cmsis-svd minutes each on a loaded
 * machine, so they are left out here; `node --import tsx test/oracle/svd-oracle-compare.ts FILE...`
 * compares any file, giants included, by hand.
 */
const GIANTS = /STM32N657|STM32H563/;
const files = sharedSvdFiles().filter((f) => !GIANTS.test(f));

function multisetDifference(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of b) counts.set(l, (counts.get(l) ?? 0) + 1);
  return a.filter((l) => {
    const n = counts.get(l) ?? 0;
    if (n === 0) return true;
    counts.set(l, n - 1);
    return false;
  });
}

describe('SVD import against cmsis-svd', () => {
  const oracle = JSON.parse(
    execFileSync('python3', [join(import.meta.dirname, 'svd-cmsis-oracle.py'), ...files], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  ) as Record<string, { version: string; registers: string[] }>;

  it('ran the oracle named in .ci/python-requirements.txt (cmsis-svd 0.6) on 38 shared files', () => {
    expect(files.length).toBe(38);
    expect(new Set(Object.values(oracle).map((o) => o.version))).toEqual(new Set(['0.6']));
  });

  for (const file of files) {
    it(`${shortName(file)}: registers, addresses, fields, access and resets equal cmsis-svd's, also after SVD → YAML → SVD`, () => {
      const expected = oracle[file]!.registers;
      expect(expected.length).toBeGreaterThan(0);
      const device = importFile(file).value!;
      const ours = oracleLines(device);
      expect({ missing: multisetDifference(expected, ours).slice(0, 5), extra: multisetDifference(ours, expected).slice(0, 5) }).toEqual({ missing: [], extra: [] });
      const yaml = importNativeYaml(exportNativeYaml(device).value!, 'round-trip.yaml').value!;
      const again = importSvd(exportSvd(yaml).value!, 'round-trip.svd').value!;
      expect(oracleLines(again)).toEqual(ours);
    });
  }
});
