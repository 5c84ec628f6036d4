import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, importText } from '../../../src/importers/index.ts';
import { evaluateIpxactExpression, importIpxact } from '../../../src/importers/ipxact/index.ts';
import { canonicalJson } from '../../../src/ir/canonical.ts';
import type { Cluster, Device, Register } from '../../../src/ir/types.ts';

const data = join(import.meta.dirname, '../../../../shared/data/ipxact');

const component = (ns: string, prefix: string, body: string): string => `<?xml version="1.0"?>
<${prefix}:component xmlns:${prefix}="${ns}">
  <${prefix}:vendor>acme</${prefix}:vendor><${prefix}:library>lib</${prefix}:library><${prefix}:name>comp</${prefix}:name><${prefix}:version>1.0</${prefix}:version>
  <${prefix}:parameters><${prefix}:parameter parameterId="W"><${prefix}:name>W</${prefix}:name><${prefix}:value>4</${prefix}:value></${prefix}:parameter></${prefix}:parameters>
  <${prefix}:memoryMaps><${prefix}:memoryMap><${prefix}:name>map</${prefix}:name>${body}</${prefix}:memoryMap></${prefix}:memoryMaps>
</${prefix}:component>`;

describe('IP-XACT expressions', () => {
  const noParams = (name: string): bigint => {
    throw new Error(`unknown parameter ${name}`);
  };
  it.each([
    ["'h1F", 31n],
    ["32'hFF00_0000", 0xff000000n],
    ["(('hFFFE) >> 1) & {15{1'b1}}", 0x7fffn],
    ['4 * (2 ** 10)', 4096n],
    ['0x10 + 2', 18n],
    ["{4'hA, 4'h5}", 0xa5n],
    ['1 ? 7 : 9', 7n],
  ])('%s = %s', (text, value) => {
    // Sized results also carry their width.
    expect(evaluateIpxactExpression(text, noParams)).toMatchObject({ ok: true, value });
  });

  it('reports errors instead of throwing', () => {
    expect(evaluateIpxactExpression('3 +', noParams)).toMatchObject({ ok: false });
    expect(evaluateIpxactExpression('1 + x', noParams)).toEqual({ ok: false, error: 'unknown parameter x', offset: 4 });
    expect(evaluateIpxactExpression('1/0', noParams)).toMatchObject({ ok: false, error: 'division by zero' });
  });
});

describe('IP-XACT importer', () => {
  it('reads 2014-style field resets, parameters, arrays, enumerations and write semantics', () => {
    const xml = component(
      'http://www.accellera.org/XMLSchema/IPXACT/1685-2014',
      'ipxact',
      `
      <ipxact:addressBlock><ipxact:name>blk</ipxact:name><ipxact:baseAddress>'h4000_0000</ipxact:baseAddress><ipxact:range>'h100</ipxact:range><ipxact:width>32</ipxact:width>
        <ipxact:register><ipxact:name>ctrl</ipxact:name><ipxact:dim>W</ipxact:dim><ipxact:addressOffset>'h10</ipxact:addressOffset><ipxact:size>32</ipxact:size>
          <ipxact:access>read-write</ipxact:access>
          <ipxact:field><ipxact:name>en</ipxact:name><ipxact:bitOffset>0</ipxact:bitOffset><ipxact:resets><ipxact:reset><ipxact:value>1</ipxact:value></ipxact:reset></ipxact:resets><ipxact:bitWidth>1</ipxact:bitWidth>
            <ipxact:enumeratedValues>
              <ipxact:enumeratedValue usage="read"><ipxact:name>ON</ipxact:name><ipxact:value>1</ipxact:value></ipxact:enumeratedValue>
              <ipxact:enumeratedValue usage="write"><ipxact:name>START</ipxact:name><ipxact:value>1</ipxact:value></ipxact:enumeratedValue>
            </ipxact:enumeratedValues></ipxact:field>
          <ipxact:field><ipxact:name>irq</ipxact:name><ipxact:bitOffset>4</ipxact:bitOffset><ipxact:bitWidth>W</ipxact:bitWidth>
            <ipxact:access>read-only</ipxact:access><ipxact:modifiedWriteValue>oneToClear</ipxact:modifiedWriteValue><ipxact:readAction>clear</ipxact:readAction></ipxact:field>
        </ipxact:register>
      </ipxact:addressBlock>`,
    );
    const result = importIpxact(xml, 'c.xml');
    expect(result.diagnostics).toEqual([]);
    const device = result.value!;
    expect(device).toMatchObject({ name: 'comp', vendor: 'acme', version: '1.0', sourceFormat: 'ipxact' });
    const block = device.peripherals[0]!;
    expect([block.name, block.baseAddress, block.addressBlocks]).toEqual(['blk', 0x40000000, [{ offset: 0, size: 256, usage: 'registers' }]]);
    const ctrl = block.registers[0] as Register;
    expect([ctrl.offset, ctrl.dim, ctrl.resetValue, ctrl.resetMask]).toEqual([0x10, { count: 4, stride: 4 }, 1n, 1n]);
    const [en, irq] = ctrl.fields;
    expect(en!.reset).toBe(1n);
    expect(en!.enums!.map((e) => [e.usage, e.values.map((v) => v.name)])).toEqual([
      ['read', ['ON']],
      ['write', ['START']],
    ]);
    expect([irq!.width, irq!.access]).toEqual([4, { sw: 'r', hw: 'w', onWrite: 'woclr', onRead: 'rclr' }]);
    expect(irq!.reset).toBeUndefined();
  });

  it('reads SPIRIT 1.5 register resets and register files with a range, and detects the namespace', () => {
    const xml = component(
      'http://www.spiritconsortium.org/XMLSchema/SPIRIT/1.5',
      'spirit',
      `
      <spirit:addressBlock><spirit:name>blk</spirit:name><spirit:baseAddress>0x100</spirit:baseAddress><spirit:range>0x40</spirit:range><spirit:width>32</spirit:width>
        <spirit:registerFile><spirit:name>rf</spirit:name><spirit:addressOffset>0x20</spirit:addressOffset><spirit:range>0x8</spirit:range>
          <spirit:register><spirit:name>r</spirit:name><spirit:addressOffset>0x4</spirit:addressOffset><spirit:size>16</spirit:size>
            <spirit:reset><spirit:value>0xA5</spirit:value><spirit:mask>0x00FF</spirit:mask></spirit:reset>
            <spirit:field><spirit:name>lo</spirit:name><spirit:bitOffset>0</spirit:bitOffset><spirit:bitWidth>8</spirit:bitWidth></spirit:field>
            <spirit:field><spirit:name>hi</spirit:name><spirit:bitOffset>8</spirit:bitOffset><spirit:bitWidth>8</spirit:bitWidth><spirit:access>writeOnce</spirit:access></spirit:field>
          </spirit:register>
        </spirit:registerFile>
      </spirit:addressBlock>`,
    );
    const result = importText(xml, 'c.xml');
    expect(result.diagnostics).toEqual([]);
    const rf = result.value!.peripherals[0]!.registers[0] as Cluster;
    expect([rf.kind, rf.offset, rf.byteSize, rf.path]).toEqual(['cluster', 0x20, 8, 'blk.rf']);
    const r = rf.children[0] as Register;
    expect([r.size, r.resetValue, r.resetMask]).toEqual([16, 0xa5n, 0xffn]);
    expect(r.fields.map((f) => [f.name, f.reset, f.access.sw])).toEqual([
      ['lo', 0xa5n, 'rw'],
      ['hi', undefined, 'w1'],
    ]);
  });

  it('warns about an unknown namespace and locates bad expressions', () => {
    const xml = component(
      'http://example.com/not-ipxact',
      'x',
      `
      <x:addressBlock><x:name>b</x:name><x:baseAddress>nope + 1</x:baseAddress><x:range>4</x:range></x:addressBlock>`,
    );
    const result = importIpxact(xml, 'c.xml');
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.span?.line}:${d.span?.column}`)).toEqual([
      'warning ipxact/unknown-namespace 2:1',
      'error ipxact/bad-expression 6:56',
    ]);
  });

  it('reads the Leon2 2022 timers with register files and 2022 access policies', () => {
    const device = importFile(join(data, 'leon2-1685-2022/timers@1.3.xml')).value as Device;
    const timer2 = device.peripherals[0]!.registers.find((n) => n.name === 'timer2') as Cluster;
    expect([timer2.kind, timer2.byteSize]).toEqual(['cluster', 12]);
    expect(timer2.children.map((c) => c.name)).toEqual(['timerCounter', 'timerReload', 'timerControl']);
    const control = timer2.children.find((c) => c.name === 'timerControl') as Register;
    expect(control.fields.find((f) => f.name === 'enable')!.enums!.map((e) => e.usage)).toEqual(['read', 'write']);
  });

  it('gives the same registers for the two Leon2 irqctrl revisions where the spec did not change', () => {
    const a = importFile(join(data, 'leon2-1685-2022/irqctrl@1.2.xml')).value as Device;
    const b = importFile(join(data, 'leon2-1685-2022/irqctrl@1.3.xml')).value as Device;
    const names = (d: Device): string[] => d.peripherals.flatMap((p) => p.registers.map((r) => r.name));
    // 1.3 adds one register; the ones 1.2 has are still there.
    expect(names(b)).toEqual(expect.arrayContaining(names(a)));
    expect(canonicalJson(a).length).toBeGreaterThan(1000);
  });
});
