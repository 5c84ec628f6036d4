import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importerFor, importText } from '../../../src/importers/index.ts';
import { importChiptool } from '../../../src/importers/chiptool/index.ts';
import type { Cluster, Device, Field, Peripheral, Register, RegisterNode } from '../../../src/ir/types.ts';

const dataDir = '../shared/data/ip-revisions/stm32-data';
const files = readdirSync(dataDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(dataDir, f), 'utf8')]));
const plain = new Map<string, Raw>();
/** The plain data of a file, parsed once (the yaml package is the slow part of these tests). */
function raw(file: string): Raw {
  if (!plain.has(file)) plain.set(file, parse(texts.get(file)!) as Raw);
  return plain.get(file)!;
}

interface Raw {
  [key: string]: { extends?: string; items?: RawItem[]; fields?: { name: string }[]; variants?: unknown[] };
}
interface RawItem {
  name: string;
  fieldset?: string;
  block?: string;
}

/**
 * Independent count straight from the plain YAML data (the `yaml` package's `parse`, no locations,
 * no importer code): peripherals are blocks never used as a sub-block; a block's items are its own
 * plus its `extends` ancestors' not already named; a register's fields are its fieldset's, likewise.
 * Registers inside a sub-block count once (arrays are not expanded).
 */
function independentCounts(raw: Raw): { peripherals: string[]; registers: number; fields: number } {
  const inherited = (kind: 'block' | 'fieldset', name: string, list: 'items' | 'fields'): { name: string; fieldset?: string; block?: string }[] => {
    const out: { name: string; fieldset?: string; block?: string }[] = [];
    for (let def = raw[`${kind}/${name}`]; def; def = def.extends ? raw[`${kind}/${def.extends}`] : undefined) {
      for (const member of (def[list] ?? []) as { name: string }[]) if (!out.some((m) => m.name === member.name)) out.push(member);
    }
    return out;
  };
  const used = new Set(Object.values(raw).flatMap((def) => (def.items ?? []).filter((i) => i.block).map((i) => i.block as string)));
  const peripherals = Object.keys(raw)
    .filter((k) => k.startsWith('block/') && !used.has(k.slice(6)))
    .map((k) => k.slice(6));
  let registers = 0;
  let fields = 0;
  const countBlock = (name: string): void => {
    for (const item of inherited('block', name, 'items')) {
      if (item.block) countBlock(item.block);
      else {
        registers++;
        if (item.fieldset) fields += inherited('fieldset', item.fieldset, 'fields').length;
      }
    }
  };
  peripherals.forEach(countBlock);
  return { peripherals, registers, fields };
}

function countIr(device: Device): { peripherals: string[]; registers: number; fields: number } {
  let registers = 0;
  let fields = 0;
  const walk = (nodes: readonly RegisterNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'cluster') walk(n.children);
      else {
        registers++;
        fields += n.fields.length;
      }
    }
  };
  device.peripherals.forEach((p) => walk(p.registers));
  return { peripherals: device.peripherals.map((p) => p.name), registers, fields };
}

const imported = new Map<string, Device>();
function load(file: string): Device {
  const cached = imported.get(file);
  if (cached) return cached;
  const result = importText(texts.get(file)!, join(dataDir, file));
  expect(
    result.diagnostics.filter((d) => d.severity === 'error'),
    file,
  ).toEqual([]);
  imported.set(file, result.value!);
  return result.value!;
}

function peripheral(device: Device, name: string): Peripheral {
  const p = device.peripherals.find((x) => x.name === name);
  if (!p) throw new Error(`${device.name} has no peripheral ${name}`);
  return p;
}
function node(p: Peripheral | Cluster, name: string): RegisterNode {
  const list = 'registers' in p ? p.registers : p.children;
  const n = list.find((x) => x.name === name);
  if (!n) throw new Error(`${p.name} has no ${name}`);
  return n;
}
function register(p: Peripheral | Cluster, name: string): Register {
  const n = node(p, name);
  if (n.kind !== 'register') throw new Error(`${name} is not a register`);
  return n;
}
function field(r: Register, name: string): Field {
  const f = r.fields.find((x) => x.name === name);
  if (!f) throw new Error(`${r.path} has no field ${name}`);
  return f;
}

describe('chiptool importer on stm32-data', () => {
  it('reads 191 files whose raw definitions match SOURCES.md', () => {
    expect(files).toHaveLength(191);
    const totals = { blocks: 0, items: 0, fieldsets: 0, fields: 0, enums: 0, variants: 0 };
    for (const file of files) {
      for (const [key, def] of Object.entries(raw(file))) {
        if (key.startsWith('block/')) totals.blocks++, (totals.items += def.items?.length ?? 0);
        if (key.startsWith('fieldset/')) totals.fieldsets++, (totals.fields += def.fields?.length ?? 0);
        if (key.startsWith('enum/')) totals.enums++, (totals.variants += def.variants?.length ?? 0);
      }
    }
    expect(totals).toEqual({ blocks: 238, items: 4144, fieldsets: 3751, fields: 25062, enums: 2562, variants: 18488 });
  });

  it('imports every file with zero errors and the independently counted peripherals, registers and fields', () => {
    const sum = { registers: 0, fields: 0, peripherals: 0 };
    for (const file of files) {
      const device = load(file);
      expect(device.name).toBe(file.replace(/\.yaml$/, ''));
      expect(device.sourceFormat).toBe('chiptool');
      const expected = independentCounts(raw(file));
      expect(countIr(device), file).toEqual(expected);
      sum.registers += expected.registers;
      sum.fields += expected.fields;
      sum.peripherals += expected.peripherals.length;
    }
    expect(sum).toEqual({ peripherals: 229, registers: 4379, fields: 26648 });
  });
});

describe('chiptool semantics', () => {
  it('usart_v4: LPUART and USART blocks, Read/Write access, shared fieldsets', () => {
    const usart = load('usart_v4.yaml');
    expect(usart.peripherals.map((p) => p.name)).toEqual(['LPUART', 'USART']);
    const lpuart = peripheral(usart, 'LPUART');
    expect(lpuart.registers.map((r) => r.name)).not.toContain('GTPR');
    expect(peripheral(usart, 'USART').registers.map((r) => r.name)).toContain('GTPR');
    const rdr = register(lpuart, 'RDR');
    const tdr = register(lpuart, 'TDR');
    expect([rdr.offset, tdr.offset]).toEqual([36, 40]);
    expect(rdr.fields.map((f) => f.name)).toEqual(tdr.fields.map((f) => f.name)); // both fieldset DR
    expect(rdr.fields.every((f) => f.access.sw === 'r')).toBe(true);
    expect(tdr.fields.every((f) => f.access.sw === 'w')).toBe(true);
    expect(register(lpuart, 'CR1').fields.every((f) => f.access.sw === 'rw' && f.access.hw === 'rw')).toBe(true);
    expect(field(register(lpuart, 'BRR'), 'BRR')).toMatchObject({ lsb: 0, width: 16, path: 'LPUART.BRR.BRR' });
    expect(rdr.span).toMatchObject({ file: `${dataDir}/usart_v4.yaml`, line: 35 });
  });

  it('timer_v1: extends chains for blocks and fieldsets', () => {
    const timer = load('timer_v1.yaml');
    const core = peripheral(timer, 'TIM_CORE');
    const oneCh = peripheral(timer, 'TIM_1CH');
    const oneChNames = oneCh.registers.map((r) => r.name);
    for (const r of core.registers) expect(oneChNames).toContain(r.name); // every TIM_CORE item reaches TIM_1CH
    // TIM_1CH's own CR1 (fieldset CR1_1CH, 16 bits) replaces TIM_CORE's; its own items come first.
    expect(oneCh.registers[0]?.name).toBe('CR1');
    expect(register(oneCh, 'CR1').size).toBe(16);
    const cnt = register(oneCh, 'CNT');
    expect([cnt.offset, cnt.path, cnt.fields.map((f) => f.path)]).toEqual([
      register(core, 'CNT').offset,
      'TIM_1CH.CNT',
      register(core, 'CNT').fields.map((f) => f.path.replace('TIM_CORE', 'TIM_1CH')),
    ]);
    // Three levels: TIM_ADV extends TIM_GP16 extends TIM_GP16's ancestors down to TIM_CORE.
    const adv = peripheral(timer, 'TIM_ADV');
    for (const name of ['CR1', 'PSC', 'ARR', 'CNT', 'BDTR', 'RCR']) expect(adv.registers.map((r) => r.name)).toContain(name);
    // Fieldset extends: CCMR_Output_2CH adds channel 2 to CCMR_Output_1CH's fields without repeating them.
    const ccmr = register(peripheral(timer, 'TIM_2CH'), 'CCMR_Output');
    expect(field(ccmr, 'OCM')).toMatchObject({ lsb: 4, width: 3, dim: { count: 2, stride: 8 } });
    expect(new Set(ccmr.fields.map((f) => f.name)).size).toBe(ccmr.fields.length);
    // CCMR_Input and CCMR_Output share offset 24: a deliberate alternate.
    expect(register(oneCh, 'CCMR_Output').alternateOf).toBe('CCMR_Input');
  });

  it('split bit ranges become field segments (timer_v2 CCMR3_ADV OCM = [6:4] + [16], timer_v1 SMCR SMS)', () => {
    const timer2 = load('timer_v2.yaml');
    const ccmr3 = register(peripheral(timer2, 'TIM_ADV'), 'CCMR3');
    expect(field(ccmr3, 'OCM')).toMatchObject({
      lsb: 4,
      width: 4,
      segments: [
        { lsb: 4, width: 3 },
        { lsb: 16, width: 1 },
      ],
      dim: { count: 2, stride: 8 },
    });
    expect(field(ccmr3, 'OCM').enums?.[0]?.name).toBe('OCM');
    const timer1 = load('timer_v1.yaml');
    const smcr = register(peripheral(timer1, 'TIM_GP16'), 'SMCR');
    expect(field(smcr, 'SMS')).toMatchObject({
      lsb: 0,
      width: 4,
      segments: [
        { lsb: 0, width: 3 },
        { lsb: 16, width: 1 },
      ],
    });
    expect(field(smcr, 'TS')).toMatchObject({
      segments: [
        { lsb: 4, width: 3 },
        { lsb: 20, width: 2 },
      ],
    });
  });

  it('offset-list arrays for registers and fields (can_fdcan_v1)', () => {
    const can = peripheral(load('can_fdcan_v1.yaml'), 'FDCAN');
    expect(register(can, 'RXFS')).toMatchObject({ offset: 144, dim: { count: 2, stride: 0, offsets: [0, 8] } });
    const withOffsets = can.registers.flatMap((r) => (r.kind === 'register' ? r.fields : [])).find((f) => f.name === 'RFNE');
    expect(withOffsets?.dim).toEqual({ count: 2, stride: 0, offsets: [0, 3] });
  });

  it('sub-blocks become clusters and are not peripherals (dma_v1 ST[8], bdma_v1 CH[8])', () => {
    const dma = load('dma_v1.yaml');
    expect(dma.peripherals.map((p) => p.name)).toEqual(['DMA']);
    const st = node(peripheral(dma, 'DMA'), 'ST') as Cluster;
    expect(st).toMatchObject({ kind: 'cluster', offset: 16, dim: { count: 8, stride: 24 }, byteSize: 24, path: 'DMA.ST' });
    expect(register(st, 'CR').path).toBe('DMA.ST.CR');
    expect(register(st, 'FCR').offset).toBe(20);
    const bdma = load('bdma_v1.yaml');
    expect(bdma.peripherals.map((p) => p.name)).toEqual(['DMA']);
    expect(node(peripheral(bdma, 'DMA'), 'CH')).toMatchObject({ kind: 'cluster', dim: { count: 8, stride: 20 } });
  });

  it('turns enums into enum sets on the fields that name them', () => {
    const usart = load('usart_v4.yaml');
    const m0 = field(register(peripheral(usart, 'USART'), 'CR1'), 'M0');
    expect(m0.enums?.[0]).toMatchObject({ name: 'M0', usage: 'read-write' });
    expect(m0.enums?.[0]?.values.map((v) => [v.name, v.value])).toEqual([
      ['Bit8', 0],
      ['Bit9', 1],
    ]);
    expect(m0.enums?.[0]?.values[0]?.path).toBe('USART.CR1.M0.Bit8');
  });
});

describe('format selection for .yaml', () => {
  it('sniffs chiptool keys, and leaves native specs to the native importer', () => {
    expect(importerFor('usart_v4.yaml', texts.get('usart_v4.yaml')!)?.format).toBe('chiptool');
    expect(importerFor('board.yaml', 'spec: specdrive/hardware@1\nboard: b\n')?.format).toBe('specdrive-yaml');
    expect(importerFor('x.hjson', '{}')?.format).toBe('hjson');
  });
});

describe('malformed chiptool files', () => {
  const dir = 'test/fixtures/chiptool-bad';
  const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('has a corpus of bad inputs', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  // Each fixture states its expected diagnostic on its first line: `# expect: CODE LINE:COL`.
  it.each(fixtures)('%s gives its located, coded error and no device', (name) => {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const m = /^# expect: (\S+) (\d+):(\d+)/.exec(text);
    if (!m) throw new Error(`${name} does not state its expected error`);
    const result = importChiptool(text, file);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span?.line}:${d.span?.column}`)).toContain(
      `${m[1]} ${m[2]}:${m[3]}`,
    );
  });

  it('never throws on damaged copies of a real file', () => {
    const text = texts.get('timer_v1.yaml')!.slice(0, 20_000);
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let failures = 0;
    for (let i = 0; i < 150; i++) {
      const at = random(text.length);
      const damaged = text.slice(0, at) + ['', ':', '- ', '  ', 'x', '[', 'extends: TIM_ADV\n  '][random(7)] + text.slice(at + random(30));
      const result = importChiptool(damaged, 'damaged.yaml');
      if (result.value === undefined) {
        failures++;
        expect(result.diagnostics.some((d) => d.severity === 'error' && d.span !== undefined)).toBe(true);
      }
    }
    expect(failures).toBeGreaterThan(20);
  });
});
