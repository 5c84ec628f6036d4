import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportNativeYaml, exportSvd } from '../../src/exporters/index.ts';
import { importFile } from '../../src/importers/index.ts';
import { importNativeYaml } from '../../src/importers/native-yaml/index.ts';
import { importSvd } from '../../src/importers/svd/index.ts';
import type { Device } from '../../src/ir/types.ts';
import { validateDevice } from '../../src/validate/index.ts';
import { sharedSvdFiles, shortName } from './shared-svd-files.ts';
import { oracleLines } from './svd-oracle-lines.ts';

/**
 * The SVD importer against the reference parser, cmsis-svd (pip, installed by .ci/run; the version
 * that ran is checked below): every concrete register's address, size, access, reset and fields must
 * be the same. The same holds after SVD → YAML → SVD, so the round trip is checked against the
 * oracle, not only against specdrive's own first import; and the YAML import validates exactly as
 * the SVD does.
 *
 * cmsis-svd needs about 1.3 s of CPU per MB of SVD, so this runs on a sample of 14 of the 40 shared
 * files (≈31 MB): every current file but the two giants (STM32N657 23.7 MB, STM32H563 15.8 MB), the
 * oldest revision of each series, and svdtools' STM32C031 vendor file and its patched output (which
 * cmsis-svd 0.6 cannot read: its own bug, asserted below). Revisions left out are byte-
 * identical to a sampled file or differ in content the sample has. All 40 files, giants included,
 * compare by hand with `node --import tsx test/oracle/svd-oracle-compare.ts FILE...`; all 40 are
 * validated in svd-validate-shared.test.ts and round-tripped in test/unit/exporters/svd-export.test.ts.
 */
const SAMPLE = [
  'svd/ATSAMD21G18A.svd.gz',
  'svd/RP2040.svd.gz',
  'svd/STM32F407.svd.gz',
  'svd/STM32H743.svd.gz',
  'svd/esp32c3.svd.gz',
  'svd/esp32s3.svd.gz',
  'svd/nrf52840.svd.gz',
  'svd/nrf54l15_application.svd.gz',
  'svd-revisions/RP2040/RP2040@1.0.0.svd.gz',
  'svd-revisions/STM32C031/STM32C031@modm-v1.0.svd.gz',
  'svd-revisions/nRF52840/nrf52840@v0.8.0.svd.gz',
  'svd-revisions/nRF54L15/nrf54l15_enga_application@v3.3.0.svd.gz',
  'svdtools/svd/stm32c031.svd.gz',
  'svdtools/svd/stm32c031.svd.patched.gz',
];
const files = sharedSvdFiles().filter((f) => SAMPLE.includes(shortName(f)));

/** Files of the sample that cmsis-svd 0.6 cannot parse (its own bug), with the start of its error. */
const ORACLE_CANNOT_READ: Record<string, string> = {
  // svdtools writes field derivedFrom as REGISTER.FIELD; cmsis-svd 0.6 expects PERIPHERAL.REGISTER.FIELD (parser.py _derived_from_field).
  'svdtools/svd/stm32c031.svd.patched.gz': 'IndexError: list index out of range',
};

/** Severity and code of each validation finding, counted: what must not change between an SVD and its YAML. */
function findingCounts(device: Device): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of validateDevice(device)) out[`${d.severity} ${d.code}`] = (out[`${d.severity} ${d.code}`] ?? 0) + 1;
  return out;
}

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
  ) as Record<string, { version: string; registers?: string[]; error?: string }>;

  it('ran the oracle named in .ci/python-requirements.txt (cmsis-svd 0.6) on the sample', () => {
    expect(files.length).toBe(SAMPLE.length);
    expect(new Set(Object.values(oracle).map((o) => o.version))).toEqual(new Set(['0.6']));
  });

  for (const file of files) {
    const cannotRead = ORACLE_CANNOT_READ[shortName(file)];
    const title = cannotRead
      ? 'cmsis-svd 0.6 itself fails on it (said here); SVD → YAML → SVD keeps every register'
      : "registers, addresses, fields, access and resets equal cmsis-svd's, also after SVD → YAML → SVD";
    // Up to ~3 minutes for the largest Nordic file on a loaded machine; the guard only catches hangs.
    it(`${shortName(file)}: ${title}; the YAML validates as the SVD`, { timeout: 900_000 }, () => {
      const device = importFile(file).value!;
      const ours = oracleLines(device);
      if (cannotRead) {
        expect(oracle[file]!.error).toContain(cannotRead);
      } else {
        expect(oracle[file]!.error).toBeUndefined();
        const expected = oracle[file]!.registers!;
        expect(expected.length).toBeGreaterThan(0);
        expect({ missing: multisetDifference(expected, ours).slice(0, 5), extra: multisetDifference(ours, expected).slice(0, 5) }).toEqual({
          missing: [],
          extra: [],
        });
      }
      const yaml = importNativeYaml(exportNativeYaml(device).value!, 'round-trip.yaml').value!;
      const again = importSvd(exportSvd(yaml).value!, 'round-trip.svd').value!;
      expect(oracleLines(again)).toEqual(ours);
      expect(findingCounts(yaml)).toEqual(findingCounts(device));
    });
  }
});
