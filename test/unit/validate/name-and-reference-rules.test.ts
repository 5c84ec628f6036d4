import { describe, expect, it } from 'vitest';
import { duplicateNamesRule } from '../../../src/validate/rules/duplicate-names.ts';
import { identifierNamesRule } from '../../../src/validate/rules/identifier-names.ts';
import { interruptReferencesRule } from '../../../src/validate/rules/interrupt-references.ts';
import { quantityReferencesRule } from '../../../src/validate/rules/quantity-references.ts';
import { validateDevice } from '../../../src/validate/index.ts';
import { check, checkDevice, device, field, peripheral, register, span, spec } from './helpers.ts';

const codes = (findings: readonly { code: string }[]): string[] => findings.map((f) => f.code);

describe('duplicate-names', () => {
  const rules = [duplicateNamesRule];
  it('reports names equal ignoring case at each level, at the second, with the first related', () => {
    const text = spec(
      `  P:
    base: 0
    registers:
      CTRL: { offset: 0, fields: { EN: { bits: 0 }, En: { bits: 1 } } }
      ctrl: { offset: 4, fields: { EN: { bits: 0 } } }
      CL:
        offset: 8
        registers:
          A: { offset: 0, fields: { V: { bits: 0 } } }
          a: { offset: 4, fields: { V: { bits: 0 } } }
    quantities: { rate: "1", RATE: "2" }
  p:
    base: 0x100
    registers: {}
`,
      'clocks: { HCLK: 1, hclk: 2 }\n',
    );
    expect(check(text, rules).map((f) => `${f.code} ${f.line}<${f.related}`)).toEqual([
      'validate/duplicate-name 4<4', // clocks
      'validate/duplicate-name 17<6', // peripherals
      'validate/duplicate-name 10<9', // registers of P
      'validate/duplicate-name 16<16', // quantities of P
      'validate/duplicate-name 9<9', // fields of CTRL
      'validate/duplicate-name 15<14', // registers of cluster CL
    ]);
  });

  it('reports exact duplicates that other formats let through, and accepts the same name at different levels', () => {
    const a = register('R', 0, [field('F', 0, 1)]);
    const b = register('R', 4, [field('F', 0, 1)]);
    expect(codes(checkDevice(device([peripheral('P', 0, [a, b])]), rules))).toEqual(['validate/duplicate-name']);
    const nested = register('P', 0, [field('P', 0, 1)]);
    expect(checkDevice(device([peripheral('P', 0, [nested]), peripheral('Q', 0x100, [register('P', 0, [])])]), rules)).toEqual([]);
  });
});

describe('identifier-names', () => {
  const rules = [identifierNamesRule];
  it('reports every kind of name that is not an identifier', () => {
    const text = spec(
      `  "UART 0":
    base: 0
    irq: 3
    registers: {}
  P:
    base: 0x100
    irq: { "TX-IRQ": 4 }
    registers:
      1ST: { offset: 0, fields: { "a.b": { bits: 0, enum: { "x y": 0 } } } }
      CL: { offset: 8, registers: {} }
    quantities: { "baud rate": "1" }
`,
      'clocks: { "CLK-A": 1 }\n',
    );
    const found = check(text, rules).map((f) => f.line);
    // clock, peripheral (its derived irq name is not reported again), irq, register, field, enum value, quantity
    expect(found.sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual([4, 6, 12, 14, 14, 14, 16]);
    expect(new Set(codes(check(text, rules)))).toEqual(new Set(['validate/bad-name']));
  });

  it('is a warning in every format (RP2040 names enum values 3v3; its YAML import must validate as the SVD does)', () => {
    const f = field('VSEL', 0, 2, { enums: [{ span: span(), usage: 'read-write', values: [{ name: '3v3', path: 'VSEL.3v3', span: span(), value: 0 }] }] });
    const severities = (sourceFormat: 'svd' | 'specdrive-yaml') =>
      validateDevice(device([peripheral('P', 0, [register('R', 0, [f])])], { sourceFormat }), rules).map((d) => `${d.severity} ${d.path}`);
    expect(severities('svd')).toEqual(['warning VSEL.3v3']);
    expect(severities('specdrive-yaml')).toEqual(['warning VSEL.3v3']);
  });

  it('accepts identifiers, including leading underscores and digits after the first character', () => {
    expect(check(spec('  _P2:\n    base: 0\n    registers: { R_1: { offset: 0, fields: { F9: { bits: 0 } } } }\n'), rules)).toEqual([]);
  });
});

describe('interrupt-references', () => {
  const rules = [interruptReferencesRule];
  const withEnable = (enable: string): string =>
    spec(`  P:
    base: 0
    registers:
      CR: { offset: 0, fields: { IE: { bits: 0 } } }
      SR: { offset: 4, fields: { IE2: { bits: 1 }, F: { bits: 0, access: r, interrupt: { enable: ${enable} } } } }
`);

  it('resolves enables by sibling name, peripheral path and full path', () => {
    for (const ok of ['IE2', 'CR.IE', 'P.CR.IE']) expect(check(withEnable(ok), rules), ok).toEqual([]);
  });

  it('reports enables and masks that are not fields (including register paths)', () => {
    for (const bad of ['IE', 'CR.XX', 'CR', 'Q.CR.IE']) expect(codes(check(withEnable(bad), rules)), bad).toEqual(['validate/interrupt-unknown-field']);
    const masked = withEnable('IE2').replace('enable: IE2', 'mask: CR.MASK');
    expect(codes(check(masked, rules))).toEqual(['validate/interrupt-unknown-field']);
  });
});

describe('quantity-references', () => {
  const rules = [quantityReferencesRule];
  const withQuantity = (expr: string): string =>
    spec(
      `  P:
    base: 0
    registers:
      BAUD: { offset: 0, fields: { DIV: { bits: 15..4 }, FRAC: { bits: 3..0 } } }
      CH: { offset: 4, dim: { count: 2, stride: 4 }, fields: { V: { bits: 0 } } }
    quantities:
      other: "2"
      q: ${JSON.stringify(expr)}
`,
      'clocks: { HCLK: 48_000_000 }\n',
    );

  it('accepts clocks, sibling quantities, fields and registers by either path', () => {
    for (const ok of ['HCLK / (16 * BAUD.DIV + BAUD.FRAC)', 'P.BAUD.DIV * other', 'BAUD + 2 % 7', '-~1 << 2 >> 1 & 0xFF | 0b1 ^ 1_000', '1.5e6 / HCLK']) {
      expect(check(withQuantity(ok), rules), ok).toEqual([]);
    }
  });

  it('reports unknown names once each, with the quantity line', () => {
    expect(check(withQuantity('HCLK / BAUD.DIVV + BAUD.DIVV'), rules)).toEqual([
      { code: 'validate/quantity-unknown-name', path: 'P.q', line: 13, related: [] },
    ]);
    expect(codes(check(withQuantity('PCLK'), rules))).toEqual(['validate/quantity-unknown-name']);
  });

  it('reports syntax errors instead of names', () => {
    for (const bad of ['HCLK /', '(HCLK', 'HCLK)', 'HCLK HCLK', 'max(1, 2)', 'HCLK $ 2', '', '* 2']) {
      expect(codes(check(withQuantity(bad), rules)), bad).toEqual(['validate/quantity-syntax']);
    }
  });
});
