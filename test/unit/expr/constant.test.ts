import { describe, expect, it } from 'vitest';
import { evaluateConstant, parameterResolver, readLiteral } from '../../../src/expr/constant/index.ts';
import { IPXACT_GRAMMAR } from '../../../src/importers/ipxact/expr.ts';
import { evaluateExpression, REGGEN_GRAMMAR } from '../../../src/importers/hjson/expression.ts';

const none = (name: string): bigint => {
  throw new Error(`unknown parameter ${name}`);
};

describe('the shared constant-expression evaluator', () => {
  it('reads each literal grammar', () => {
    expect(readLiteral("8'hFF", 0, { based: { spaces: false }, prefixes: '' })).toEqual({ value: 255n, width: 8, end: 5 });
    expect(readLiteral("8 'h FF", 0, { based: { spaces: true }, prefixes: '' })).toEqual({ value: 255n, width: 8, end: 7 });
    // Without spaces allowed, the size is a plain decimal.
    expect(readLiteral("8 'h FF", 0, { based: { spaces: false }, prefixes: '' })).toEqual({ value: 8n, end: 1 });
    expect(readLiteral('0b1010_1', 0, { prefixes: 'xob' })).toEqual({ value: 0b10101n, end: 8 });
    expect(readLiteral('0b101', 0, { prefixes: 'x' })).toEqual({ value: 0n, end: 1 });
    expect(readLiteral("'0", 0, { fill: true, prefixes: '' })).toEqual({ value: 0n, end: 2 });
    expect(readLiteral("'1", 0, { fill: true, prefixes: '' })?.problem?.kind).toBe('unknown-fill');
    expect(readLiteral("4'b1021", 0, { based: { spaces: false }, prefixes: '' })?.problem?.kind).toBe('bad-digits');
    expect(readLiteral("4'b1x", 0, { based: { spaces: false }, prefixes: '' })?.problem?.kind).toBe('unknown-bits');
    expect(readLiteral("2'd7", 0, { based: { spaces: false }, prefixes: '' })?.problem?.kind).toBe('too-wide');
  });

  it('evaluates exactly past 2^53 and keeps widths', () => {
    expect(evaluateConstant("64'hFFFF_FFFF_FFFF_FFFF + 1", IPXACT_GRAMMAR, none)).toEqual({ ok: true, value: 1n << 64n });
    expect(evaluateConstant("~4'h5", IPXACT_GRAMMAR, none)).toEqual({ ok: true, value: 0xan, width: 4 });
    expect(evaluateConstant('~0', IPXACT_GRAMMAR, none)).toEqual({ ok: true, value: (1n << 64n) - 1n });
    // SystemVerilog precedence: ** is right-associative; reductions and XNOR are operators too.
    expect(evaluateConstant('2 ** 3 ** 2', IPXACT_GRAMMAR, none)).toEqual({ ok: true, value: 512n });
    expect(evaluateConstant("&4'hF + |4'h0", IPXACT_GRAMMAR, none)).toEqual({ ok: true, value: 1n });
    expect(evaluateConstant("4'hA ~^ 4'h5", IPXACT_GRAMMAR, none)).toEqual({ ok: true, value: 0n });
  });

  it('locates errors at the offending token', () => {
    expect(evaluateConstant('1 + (2 * 3', IPXACT_GRAMMAR, none)).toEqual({ ok: false, error: 'expected ")"', offset: 10 });
    expect(evaluateConstant('4 / (2 - 2)', IPXACT_GRAMMAR, none)).toEqual({ ok: false, error: 'division by zero', offset: 2 });
    expect(evaluateConstant('1 + W', IPXACT_GRAMMAR, none)).toEqual({ ok: false, error: 'unknown parameter W', offset: 4 });
    // reggen has no bitwise operators: `&` is not part of its language.
    expect(evaluateConstant('1 & 2', REGGEN_GRAMMAR, none)).toEqual({ ok: false, error: 'unexpected "&"', offset: 2 });
  });

  it('resolves parameters over parameters once and refuses cycles', () => {
    const defs = new Map([
      ['A', 'B + 1'],
      ['B', "4'h3"],
      ['C', 'D'],
      ['D', 'C'],
    ]);
    let reads = 0;
    const resolve = parameterResolver((n) => {
      reads++;
      return defs.get(n);
    }, REGGEN_GRAMMAR);
    expect(evaluateConstant('A * A', REGGEN_GRAMMAR, resolve)).toEqual({ ok: true, value: 16n });
    expect(reads).toBe(2);
    const cycle = evaluateConstant('C', REGGEN_GRAMMAR, resolve);
    expect(cycle.ok).toBe(false);
    expect(!cycle.ok && cycle.error).toMatch(/defined in terms of itself/);
  });

  it('gives reggen numbers, refusing what a number cannot hold', () => {
    expect(evaluateExpression('NEndpoints+15', (n) => (n === 'NEndpoints' ? 12n : none(n)))).toEqual({ value: 27 });
    expect(evaluateExpression('1 << 60', none)).toEqual({ error: '"1 << 60" is too large' });
  });
});
