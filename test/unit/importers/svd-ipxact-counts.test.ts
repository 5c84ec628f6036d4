import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { walkDevice } from '../../../src/ir/walk.ts';
import { realXmlFiles, shortName } from './svd-real-files.ts';

describe('register and field counts against an independent Python count', () => {
  const files = realXmlFiles();
  const oracle = JSON.parse(
    execFileSync('python3', [join(import.meta.dirname, 'svd-count-oracle.py'), ...files], { encoding: 'utf8', maxBuffer: 1 << 24 }),
  ) as Record<string, { registers: number; fields: number }>;

  it('covers the real data (10 SVDs, 26 SVD revisions, 21 IP-XACT components)', () => {
    expect(files.length).toBe(57);
  });

  for (const file of files) {
    it(shortName(file), () => {
      const result = importFile(file);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      let registers = 0;
      let fields = 0;
      walkDevice(result.value!, { enterRegister: () => void registers++, enterField: () => void fields++ });
      expect({ registers, fields }).toEqual(oracle[file]);
      expect(registers).toBeGreaterThan(0);
    });
  }
});
