import { describe, expect, it } from 'vitest';
import { counterLimitsRule } from '../../../src/validate/rules/counter-limits.ts';
import { enumValuesRule } from '../../../src/validate/rules/enum-values.ts';
import { resetValuesRule } from '../../../src/validate/rules/reset-values.ts';
import { sideEffectAccessRule } from '../../../src/validate/rules/side-effect-access.ts';
import { singlePulseRule } from '../../../src/validate/rules/singlepulse.ts';
import { writeConstraintsRule } from '../../../src/validate/rules/write-constraints.ts';
import { check, checkDevice, device, field, peripheral, register, spec } from './helpers.ts';

/** One register R in peripheral P with the given field lines (10 spaces of indent each). */
const oneRegister = (fields: string, registerExtra = ''): string =>
  spec(`  P:
    base: 0
    registers:
      R:
        offset: 0
${registerExtra}        fields:
${fields}`);

const codes = (findings: readonly { code: string }[]): string[] => findings.map((f) => f.code);

describe('reset-values', () => {
  const rules = [resetValuesRule];
  it('reports a field reset wider than the field, including at the 32-bit edge', () => {
    expect(codes(check(oneRegister('          A: { bits: 2..1, reset: 3 }\n          B: { bits: 3, reset: 2 }\n'), rules))).toEqual([
      'validate/field-reset-too-wide',
    ]);
    expect(check(oneRegister('          A: { bits: 31..0, reset: 0xFFFF_FFFF }\n'), rules)).toEqual([]);
    expect(codes(check(oneRegister('          A: { bits: 31..0, reset: 0x1_0000_0000 }\n'), rules))).toEqual(['validate/field-reset-too-wide']);
  });

  it('reports a register reset beyond its size', () => {
    expect(codes(check(oneRegister('          A: { bits: 0 }\n', '        size: 16\n        reset: 0x1_0000\n'), rules))).toEqual([
      'validate/register-reset-too-wide',
    ]);
    expect(check(oneRegister('          A: { bits: 0 }\n', '        size: 16\n        reset: 0xFFFF\n'), rules)).toEqual([]);
  });

  it('reports a field reset that contradicts the register reset, and accepts agreeing ones', () => {
    const register = '        reset: 0x0000_0030\n';
    expect(check(oneRegister('          A: { bits: 5..4, reset: 3 }\n          B: { bits: 0, reset: 0 }\n', register), rules)).toEqual([]);
    expect(check(oneRegister('          A: { bits: 5..4, reset: 2 }\n', register), rules)).toEqual([
      { code: 'validate/reset-mismatch', path: 'P.R.A', line: 12, related: [8] },
    ]);
  });

  it('does not compare bits the register reset leaves undefined (SVD resetMask)', () => {
    const r = register('R', 0, [field('A', 4, 4, { reset: 5n })], { resetValue: 0n, resetMask: 0x0fn });
    expect(checkDevice(device([peripheral('P', 0, [r])]), rules)).toEqual([]);
    const masked = register('R', 0, [field('A', 4, 4, { reset: 5n })], { resetValue: 0n, resetMask: 0xf0n });
    expect(codes(checkDevice(device([peripheral('P', 0, [masked])]), rules))).toEqual(['validate/reset-mismatch']);
  });

  it('leaves widths no mask can be made for to the representable rule instead of throwing (fuzz: bits 99999999999..0)', () => {
    // A native spec whose bits import as such a field; validation must end in findings, not a RangeError.
    const huge = register('R', 0, [field('A', 0, 100_000_000_000, { reset: 16n }), field('B', 0.5, 2, { reset: 1n })], {
      size: 64,
      resetValue: 7n,
      resetMask: 7n,
    });
    const fractional = register('S', 8, [field('C', 0, 1, { reset: 0n })], { size: 2.5, resetValue: 1n });
    const d = device([peripheral('P', 0, [huge, fractional])]);
    expect(checkDevice(d, rules)).toEqual([]);
    expect(codes(checkDevice(d))).toContain('validate/too-wide');
  });
});

describe('enum-values', () => {
  const rules = [enumValuesRule];
  it('reports a value that does not fit, at the value, with the field as related', () => {
    expect(check(oneRegister('          M:\n            bits: 1..0\n            enum: { A: 0, B: 3, C: 4 }\n'), rules)).toEqual([
      { code: 'validate/enum-value-too-wide', path: 'P.R.M.C', line: 13, related: [11] },
    ]);
  });

  it('reports names equal ignoring case, and duplicate values as a warning', () => {
    expect(codes(check(oneRegister('          M:\n            bits: 1..0\n            enum: { On: 1, ON: 2 }\n'), rules))).toEqual([
      'validate/enum-duplicate-name',
    ]);
    expect(codes(check(oneRegister('          M:\n            bits: 1..0\n            enum: { ON: 1, ENABLED: 1 }\n'), rules))).toEqual([
      'validate/enum-duplicate-value',
    ]);
  });

  it("ignores SVD default entries and don't-care patterns for the value checks, and compares within one set", () => {
    const value = (name: string, v: number, extra = {}) => ({ name, path: name, span: field('x', 0, 1).span, value: v, ...extra });
    const f = field('M', 0, 2, {
      enums: [
        {
          span: field('x', 0, 1).span,
          usage: 'read',
          values: [
            value('A', 1),
            value('ANY', 0, { isDefault: true }),
            value('REST', 0, { isDefault: true }),
            value('X1', 2, { dontCareMask: 1 }),
            value('X2', 2, { dontCareMask: 1 }),
          ],
        },
        { span: field('x', 0, 1).span, usage: 'write', values: [value('A', 1)] },
      ],
    });
    expect(checkDevice(device([peripheral('P', 0, [register('R', 0, [f])])]), rules)).toEqual([]);
  });
});

describe('side-effect-access', () => {
  const rules = [sideEffectAccessRule];
  it('reports read effects on unreadable fields and write effects on unwritable ones', () => {
    expect(codes(check(oneRegister('          A: { bits: 0, access: w, onread: rclr }\n'), rules))).toEqual(['validate/read-effect-unreadable']);
    expect(codes(check(oneRegister('          A: { bits: 0, access: na, onread: fifo }\n'), rules))).toEqual(['validate/read-effect-unreadable']);
    expect(codes(check(oneRegister('          A: { bits: 0, access: r, onwrite: woclr }\n'), rules))).toEqual(['validate/write-effect-unwritable']);
  });

  it('accepts effects that can happen, including write-once fields', () => {
    const ok = ['r, onread: rclr', 'rw, onread: rset', 'rw, onwrite: woclr', 'w, onwrite: woset', 'w1, onwrite: wot', 'rw1, onread: ruser'];
    for (const access of ok) expect(check(oneRegister(`          A: { bits: 0, access: ${access} }\n`), rules), access).toEqual([]);
  });
});

describe('singlepulse', () => {
  const rules = [singlePulseRule];
  it('reports wide, unwritable and set-at-reset single-pulse fields', () => {
    expect(codes(check(oneRegister('          A: { bits: 1..0, access: w, singlepulse: true }\n'), rules))).toEqual(['validate/singlepulse-too-wide']);
    expect(codes(check(oneRegister('          A: { bits: 0, access: r, singlepulse: true }\n'), rules))).toEqual(['validate/singlepulse-unwritable']);
    expect(codes(check(oneRegister('          A: { bits: 0, access: w, singlepulse: true, reset: 1 }\n'), rules))).toEqual(['validate/singlepulse-reset']);
  });

  it('accepts a one-bit writable pulse and ignores wide fields without singlepulse', () => {
    expect(
      check(oneRegister('          A: { bits: 0, access: w, singlepulse: true, reset: 0 }\n          B: { bits: 7..1, singlepulse: false }\n'), rules),
    ).toEqual([]);
  });
});

describe('write-constraints', () => {
  const rules = [writeConstraintsRule];
  it('reports empty ranges, ranges beyond the field and enum constraints without an enum', () => {
    expect(codes(check(oneRegister('          A: { bits: 3..0, writeConstraint: { min: 5, max: 2 } }\n'), rules))).toEqual(['validate/write-constraint-range']);
    expect(codes(check(oneRegister('          A: { bits: 3..0, writeConstraint: { min: 0, max: 16 } }\n'), rules))).toEqual([
      'validate/write-constraint-range',
    ]);
    expect(codes(check(oneRegister('          A: { bits: 3..0, writeConstraint: useEnumeratedValues }\n'), rules))).toEqual([
      'validate/write-constraint-no-enum',
    ]);
  });

  it('accepts satisfiable constraints', () => {
    expect(
      check(
        oneRegister(
          '          A: { bits: 3..0, writeConstraint: { min: 0, max: 15 } }\n          B: { bits: 5..4, enum: { X: 1 }, writeConstraint: useEnumeratedValues }\n          C: { bits: 6, writeConstraint: writeAsRead }\n',
        ),
        rules,
      ),
    ).toEqual([]);
  });
});

describe('counter-limits', () => {
  it('reports limits that do not fit the counter, and accepts the natural limit', () => {
    expect(codes(check(oneRegister('          C: { bits: 3..0, access: r, counter: { incr: 1, threshold: 16 } }\n'), [counterLimitsRule]))).toEqual([
      'validate/counter-limit-too-wide',
    ]);
    expect(codes(check(oneRegister('          C: { bits: 3..0, access: r, counter: { decr: 17 } }\n'), [counterLimitsRule]))).toEqual([
      'validate/counter-limit-too-wide',
    ]);
    expect(check(oneRegister('          C: { bits: 3..0, access: r, counter: { incr: 1, saturate: 15, threshold: true } }\n'), [counterLimitsRule])).toEqual(
      [],
    );
  });
});
