import { describe, expect, it } from 'vitest';
import { extractBig, fieldResetFromRegister, onesBig } from '../../../src/ir/bits.ts';
import { isIdentifier, upperCaseKey } from '../../../src/ir/names.ts';
import { parseEnumValue, parseSvdInteger } from '../../../src/importers/svd/index.ts';
import { parseSvdBigInt } from '../../../src/importers/svd/numbers.ts';
import { normaliseText } from '../../../src/importers/xml/index.ts';
import { Prng } from '../../../src/random/index.ts';

/**
 * The hand-written fast paths of the SVD import and validation (numbers without a regular
 * expression, field resets in plain numbers, identifiers and layout whitespace by a loop) must answer
 * exactly what the general definitions answer, on the edges and on seeded random input.
 */

const SCALE: Readonly<Record<string, bigint>> = { k: 1n << 10n, m: 1n << 20n, g: 1n << 30n, t: 1n << 40n };

/** The SVD number grammar, written once more as the definition: exact bigint or undefined. */
function definition(raw: string): bigint | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|#[01]+|0[bB][01]+|[0-9]+)([kmgtKMGT])?$/.exec(raw.trim().replace(/^\+/, ''));
  if (!m) return undefined;
  const digits = m[1] as string;
  const value = BigInt(digits.startsWith('#') ? `0b${digits.slice(1)}` : digits);
  return m[2] ? value * (SCALE[m[2].toLowerCase()] ?? 1n) : value;
}

const EDGES = [
  '',
  '0',
  '7',
  '007',
  '0x',
  '0X1f',
  '0x0',
  '0xFFFFFFFF',
  '0xfffffffffffff',
  '0x1fffffffffffff',
  '0x10000000000000000',
  '123456789012345',
  '1234567890123456',
  ' 12',
  '12 ',
  '+5',
  '#101',
  '0b11',
  '0B2',
  '4k',
  '0x10M',
  '1.5',
  '-1',
  '0x-1',
  '0xg',
  '١٢',
];

function randomNumberText(prng: Prng): string {
  const alphabet = ['0', '1', '9', 'a', 'F', 'x', 'X', '#', 'b', ' ', '+', 'k', 'z'];
  const shapes = [
    () => `0x${prng.nextU32().toString(16)}`,
    () => String(prng.nextU32()),
    () => `0x${prng.nextU32().toString(16)}${prng.nextU32().toString(16)}`,
    () => Array.from({ length: prng.below(8) }, () => alphabet[prng.below(alphabet.length)]).join(''),
  ];
  return (shapes[prng.below(shapes.length)] as () => string)();
}

describe('SVD number fast paths', () => {
  const prng = new Prng(21);
  const inputs = [...EDGES, ...Array.from({ length: 3000 }, () => randomNumberText(prng))];

  it('parseSvdInteger and parseSvdBigInt agree with the grammar on every input', () => {
    for (const raw of inputs) {
      const exact = definition(raw);
      expect(parseSvdBigInt(raw), raw).toBe(exact);
      const n = parseSvdInteger(raw);
      if (exact === undefined) expect(n, raw).toBeUndefined();
      else expect(n, raw).toBe(Number.parseInt(exact.toString(16), 16));
    }
  });

  it('parseEnumValue reads decimal and hex as before and keeps the binary forms with don\u2019t-care bits', () => {
    expect(parseEnumValue('0x1F')).toEqual({ value: 31, dontCareMask: 0 });
    expect(parseEnumValue('12')).toEqual({ value: 12, dontCareMask: 0 });
    expect(parseEnumValue(' 12 ')).toEqual({ value: 12, dontCareMask: 0 });
    expect(parseEnumValue('#1x0')).toEqual({ value: 4, dontCareMask: 2 });
    expect(parseEnumValue('0b1X')).toEqual({ value: 2, dontCareMask: 1 });
    expect(parseEnumValue('0x')).toBeUndefined();
    expect(parseEnumValue('4k')).toBeUndefined();
  });
});

describe('fieldResetFromRegister in numbers', () => {
  /** The definition in bigints: the field's bits of the value where the mask defines all of them. */
  function resetDefinition(value: bigint, mask: bigint, lsb: number, width: number): bigint | undefined {
    const ones = (1n << BigInt(width)) - 1n;
    if (mask === 0n) return ones === 0n ? 0n : undefined;
    return ((mask >> BigInt(lsb)) & ones) === ones ? (value >> BigInt(lsb)) & ones : undefined;
  }

  it('agrees with the bigint definition for 8- to 64-bit registers, full and partial masks', () => {
    const prng = new Prng(743);
    const big = (bits: number): bigint => ((BigInt(prng.nextU32()) << 32n) | BigInt(prng.nextU32())) & ((1n << BigInt(bits)) - 1n);
    for (let i = 0; i < 4000; i++) {
      const size = [8, 16, 32, 64][prng.below(4)] as number;
      const lsb = prng.below(size);
      const width = 1 + prng.below(size - lsb);
      const value = big(size);
      const mask = [0n, (1n << BigInt(size)) - 1n, big(size)][prng.below(3)] as bigint;
      expect(fieldResetFromRegister(value, mask, lsb, width), `${value} ${mask} ${lsb} ${width}`).toBe(resetDefinition(value, mask, lsb, width));
    }
    for (let i = 0; i < 2000; i++) {
      const size = [8, 32, 64][prng.below(3)] as number;
      const lsb = prng.below(size);
      const width = 1 + prng.below(size - lsb);
      const value = big(size);
      expect(extractBig(value, lsb, width), `${value} ${lsb} ${width}`).toBe((value >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n));
    }
    expect([0, 1, 32, 64, 65, 100].map(onesBig)).toEqual([0n, 1n, 0xffffffffn, 2n ** 64n - 1n, 2n ** 65n - 1n, 2n ** 100n - 1n]);
    expect(fieldResetFromRegister(0xffffffffn, 0xffffffffn, 0, 32)).toBe(0xffffffffn);
    expect(fieldResetFromRegister(0x80000000n, 0xffffffffn, 31, 1)).toBe(1n);
    expect(fieldResetFromRegister(5n, 0n, 0, 0)).toBe(0n);
  });
});

describe('identifier and layout-whitespace loops', () => {
  it('isIdentifier is [A-Za-z_][A-Za-z0-9_]*', () => {
    const prng = new Prng(657);
    const alphabet = ['a', 'Z', '_', '0', '9', '@', '[', '`', '{', '/', ':', ' ', 'é', '-'];
    const names = [
      '',
      '_',
      'A1',
      '1A',
      'a-b',
      'UART0',
      'é',
      ...Array.from({ length: 3000 }, () => Array.from({ length: prng.below(6) }, () => alphabet[prng.below(alphabet.length)]).join('')),
    ];
    for (const name of names) expect(isIdentifier(name), JSON.stringify(name)).toBe(/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  });

  it('normaliseText collapses exactly when a tab, line break, vertical tab, form feed or two spaces occur', () => {
    const regexDefinition = (text: string): string | undefined => {
      const collapsed = (/[\t\n\r\f\v]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
      return collapsed === '' ? undefined : collapsed;
    };
    const prng = new Prng(1);
    // Unicode spaces, DEL and a letter outside ASCII beside the ASCII ones: the scan leaves those to the regular expressions.
    const alphabet = ['a', ' ', ' ', '\t', '\n', '\r', '\f', '\v', '\u00a0', '\u2028', '\u3000', '\u007f', '\u00e9', 'b', '\u001f'];
    for (let i = 0; i < 6000; i++) {
      const text = Array.from({ length: prng.below(12) }, () => alphabet[prng.below(alphabet.length)]).join('');
      expect(normaliseText(text), JSON.stringify(text)).toBe(regexDefinition(text));
    }
  });

  it('upperCaseKey is toUpperCase, the name itself when nothing changes', () => {
    const prng = new Prng(7);
    const alphabet = ['a', 'z', 'A', 'Z', '_', '0', '9', '`', '{', '@', '[', '\u00df', '\u00e9', '\u0131', '\u00ff', '\u017f', ' '];
    for (let i = 0; i < 6000; i++) {
      const name = Array.from({ length: prng.below(10) }, () => alphabet[prng.below(alphabet.length)]).join('');
      expect(upperCaseKey(name), JSON.stringify(name)).toBe(name.toUpperCase());
    }
  });
});
