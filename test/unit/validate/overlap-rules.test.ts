import { describe, expect, it } from 'vitest';
import { arrayStrideRule } from '../../../src/validate/rules/array-stride.ts';
import { fieldOutsideRegisterRule } from '../../../src/validate/rules/field-outside-register.ts';
import { fieldOverlapRule } from '../../../src/validate/rules/field-overlap.ts';
import { peripheralOverlapRule } from '../../../src/validate/rules/peripheral-overlap.ts';
import { registerAlignmentRule } from '../../../src/validate/rules/register-alignment.ts';
import { registerOutsidePeripheralRule } from '../../../src/validate/rules/register-outside-peripheral.ts';
import { registerOverlapRule } from '../../../src/validate/rules/register-overlap.ts';
import { registerSizeRule } from '../../../src/validate/rules/register-size.ts';
import { validateDevice } from '../../../src/validate/index.ts';
import type { Field } from '../../../src/ir/types.ts';
import { Prng } from '../../../src/random/index.ts';
import { check, checkDevice, device, field, loadDevice, peripheral, register, span, spec } from './helpers.ts';

const codes = (findings: readonly { code: string }[]): string[] => findings.map((f) => f.code);

describe('register-overlap', () => {
  const rules = [registerOverlapRule];
  const two = (a: string, b: string): string =>
    spec(`  P:
    base: 0x1000
    registers:
      A: { offset: 0, fields: { X: { bits: 7..0, access: ${a} } } }
      B: { offset: 0, fields: { Y: { bits: 7..0, access: ${b} } } }
`);

  it('reports two read-write registers at one address, at the second, with the first as related', () => {
    expect(check(two('rw', 'rw'), rules)).toEqual([{ code: 'validate/register-overlap', path: 'P.B', line: 9, related: [8] }]);
  });

  it('allows a read-only/write-only pair, either way round, and write-once as the write side', () => {
    expect(check(two('r', 'w'), rules)).toEqual([]);
    expect(check(two('w', 'r'), rules)).toEqual([]);
    expect(check(two('r', 'w1'), rules)).toEqual([]);
  });

  it('still reports read-only with read-only, and read-write with write-only', () => {
    expect(codes(check(two('r', 'r'), rules))).toEqual(['validate/register-overlap']);
    expect(codes(check(two('rw', 'w'), rules))).toEqual(['validate/register-overlap']);
  });

  it('finds partial overlaps of different sizes and leaves adjacent registers alone', () => {
    const text = spec(`  P:
    base: 0
    registers:
      WIDE: { offset: 0, size: 64, fields: { V: { bits: 63..0 } } }
      HIGH: { offset: 4, fields: { V: { bits: 0 } } }
      NEXT: { offset: 8, size: 16, fields: { V: { bits: 0 } } }
      TOUCH: { offset: 10, size: 16, fields: { V: { bits: 0 } } }
`);
    expect(check(text, rules).map((f) => f.path)).toEqual(['P.HIGH']);
  });

  it('checks every array element, not only element 0', () => {
    const text = spec(`  P:
    base: 0
    registers:
      ARR: { offset: 0, dim: { count: 8, stride: 4 }, fields: { V: { bits: 0 } } }
      LATE: { offset: 0x1C, fields: { V: { bits: 0 } } }
      AFTER: { offset: 0x20, fields: { V: { bits: 0 } } }
`);
    expect(check(text, rules)).toEqual([{ code: 'validate/register-overlap', path: 'P.LATE', line: 9, related: [8] }]);
  });

  it('reports a pair of nodes once, however many array elements overlap', () => {
    const text = spec(`  P:
    base: 0
    registers:
      A: { offset: 0, dim: { count: 16, stride: 4 }, fields: { V: { bits: 0 } } }
      B: { offset: 0, dim: { count: 16, stride: 4 }, fields: { V: { bits: 0 } } }
`);
    expect(codes(check(text, rules))).toEqual(['validate/register-overlap']);
  });

  it('accepts a declared alternate, and reports an alternate naming nothing', () => {
    const ok = spec(`  P:
    base: 0
    registers:
      CR: { offset: 0, fields: { V: { bits: 0 } } }
      CR_ALT: { offset: 0, alternateOf: CR, fields: { W: { bits: 0 } } }
`);
    expect(check(ok, rules)).toEqual([]);
    expect(check(ok.replace('alternateOf: CR', 'alternateOf: CR2'), rules)).toEqual([
      { code: 'validate/unknown-alternate', path: 'P.CR_ALT', line: 9, related: [] },
    ]);
  });

  it('accepts SVD alternate groups and resolves alternates by path', () => {
    const a = register('A', 0, [field('X', 0, 1)]);
    const b = register('B', 0, [field('Y', 0, 1)], { alternateGroup: 'G' });
    expect(checkDevice(device([peripheral('P', 0, [a, b])]), rules)).toEqual([]);
    const c = register('C', 0, [field('Y', 0, 1)], { alternateOf: 'P.A' });
    expect(checkDevice(device([peripheral('P', 0, [a, c])]), rules)).toEqual([]);
  });

  it('accepts SVD alternate chains, array-pattern references and alternate clusters', () => {
    // DMA2D style: two views both declared alternates of a third are alternates of each other.
    const base = register('RGB888', 0x38, [field('V', 0, 1)]);
    const argb = register('ARGB1555', 0x38, [field('V', 0, 1)], { alternateOf: 'RGB888' });
    const rgb565 = register('RGB565', 0x38, [field('V', 0, 1)], { alternateOf: 'RGB888' });
    expect(checkDevice(device([peripheral('P', 0, [base, argb, rgb565])]), rules)).toEqual([]);
    // SAMD21 style: `CC%s_DITH4` names its alternate by the array pattern `CC%s`.
    const cc = register('CC', 0x44, [field('V', 0, 1)], { dim: { count: 4, stride: 4, namePattern: 'CC%s' } });
    const dith = register('CC_DITH4', 0x44, [field('V', 0, 1)], { dim: { count: 4, stride: 4, namePattern: 'CC%s_DITH4' }, alternateOf: 'CC%s' });
    expect(checkDevice(device([peripheral('P', 0, [cc, dith])]), rules)).toEqual([]);
    // RTC MODE0 / MODE1: clusters that are alternate views of one another.
    const mode0 = { kind: 'cluster' as const, name: 'MODE0', path: 'MODE0', span: span(), offset: 0, children: [register('CTRL', 0, [field('A', 0, 1)])] };
    const mode1 = {
      ...mode0,
      name: 'MODE1',
      path: 'MODE1',
      span: span(),
      alternateOf: 'MODE0',
      children: [register('CTRL', 0, [field('B', 0, 1)]), register('EXTRA', 0, [field('C', 0, 1)])],
    };
    // Registers of MODE1 still may not overlap each other.
    expect(checkDevice(device([peripheral('P', 0, [mode0, mode1])]), rules).map((f) => f.path)).toEqual(['EXTRA']);
    const unresolved = { ...mode1, alternateOf: 'MODE9', children: [register('CTRL', 0, [field('B', 0, 1)])] };
    expect(codes(checkDevice(device([peripheral('P', 0, [mode0, unresolved])]), rules))).toEqual(['validate/unknown-alternate', 'validate/register-overlap']);
    // An alternate naming nothing is reported where nothing overlaps too (a cluster and a register in it, no pair of registers sharing bytes).
    const apart = { ...unresolved, offset: 0x10, children: [register('CTRL', 0, [field('B', 0, 1)], { alternateOf: 'NOPE' })] };
    expect(checkDevice(device([peripheral('P', 0, [mode0, apart])]), rules).map((f) => [f.code, f.path])).toEqual([
      ['validate/unknown-alternate', 'MODE1'],
      ['validate/unknown-alternate', 'CTRL'],
    ]);
  });

  it('finds overlaps between registers of different clusters by absolute address', () => {
    const text = spec(`  P:
    base: 0
    registers:
      C1: { offset: 0x0, registers: { R: { offset: 4, fields: { V: { bits: 0 } } } } }
      C2: { offset: 0x4, registers: { R: { offset: 0, fields: { V: { bits: 0 } } } } }
`);
    expect(check(text, rules).map((f) => f.path)).toEqual(['P.C2.R']);
  });

  it('leaves the self-overlap of a too-tight array to array-stride', () => {
    const text = spec(`  P:
    base: 0
    registers:
      R: { offset: 0, dim: { count: 4, stride: 2 }, fields: { V: { bits: 0 } } }
      CL:
        offset: 0x40
        dim: { count: 2, stride: 4 }
        registers:
          A: { offset: 0, fields: { V: { bits: 0 } } }
          B: { offset: 4, fields: { V: { bits: 0 } } }
`);
    expect(check(text, rules)).toEqual([]);
    expect(codes(check(text, [arrayStrideRule]))).toEqual(['validate/array-stride-too-small', 'validate/array-stride-too-small']);
  });

  it('warns once when arrays expand past the instance cap', () => {
    // 500 × 500 instances from nested arrays, each within the importer's maxDim.
    const text = spec(`  P:
    base: 0
    registers:
      C:
        offset: 0
        dim: { count: 500, stride: 0x1000 }
        registers:
          R: { offset: 0, dim: { count: 500, stride: 4 }, fields: { V: { bits: 0 } } }
`);
    expect(codes(check(text, rules))).toEqual(['validate/array-too-large']);
  });
});

describe('field-overlap', () => {
  const rules = [fieldOverlapRule];
  const fields = (a: string, b: string): string =>
    spec(`  P:
    base: 0
    registers:
      R:
        offset: 0
        fields:
          A: ${a}
          B: ${b}
`);

  it('reports shared bits at the second field, with the first as related', () => {
    expect(check(fields('{ bits: 3..0 }', '{ bits: 5..3 }'), rules)).toEqual([{ code: 'validate/field-overlap', path: 'P.R.B', line: 12, related: [11] }]);
  });

  it('allows a read-only/write-only pair and leaves adjacent fields alone', () => {
    expect(check(fields('{ bits: 3..0, access: r }', '{ bits: 3..0, access: w }'), rules)).toEqual([]);
    expect(check(fields('{ bits: 3..0 }', '{ bits: 7..4 }'), rules)).toEqual([]);
  });

  it('reports a pair once when several fields overlap each other', () => {
    const text = spec(`  P:
    base: 0
    registers:
      R:
        offset: 0
        fields:
          A: { bits: 7..0 }
          B: { bits: 1 }
          C: { bits: 2 }
`);
    expect(check(text, rules).map((f) => `${f.path}<${f.related}`)).toEqual(['P.R.B<11', 'P.R.C<11']);
  });

  it('finds every overlapping pair of plain fields, listed in bit order either way or in any order', () => {
    // The rule skips its sweep for registers whose fields are disjoint; the test of that, which
    // avoids a sorted copy for fields listed in bit order, must never skip an overlap.
    const prng = new Prng(15);
    for (let round = 0; round < 400; round++) {
      const n = 2 + prng.below(6);
      const plain = Array.from({ length: n }, (_, i) => field(`F${i}`, prng.below(32), 1 + prng.below(round % 2 === 0 ? 2 : 6)));
      const order = round % 4;
      const listed = order === 0 ? [...plain].sort((a, b) => a.lsb - b.lsb) : order === 1 ? [...plain].sort((a, b) => b.lsb - a.lsb) : plain;
      const expected = new Set<string>();
      for (let i = 0; i < listed.length; i++)
        for (let j = i + 1; j < listed.length; j++) {
          const a = listed[i] as Field;
          const b = listed[j] as Field;
          if (a.lsb < b.lsb + b.width && b.lsb < a.lsb + a.width) expected.add([a.name, b.name].sort().join('+'));
        }
      const found = checkDevice(device([peripheral('P', 0, [register('R', 0, listed)])]), rules);
      expect(found.length > 0, JSON.stringify(listed.map((f) => [f.lsb, f.width]))).toBe(expected.size > 0);
    }
  });

  it('checks split fields segment by segment and field arrays element by element', () => {
    const split = field('S', 0, 4, {
      segments: [
        { lsb: 0, width: 2 },
        { lsb: 8, width: 2 },
      ],
    });
    const inGap = field('G', 4, 4);
    const onSegment = field('H', 9, 1);
    expect(checkDevice(device([peripheral('P', 0, [register('R', 0, [split, inGap])])]), rules)).toEqual([]);
    expect(codes(checkDevice(device([peripheral('P', 0, [register('R', 0, [split, onSegment])])]), rules))).toEqual(['validate/field-overlap']);
    const arrayed = field('ARR', 0, 2, { dim: { count: 4, stride: 2 } });
    const late = field('L', 7, 1);
    expect(checkDevice(device([peripheral('P', 0, [register('R', 0, [arrayed, late])])]), rules).map((f) => f.path)).toEqual(['L']);
  });
});

describe('field-outside-register', () => {
  it('reports bits beyond the register size, using the register size not the bus width', () => {
    const text = spec(`  P:
    base: 0
    registers:
      R8: { offset: 0, size: 8, fields: { OK: { bits: 7..0 } } }
      R16: { offset: 2, size: 16, fields: { BAD: { bits: 16 } } }
`);
    expect(check(text, [fieldOutsideRegisterRule])).toEqual([{ code: 'validate/field-outside-register', path: 'P.R16.BAD', line: 9, related: [9] }]);
  });

  it('checks the last element of a field array', () => {
    const arrayed = field('ARR', 0, 4, { dim: { count: 9, stride: 4 } });
    expect(codes(checkDevice(device([peripheral('P', 0, [register('R', 0, [arrayed])])]), [fieldOutsideRegisterRule]))).toEqual([
      'validate/field-outside-register',
    ]);
    const fits = field('ARR', 0, 4, { dim: { count: 8, stride: 4 } });
    expect(checkDevice(device([peripheral('P', 0, [register('R', 0, [fits])])]), [fieldOutsideRegisterRule])).toEqual([]);
  });
});

describe('register-alignment', () => {
  const rules = [registerAlignmentRule];
  it('reports offsets that are not a multiple of the size in bytes', () => {
    const text = spec(`  P:
    base: 0x1000
    registers:
      B: { offset: 1, size: 8, fields: { V: { bits: 0 } } }
      H: { offset: 2, size: 16, fields: { V: { bits: 0 } } }
      W: { offset: 6, fields: { V: { bits: 0 } } }
      D: { offset: 0x10, size: 64, fields: { V: { bits: 0 } } }
      D2: { offset: 0x1C, size: 64, fields: { V: { bits: 0 } } }
`);
    expect(check(text, rules).map((f) => f.path)).toEqual(['P.W', 'P.D2']);
  });

  it('catches array elements that drift off alignment, once per register', () => {
    const text = spec(`  P:
    base: 0
    registers:
      R: { offset: 0, dim: { count: 4, stride: 6 }, fields: { V: { bits: 0 } } }
`);
    expect(codes(check(text, rules))).toEqual(['validate/register-misaligned']);
  });

  it('aligns odd widths to their access size (a 24-bit register is accessed as 32 bits)', () => {
    const odd = (offset: number) => register('R', offset, [], { size: 24 });
    expect(checkDevice(device([peripheral('P', 0, [odd(4)])]), rules)).toEqual([]);
    expect(codes(checkDevice(device([peripheral('P', 0, [odd(3)])]), rules))).toEqual(['validate/register-misaligned']);
  });

  it('uses absolute addresses, so a misaligned base shows', () => {
    const text = spec(`  P:
    base: 0x1002
    registers:
      R: { offset: 0, fields: { V: { bits: 0 } } }
`);
    expect(codes(check(text, rules))).toEqual(['validate/register-misaligned']);
  });
});

describe('peripheral-overlap and register-outside-peripheral', () => {
  const two = (sizeA: string, baseB: string): string =>
    spec(`  A:
    base: 0x1000
${sizeA}    registers:
      R: { offset: 0, fields: { V: { bits: 0 } } }
      S: { offset: 0x20, fields: { V: { bits: 0 } } }
  B:
    base: ${baseB}
    registers:
      R: { offset: 0, fields: { V: { bits: 0 } } }
`);

  it('reports declared sizes that overlap while no registers do as a warning (address-block-overlap)', () => {
    const found = validateDevice(loadDevice(two('    size: 0x100\n', '0x1080')), [peripheralOverlapRule]);
    expect(found.map((d) => [d.code, d.severity, d.path])).toEqual([['validate/address-block-overlap', 'warning', 'B']]);
    expect(check(two('    size: 0x100\n', '0x1100'), [peripheralOverlapRule])).toEqual([]);
  });

  it('reports registers that really overlap as an error, naming both registers', () => {
    const found = validateDevice(loadDevice(two('    size: 0x100\n', '0x1020')), [peripheralOverlapRule]);
    expect(found.map((d) => [d.code, d.severity, d.path])).toEqual([['validate/peripheral-overlap', 'error', 'B']]);
    expect(found[0]!.message).toContain('R at 0x1020..0x1023');
    expect(found[0]!.message).toContain('S at 0x1020..0x1023');
  });

  it('falls back to the extent of the registers without a size', () => {
    expect(codes(check(two('', '0x1020'), [peripheralOverlapRule]))).toEqual(['validate/peripheral-overlap']);
    expect(check(two('', '0x1024'), [peripheralOverlapRule])).toEqual([]);
  });

  it('accepts peripherals declared alternates of one another (nRF SPIM0 / SPIS0 / TWI0 over SPI0)', () => {
    const block = { addressBlocks: [{ offset: 0, size: 0x1000, usage: 'registers' as const }] };
    const spi0 = peripheral('SPI0', 0x4000_3000, [], block);
    const spim0 = peripheral('SPIM0', 0x4000_3000, [], { ...block, alternateOf: 'SPI0' });
    const twi0 = peripheral('TWI0', 0x4000_3000, [], { ...block, alternateOf: 'SPI0' });
    const uart = peripheral('UART0', 0x4000_3800, [], block);
    expect(checkDevice(device([spi0, spim0, twi0, uart]), [peripheralOverlapRule]).map((f) => f.path)).toEqual(['UART0']);
  });

  it('expands peripheral arrays', () => {
    const arrayed = peripheral('CH', 0x1000, [register('R', 0, [field('V', 0, 1)])], {
      dim: { count: 4, stride: 0x100 },
      addressBlocks: [{ offset: 0, size: 0x100, usage: 'registers' }],
    });
    const other = peripheral('X', 0x1300, [register('R', 0, [field('V', 0, 1)])]);
    expect(checkDevice(device([arrayed, other]), [peripheralOverlapRule]).map((f) => f.path)).toEqual(['X']);
    const clear = peripheral('X', 0x1400, [register('R', 0, [field('V', 0, 1)])]);
    expect(checkDevice(device([arrayed, clear]), [peripheralOverlapRule])).toEqual([]);
  });

  it('reports registers outside the address blocks as warnings, whatever the format (a YAML import is not stricter than its SVD)', () => {
    const p = peripheral('P', 0, [register('R', 0x100, [])], { addressBlocks: [{ offset: 0, size: 0x100, usage: 'registers' }] });
    const severities = (sourceFormat: 'svd' | 'specdrive-yaml') =>
      validateDevice(device([p], { sourceFormat }), [registerOutsidePeripheralRule]).map((d) => d.severity);
    expect(severities('svd')).toEqual(['warning']);
    expect(severities('specdrive-yaml')).toEqual(['warning']);
  });

  it('reports registers beyond the declared size, and none without a size', () => {
    expect(check(two('    size: 0x20\n', '0x2000'), [registerOutsidePeripheralRule])).toEqual([
      { code: 'validate/register-outside-peripheral', path: 'A.S', line: 10, related: [5] },
    ]);
    expect(check(two('    size: 0x24\n', '0x2000'), [registerOutsidePeripheralRule])).toEqual([]);
    expect(check(two('', '0x2000'), [registerOutsidePeripheralRule])).toEqual([]);
  });

  it('accepts registers spread over several address blocks with a gap', () => {
    const p = peripheral('P', 0, [register('LOW', 0, []), register('HIGH', 0x804, []), register('GAP', 0x400, [])], {
      addressBlocks: [
        { offset: 0x800, size: 0x10, usage: 'registers' },
        { offset: 0, size: 0x100, usage: 'registers' },
      ],
    });
    expect(checkDevice(device([p]), [registerOutsidePeripheralRule]).map((f) => f.path)).toEqual(['GAP']);
  });
});

describe('array-stride', () => {
  const rules = [arrayStrideRule];
  it('reports register, cluster, field and offset-list arrays whose elements overlap', () => {
    const tight = register('R', 0, [], { dim: { count: 2, stride: 2 } });
    const ok = register('OK', 0x10, [], { dim: { count: 2, stride: 4 } });
    const fieldArray = register('F', 0x20, [field('B', 0, 2, { dim: { count: 4, stride: 1 } })]);
    const listed = register('L', 0x40, [], { dim: { count: 3, stride: 0, offsets: [0, 8, 6] } });
    expect(checkDevice(device([peripheral('P', 0, [tight, ok, fieldArray, listed])]), rules).map((f) => f.path)).toEqual(['R', 'B', 'L']);
  });

  it("uses a cluster's declared size before the extent of its children", () => {
    const text = (size: string): string =>
      spec(`  P:
    base: 0
    registers:
      CL:
        offset: 0
        dim: { count: 2, stride: 8 }
${size}        registers:
          A: { offset: 0, fields: { V: { bits: 0 } } }
`);
    expect(check(text(''), rules)).toEqual([]);
    expect(codes(check(text('        size: 0x10\n'), rules))).toEqual(['validate/array-stride-too-small']);
  });

  it('does not report a one-element array, and reports index names that do not match the count', () => {
    const single = register('R', 0, [], { dim: { count: 1, stride: 0 } });
    expect(checkDevice(device([peripheral('P', 0, [single])]), rules)).toEqual([]);
    const names = register('R', 0, [], { dim: { count: 2, stride: 4, indices: ['A'] } });
    expect(codes(checkDevice(device([peripheral('P', 0, [names])]), rules))).toEqual(['validate/array-indices-mismatch']);
  });
});

describe('register-size', () => {
  it('warns about widths other than 8, 16, 32 and 64 bits', () => {
    const regs = [8, 16, 32, 64, 24, 1].map((size, i) => register(`R${size}`, i * 8, [], { size }));
    expect(checkDevice(device([peripheral('P', 0, regs)]), [registerSizeRule]).map((f) => `${f.code} ${f.path}`)).toEqual([
      'validate/register-size R24',
      'validate/register-size R1',
    ]);
  });
});
