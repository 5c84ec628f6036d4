import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGeneratorModel, generatorFor, renderTarget } from '../../../generators/index.ts';
import { exportNativeYaml, exportSvd } from '../../../src/exporters/index.ts';
import { importNativeYaml } from '../../../src/importers/native-yaml/index.ts';
import { importSvd } from '../../../src/importers/svd/index.ts';
import { canonicalJson } from '../../../src/ir/canonical.ts';
import type { Cluster, Device, Peripheral, Register } from '../../../src/ir/types.ts';
import { loadAndValidate } from '../../../src/pipeline/load-spec.ts';
import { oracleLines } from '../../oracle/svd-oracle-lines.ts';
import { C_FLAGS, materialise, run, tscCheck } from '../generators/helpers.ts';

/**
 * Classes of vendor SVDs that ../shared/data does not hold (LPC176x, MSP432, GD32, SAME70) or that
 * must be checked in CI without the real Nordic files (nRF5340, nRF9160 are in nrfx only), each
 * reproduced by a small hand-written SVD in test/fixtures/svd-classes/. The reference verdict is
 * cmsis-svd 0.6's parse, recorded in cmsis-svd-verdict.json by test/oracle/svd-cmsis-oracle.py and
 * re-checked against the installed cmsis-svd here.
 */
const DIR = join(import.meta.dirname, '../../fixtures/svd-classes');
const FILES = [
  'gd32-access-write.svd',
  'lpc176x-same-base-name.svd',
  'msp432-extra-registers.svd',
  'nordic-conventions.svd',
  'samd21-register-access.svd',
  'same70-address-blocks.svd',
];
const verdict = JSON.parse(readFileSync(join(DIR, 'cmsis-svd-verdict.json'), 'utf8')) as {
  oracle: string;
  version: string;
  registers: Record<string, string[]>;
};

async function load(file: string): Promise<{ device: Device; codes: string[] }> {
  const loaded = await loadAndValidate(join(DIR, file));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { device: loaded.device!, codes: [...new Set(loaded.diagnostics.map((d) => `${d.severity} ${d.code}`))].sort() };
}

const peripheral = (device: Device, name: string): Peripheral => device.peripherals.find((p) => p.name === name)!;
const registerNames = (p: Peripheral): string[] => p.registers.map((r) => r.name);
const register = (p: Peripheral, name: string): Register => p.registers.find((r): r is Register => r.kind === 'register' && r.name === name)!;

describe('SVD classes from other vendors, against cmsis-svd', () => {
  it('the recorded verdict is what the installed reference tool says (cmsis-svd 0.6)', () => {
    expect([verdict.oracle, verdict.version]).toEqual(['cmsis-svd', '0.6']);
    const live = JSON.parse(
      execFileSync('python3', [join(import.meta.dirname, '../../oracle/svd-cmsis-oracle.py'), ...FILES], { cwd: DIR, encoding: 'utf8' }),
    ) as Record<string, { version: string; registers: string[] }>;
    for (const file of FILES) expect(live[file]!.registers, file).toEqual(verdict.registers[file]);
  });

  /**
   * Where specdrive reads the file as the CMSIS-SVD specification says and cmsis-svd 0.6 does not:
   * a cluster's registerPropertiesGroup (here `<access>` on Nordic's PSEL[%s] cluster) is inherited by
   * its registers ("registerPropertiesGroup ... default values for all registers and clusters it
   * contains"); cmsis-svd 0.6 propagates device and peripheral properties only.
   */
  const DELIBERATE: Record<string, (line: string) => string> = {
    'nordic-conventions.svd': (line) =>
      line.startsWith('SPI0 @4000350') || line.startsWith('SPI0 @40003510') ? line.replace(' 32 - ', ' 32 read-write ') : line,
  };

  for (const file of FILES) {
    it(`${file}: every register, address, field, access and reset as cmsis-svd reads them`, async () => {
      const expected = verdict.registers[file]!.map(DELIBERATE[file] ?? ((l) => l)).sort();
      expect(oracleLines((await load(file)).device)).toEqual(expected);
    });
  }

  it('LPC176x: two MR%s arrays and CONFIG%s next to CONFIG keep every element, named as CMSIS-SVD expands them', async () => {
    const { device, codes } = await load('lpc176x-same-base-name.svd');
    expect(registerNames(peripheral(device, 'PWM1'))).toEqual(['IR', 'MR0', 'MR1', 'MR2', 'MR3', 'MR4', 'MR5', 'MR6']);
    expect(register(peripheral(device, 'PWM1'), 'MR5').offset).toBe(0x44);
    expect(registerNames(peripheral(device, 'GPDMA'))).toEqual(['CONFIG', ...Array.from({ length: 8 }, (_, i) => `CONFIG${i}`)]);
    expect(codes).toEqual(['info svd/array-expanded']);
  });

  it('MSP432: registers of every <registers> block are kept, with a located warning per extra block', async () => {
    const loaded = await loadAndValidate(join(DIR, 'msp432-extra-registers.svd'));
    expect(registerNames(peripheral(loaded.device!, 'SystemControlSpace'))).toEqual(['ICTR', 'STCSR', 'STRVR', 'CPUID']);
    const extra = loaded.diagnostics.filter((d) => d.code === 'svd/extra-registers-block');
    expect(extra.map((d) => [d.severity, d.span?.line])).toEqual([
      ['warning', 23],
      ['warning', 29],
    ]);
  });

  it('GD32: access "write" is write-only, with a warning', async () => {
    const loaded = await loadAndValidate(join(DIR, 'gd32-access-write.svd'));
    const key = register(peripheral(loaded.device!, 'FMC'), 'KEY0');
    expect([key.access, key.fields[0]!.access.sw]).toEqual(['w', 'w']);
    expect(loaded.diagnostics.map((d) => `${d.severity} ${d.code} ${d.span?.line}`)).toEqual([
      'warning svd/nonstandard-access 20',
      'warning svd/nonstandard-access 21',
    ]);
  });

  it('SAME70: address blocks that overlap without registers overlapping are a warning; overlapping registers stay an error', async () => {
    expect((await load('same70-address-blocks.svd')).codes).toEqual(['warning validate/address-block-overlap']);
    const text = readFileSync(join(DIR, 'same70-address-blocks.svd'), 'utf8').replace(
      '<baseAddress>0x400E1830</baseAddress>',
      '<baseAddress>0x400E1824</baseAddress>',
    );
    const dir = mkdtempSync(join(tmpdir(), 'specdrive-same70-'));
    try {
      writeFileSync(join(dir, 'overlap.svd'), text);
      const errors = (await loadAndValidate(join(dir, 'overlap.svd'))).diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => [d.code, d.path])).toEqual([['validate/peripheral-overlap', 'RTT']]);
      expect(errors[0]!.message).toContain('RTT_MR at 0x400E1824..0x400E1827');
      expect(errors[0]!.message).toContain('SUPC_SR at 0x400E1824..0x400E1827');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ATSAMD21: a register without fields keeps its access through YAML and SVD; alternate clusters do not overlap', async () => {
    const { device, codes } = await load('samd21-register-access.svd');
    expect(codes).toEqual([]);
    expect(register(peripheral(device, 'DSU'), 'ENTRY1').access).toBe('r');
    const rtc = peripheral(device, 'RTC').registers as Cluster[];
    expect(rtc.map((c) => [c.name, c.alternateOf, c.headerStructName])).toEqual([
      ['MODE0', undefined, 'RtcMode0'],
      ['MODE1', 'MODE0', 'RtcMode1'],
    ]);
    const yaml = importNativeYaml(exportNativeYaml(device).value!, 'samd21.yaml').value!;
    expect(register(peripheral(yaml, 'DSU'), 'ENTRY1').access).toBe('r');
    const svd = exportSvd(yaml).value!;
    expect(svd).toMatch(/<name>ENTRY1<\/name>[\s\S]*?<access>read-only<\/access>/);
    // Generated drivers follow it: ENTRY1 gets a READ macro and no WRITE.
    const header = renderTarget(generatorFor('c')!, buildGeneratorModel(device), {}).value!.find((f) => f.path === 'include/dsu.h')!.contents;
    expect(header).toContain('DSU_ENTRY1_READ(base)');
    expect(header).not.toContain('DSU_ENTRY1_WRITE(');
    expect(header).toContain('DSU_DATA_WRITE(base, value)');
  });
});

describe('Nordic conventions (nRF52840, nRF5340, nRF9160, nRF54L15)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('imports cpu, alternates, header names, protection and dataType, with warnings only', async () => {
    const { device, codes } = await load('nordic-conventions.svd');
    expect(device.cpu).toMatchObject({
      name: 'CM33',
      revision: 'r0p4',
      endian: 'little',
      mpuPresent: true,
      fpuPresent: true,
      nvicPrioBits: 3,
      vendorSystickConfig: false,
      deviceNumInterrupts: 270,
      sauNumRegions: 4,
    });
    expect([device.series, device.vendorID, device.headerSystemFilename, device.headerDefinitionsPrefix]).toEqual(['nrf54', 'Nordic', 'system_nrf', 'NRF_']);
    expect(device.peripherals.filter((p) => p.alternateOf).map((p) => `${p.name}→${p.alternateOf}`)).toEqual([
      'POWER_NS→CLOCK_NS',
      'POWER_S→CLOCK_S',
      'SPIM0→SPI0',
      'TWIM0→SPI0',
    ]);
    expect(peripheral(device, 'SPIM0').headerStructName).toBe('SPIM');
    expect(register(peripheral(device, 'POWER_NS'), 'EVENTS_POFWARN').protection).toBe('s');
    expect(register(peripheral(device, 'CLOCK_NS'), 'EVENTS_HFCLKSTARTED').dataType).toBe('uint32_t');
    expect(peripheral(device, 'USBD').addressBlocks[0]!.protection).toBeUndefined();
    expect(peripheral(device, 'CLOCK_NS').addressBlocks[0]!.protection).toBe('n');
    expect(codes).toEqual([
      'warning svd/enum-value-too-wide',
      'warning validate/bad-name',
      'warning validate/enum-duplicate-name',
      'warning validate/enum-duplicate-value',
      'warning validate/enum-value-too-wide',
      'warning validate/read-effect-unreadable',
    ]);
  });

  it('SVD → YAML → SVD is lossless (cpu, alternates, header names included) and the export is valid CMSIS-SVD 1.3', async () => {
    for (const file of FILES) {
      const device = (await load(file)).device;
      const yaml = exportNativeYaml(device);
      expect(yaml.diagnostics).toEqual([]);
      const fromYaml = importNativeYaml(yaml.value!, 'x.yaml');
      expect(fromYaml.diagnostics).toEqual([]);
      const svd = exportSvd(fromYaml.value!);
      expect(svd.diagnostics).toEqual([]);
      const again = importSvd(svd.value!, 'x.svd').value!;
      const comparable = (d: Device): string => canonicalJson({ ...d, sourceFormat: 'svd' });
      expect(comparable(again), file).toBe(comparable(device));
      const dir = mkdtempSync(join(tmpdir(), 'specdrive-svd-classes-'));
      dirs.push(dir);
      writeFileSync(join(dir, file), svd.value!);
    }
    const check = `
import sys, os, lxml.etree as ET, cmsis_svd
schema = ET.XMLSchema(ET.parse(os.path.join(os.path.dirname(cmsis_svd.__file__), 'schemas', 'CMSIS-SVD_1_3_9.xsd')))
for path in sys.argv[1:]:
    if not schema.validate(ET.parse(path)):
        print(path, schema.error_log.last_error)
`;
    expect(execFileSync('python3', ['-c', check, ...dirs.map((d, i) => join(d, FILES[i]!))], { encoding: 'utf8' })).toBe('');
  });

  it('generates every target with zero errors; the C compiles with gcc and clang -Wall -Wextra -Werror and its self-test passes; TS and Python check', async () => {
    const model = buildGeneratorModel((await load('nordic-conventions.svd')).device);
    const outputs = new Map<string, string>();
    for (const target of ['c', 'ts', 'python', 'docs', 'svd']) {
      const result = renderTarget(generatorFor(target)!, model, {});
      expect(
        result.diagnostics.filter((d) => d.severity === 'error'),
        target,
      ).toEqual([]);
      const dir = materialise(result.value!);
      dirs.push(dir);
      outputs.set(target, dir);
    }
    const c = outputs.get('c')!;
    for (const cc of ['gcc', 'clang']) {
      run(cc, ['-std=c11', ...C_FLAGS, '-Iinclude', 'test/layout_selftest.c', '-o', `st-${cc}`], c);
      expect(run(join(c, `st-${cc}`), [], c)).toMatch(/checks, 0 failures/);
    }
    tscCheck(outputs.get('ts')!);
    run('python3', ['-m', 'compileall', '-q', '.'], outputs.get('python')!);
  });
});
