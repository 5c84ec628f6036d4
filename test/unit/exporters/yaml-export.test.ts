import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportNativeYaml } from '../../../src/exporters/index.ts';
import { importFile } from '../../../src/importers/index.ts';
import { importNativeYaml } from '../../../src/importers/native-yaml/index.ts';
import { canonicalJson } from '../../../src/ir/canonical.ts';
import type { Device, Peripheral } from '../../../src/ir/types.ts';
import { realXmlFiles, shortName } from '../importers/svd-real-files.ts';

const comparable = (device: Device): string => canonicalJson({ ...device, sourceFormat: 'svd' }, { descriptions: true });

/**
 * Files of up to REGISTER_BUDGET registers round-trip whole through YAML; larger ones (the giants:
 * STM32N657, STM32H563) through an evenly spread sample of their peripherals (every k-th) of about
 * REGISTER_BUDGET registers, to keep the suite's time in bounds. The whole-file round trip of every
 * SVD, giants included, is in svd-export.test.ts.
 */
const REGISTER_BUDGET = 5_000;

function registerCount(p: Peripheral): number {
  let n = 0;
  const visit = (nodes: Peripheral['registers']): void => {
    for (const x of nodes) x.kind === 'cluster' ? visit(x.children) : n++;
  };
  visit(p.registers);
  return n;
}

function sample(device: Device): Device {
  const total = device.peripherals.reduce((s, p) => s + registerCount(p), 0);
  if (total <= REGISTER_BUDGET) return device;
  const step = Math.ceil(total / REGISTER_BUDGET);
  return { ...device, peripherals: device.peripherals.filter((_, i) => i % step === 0) };
}

describe('native YAML export', () => {
  for (const file of realXmlFiles()) {
    it(`round trip: ${shortName(file)}`, () => {
      const original = importFile(file).value!;
      const device = sample(original);
      expect(device.peripherals.length).toBeGreaterThan(0);
      const exported = exportNativeYaml(device);
      expect(exported.diagnostics).toEqual([]);
      const again = importNativeYaml(exported.value!, 'exported.yaml');
      expect(again.diagnostics).toEqual([]);
      expect(comparable(again.value!)).toBe(comparable(device));
    });
  }

  it('round-trips the demo board (hand-written native YAML) unchanged', () => {
    for (const rev of ['rev-a', 'rev-b', 'rev-c']) {
      const file = join(import.meta.dirname, `../../../hardware-specs/demo-board/${rev}.yaml`);
      const original = importNativeYaml(readFileSync(file, 'utf8'), file);
      expect(original.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const exported = exportNativeYaml(original.value!);
      const again = importNativeYaml(exported.value!, 'x.yaml');
      expect(again.diagnostics).toEqual([]);
      expect(canonicalJson(again.value!, { descriptions: true })).toBe(canonicalJson(original.value!, { descriptions: true }));
    }
  });

  it('is deterministic and writes addresses in hex, fields on one line', () => {
    const device = importFile(join(import.meta.dirname, '../../../../shared/data/ipxact/leon2-1685-2022/timers@1.3.xml')).value!;
    const a = exportNativeYaml(device).value!;
    expect(exportNativeYaml(device).value).toBe(a);
    expect(a).toContain('spec: specdrive/hardware@1');
    expect(a).toMatch(/^ {8}offset: 0x0$/m);
    expect(a).toContain(
      'enums: [{ usage: read, values: { TIMERDISABLED: 0, TIMERENABLED: 1 } }, { usage: write, values: { DISABLETIMER: 0, ENABLETIMER: 1 } }]',
    );
  });
});
