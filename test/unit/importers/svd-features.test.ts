import { describe, expect, it } from 'vitest';
import { importSvd } from '../../../src/importers/svd/index.ts';
import type { Cluster, Device, Field, Register, RegisterNode } from '../../../src/ir/types.ts';

const svd = `<?xml version="1.0" encoding="utf-8"?>
<device schemaVersion="1.3">
  <vendor>Acme</vendor>
  <name>ACME1</name>
  <version>2.0</version>
  <description>test   device
    with layout whitespace</description>
  <addressUnitBits>8</addressUnitBits>
  <width>32</width>
  <size>32</size>
  <access>read-write</access>
  <resetValue>0x00000000</resetValue>
  <resetMask>0xFFFFFFFF</resetMask>
  <peripherals>
    <peripheral>
      <name>TIM1</name>
      <groupName>TIM</groupName>
      <baseAddress>0x40000000</baseAddress>
      <access>read-only</access>
      <addressBlock><offset>0</offset><size>0x400</size><usage>registers</usage></addressBlock>
      <interrupt><name>TIM1_IRQ</name><value>5</value></interrupt>
      <registers>
        <register>
          <name>CTRL</name>
          <addressOffset>0x0</addressOffset>
          <access>read-write</access>
          <resetValue>0x00000081</resetValue>
          <resetMask>0x000000FF</resetMask>
          <fields>
            <field><name>EN</name><bitOffset>0</bitOffset><bitWidth>1</bitWidth>
              <enumeratedValues><name>EnEnum</name><usage>read-write</usage>
                <enumeratedValue><name>OFF</name><value>0</value></enumeratedValue>
                <enumeratedValue><name>ON</name><value>1</value></enumeratedValue>
              </enumeratedValues>
            </field>
            <field><name>MODE</name><lsb>4</lsb><msb>7</msb>
              <enumeratedValues>
                <enumeratedValue><name>FAST</name><value>#1xx0</value></enumeratedValue>
                <enumeratedValue><name>OTHER</name><isDefault>true</isDefault></enumeratedValue>
              </enumeratedValues>
            </field>
            <field><name>WIDE</name><bitRange>[15:8]</bitRange><access>writeOnce</access></field>
            <field><name>FLAG</name><bitOffset>16</bitOffset><modifiedWriteValues>oneToClear</modifiedWriteValues><readAction>modifyExternal</readAction></field>
            <field><name>PLAIN</name><bitOffset>17</bitOffset><modifiedWriteValues>modify</modifiedWriteValues>
              <writeConstraint><range><minimum>0</minimum><maximum>1</maximum></range></writeConstraint></field>
            <field><name>USE</name><bitOffset>18</bitOffset><bitWidth>1</bitWidth>
              <enumeratedValues derivedFrom="EnEnum"/></field>
          </fields>
        </register>
        <register>
          <dim>4</dim><dimIncrement>4</dimIncrement><dimIndex>1-4</dimIndex>
          <name>CCR%s</name>
          <addressOffset>0x10</addressOffset>
          <fields><field><name>VAL</name><bitOffset>0</bitOffset><bitWidth>16</bitWidth></field></fields>
        </register>
        <register>
          <dim>3</dim><dimIncrement>4</dimIncrement><dimIndex>A,B,C</dimIndex>
          <name>OUT_%s</name>
          <addressOffset>0x20</addressOffset>
        </register>
        <register>
          <dim>2</dim><dimIncrement>4</dimIncrement>
          <name>ARR[%s]</name>
          <addressOffset>0x30</addressOffset>
          <alternateGroup>ALT</alternateGroup>
        </register>
        <register derivedFrom="CTRL">
          <name>CTRL_COPY</name>
          <addressOffset>0x40</addressOffset>
        </register>
        <register derivedFrom="TIM1.CTRL">
          <name>CTRL_RO</name>
          <addressOffset>0x44</addressOffset>
          <alternateRegister>CTRL_COPY</alternateRegister>
          <access>read-only</access>
        </register>
        <cluster>
          <dim>2</dim><dimIncrement>0x10</dimIncrement>
          <name>CH[%s]</name>
          <description>channel</description>
          <addressOffset>0x100</addressOffset>
          <size>16</size>
          <register>
            <name>CFG</name>
            <addressOffset>0x0</addressOffset>
            <fields><field><dim>4</dim><dimIncrement>2</dimIncrement><name>SEL%s</name><bitOffset>0</bitOffset><bitWidth>2</bitWidth></field></fields>
          </register>
          <register derivedFrom="TIM1.CH.CFG">
            <name>CFG2</name>
            <addressOffset>0x2</addressOffset>
          </register>
        </cluster>
      </registers>
    </peripheral>
    <peripheral derivedFrom="TIM1">
      <name>TIM2</name>
      <baseAddress>0x40000400</baseAddress>
      <interrupt><name>TIM2_IRQ</name><value>#110</value></interrupt>
    </peripheral>
  </peripherals>
</device>`;

function node(nodes: readonly RegisterNode[], name: string): RegisterNode {
  const found = nodes.find((n) => n.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}
const reg = (nodes: readonly RegisterNode[], name: string): Register => node(nodes, name) as Register;
const field = (r: Register, name: string): Field => {
  const f = r.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
};

describe('CMSIS-SVD importer', () => {
  const result = importSvd(svd, 'acme.svd');
  const device = result.value as Device;
  const tim1 = device.peripherals[0]!;
  const ctrl = reg(tim1.registers, 'CTRL');

  it('imports without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('reads device properties and normalises description whitespace', () => {
    expect(device).toMatchObject({ name: 'ACME1', vendor: 'Acme', version: '2.0', board: 'ACME1', width: 32, addressUnitBits: 8, sourceFormat: 'svd' });
    expect(device.description).toBe('test device with layout whitespace');
  });

  it('reads the three bit-position forms', () => {
    expect([field(ctrl, 'EN').lsb, field(ctrl, 'EN').width]).toEqual([0, 1]);
    expect([field(ctrl, 'MODE').lsb, field(ctrl, 'MODE').width]).toEqual([4, 4]);
    expect([field(ctrl, 'WIDE').lsb, field(ctrl, 'WIDE').width]).toEqual([8, 8]);
  });

  it('maps access, modifiedWriteValues, readAction and writeConstraint', () => {
    expect(field(ctrl, 'EN').access).toEqual({ sw: 'rw', hw: 'r' });
    expect(field(ctrl, 'WIDE').access.sw).toBe('w1');
    expect(field(ctrl, 'FLAG').access).toMatchObject({ sw: 'rw', onWrite: 'woclr', onRead: 'external' });
    // `modify` is a plain write: no onWrite at all.
    expect(field(ctrl, 'PLAIN').access.onWrite).toBeUndefined();
    expect(field(ctrl, 'PLAIN').access.writeConstraint).toEqual({ kind: 'range', min: 0, max: 1 });
  });

  it('inherits register properties and derives field resets from the register reset and mask', () => {
    // TIM1 says read-only, CTRL overrides to read-write; CCR inherits read-only from the peripheral.
    expect(field(reg(tim1.registers, 'CCR'), 'VAL').access.sw).toBe('r');
    expect([ctrl.resetValue, ctrl.resetMask, ctrl.size]).toEqual([0x81n, 0xffn, 32]);
    expect(field(ctrl, 'EN').reset).toBe(1n);
    expect(field(ctrl, 'MODE').reset).toBe(8n);
    expect(field(ctrl, 'FLAG').reset).toBeUndefined();
  });

  it("reads enumerated values with usage, isDefault, don't-care bits and derivedFrom", () => {
    const mode = field(ctrl, 'MODE').enums![0]!;
    expect(mode.usage).toBe('read-write');
    expect(mode.values.map((v) => [v.name, v.value, v.dontCareMask, v.isDefault])).toEqual([
      ['FAST', 0b1000, 0b0110, undefined],
      ['OTHER', 0, undefined, true],
    ]);
    expect(field(ctrl, 'USE').enums![0]!.values.map((v) => v.name)).toEqual(['OFF', 'ON']);
  });

  it('derives enumeratedValues by a dotted path and reports an unknown one with its location', () => {
    const dotted = importSvd(svd.replace('<enumeratedValues derivedFrom="EnEnum"/>', '<enumeratedValues derivedFrom="TIM1.CTRL.EN.EnEnum"/>'), 'acme.svd');
    expect(dotted.diagnostics).toEqual([]);
    expect(field(reg(dotted.value!.peripherals[0]!.registers, 'CTRL'), 'USE').enums![0]!.values.map((v) => v.value)).toEqual([0, 1]);
    const unknown = importSvd(svd.replace('<enumeratedValues derivedFrom="EnEnum"/>', '<enumeratedValues derivedFrom="TIM1.CTRL.EN.Nope"/>'), 'acme.svd');
    expect(unknown.diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.column}`)).toEqual(['svd/unknown-derived-from@47:15']);
  });

  it('keeps dim arrays with their index lists and name patterns', () => {
    expect(reg(tim1.registers, 'CCR').dim).toEqual({ count: 4, stride: 4, indices: ['1', '2', '3', '4'], namePattern: 'CCR%s' });
    expect(reg(tim1.registers, 'OUT_').dim).toEqual({ count: 3, stride: 4, indices: ['A', 'B', 'C'], namePattern: 'OUT_%s' });
    // `NAME[%s]` with 0..n-1 is the default shape and is not stored.
    expect(reg(tim1.registers, 'ARR').dim).toEqual({ count: 2, stride: 4 });
    expect(reg(tim1.registers, 'ARR').alternateGroup).toBe('ALT');
    const ch = node(tim1.registers, 'CH') as Cluster;
    expect(ch.dim).toEqual({ count: 2, stride: 16 });
    expect(field(reg(ch.children, 'CFG'), 'SEL').dim).toEqual({ count: 4, stride: 2, namePattern: 'SEL%s' });
  });

  it('derives registers by plain and dotted paths, overriding what the derived element says', () => {
    const copy = reg(tim1.registers, 'CTRL_COPY');
    expect(copy.offset).toBe(0x40);
    expect(copy.fields.map((f) => f.name)).toEqual(ctrl.fields.map((f) => f.name));
    expect(copy.path).toBe('TIM1.CTRL_COPY');
    const ro = reg(tim1.registers, 'CTRL_RO');
    expect(ro.alternateOf).toBe('CTRL_COPY');
    const ch = node(tim1.registers, 'CH') as Cluster;
    expect(reg(ch.children, 'CFG2').fields.map((f) => f.name)).toEqual(['SEL']);
  });

  it('derives peripherals, keeping their own interrupts and base address', () => {
    const tim2 = device.peripherals[1]!;
    expect(tim2.name).toBe('TIM2');
    expect(tim2.baseAddress).toBe(0x40000400);
    expect(tim2.groupName).toBe('TIM');
    expect(tim2.interrupts.map((i) => [i.name, i.value])).toEqual([['TIM2_IRQ', 6]]);
    expect(tim2.registers.map((r) => r.name)).toEqual(tim1.registers.map((r) => r.name));
    expect(reg(tim2.registers, 'CTRL').path).toBe('TIM2.CTRL');
  });

  it('gives every node a location', () => {
    expect(ctrl.span).toMatchObject({ file: 'acme.svd', line: 23, column: 9 });
    expect(field(ctrl, 'EN').span).toMatchObject({ line: 30, column: 13 });
  });

  it('warns about vendor mistakes instead of failing', () => {
    const text = svd
      .replace('<name>PLAIN</name><bitOffset>17</bitOffset>', '<name>PLAIN</name><bitOffset>31</bitOffset><bitWidth>4</bitWidth>')
      .replace('<name>USE</name>', '<name>EN</name>');
    const r = importSvd(text, 'acme.svd');
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.span?.line}`)).toEqual([
      // Reported once per place, although CTRL_COPY, CTRL_RO and TIM2 re-read the same XML.
      'warning svd/field-outside-register 44',
      'warning svd/duplicate-name 46',
    ]);
  });
});
