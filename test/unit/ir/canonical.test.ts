/**
 * The canonical form is written by one streaming encoder (src/ir/canonical.ts). These tests hold it
 * to its definition: the sorted deep copy (`sortDevice`) written by `stableStringify`, byte for byte,
 * and its hash to sha256 of that text, on real specs of every shape (native YAML, SVD with enums,
 * arrays and alternates), whatever order the children come in.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/hash/index.ts';
import { importFile } from '../../../src/importers/index.ts';
import { canonicalHash, canonicalJson, sortDevice, specHash, stableStringify } from '../../../src/ir/canonical.ts';
import type { Device, RegisterNode } from '../../../src/ir/types.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const demo = readdirSync(join(ROOT, 'hardware-specs/demo-board'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(ROOT, 'hardware-specs/demo-board', f));
const svds = ['nordic-conventions.svd', 'lpc176x-same-base-name.svd', 'samd21-register-access.svd'].map((f) => join(ROOT, 'test/fixtures/svd-classes', f));
const files = [...demo, ...svds];

function load(file: string): Device {
  const imported = importFile(file);
  expect(imported.value, file).toBeDefined();
  return imported.value as Device;
}

/** Every child list reversed, down to enum values: the canonical text must not change. */
function reversed(device: Device): Device {
  const nodes = (list: readonly RegisterNode[]): RegisterNode[] =>
    [...list].reverse().map((n) =>
      n.kind === 'cluster'
        ? { ...n, children: nodes(n.children) }
        : {
            ...n,
            fields: [...n.fields]
              .reverse()
              .map((f) => (f.enums ? { ...f, enums: [...f.enums].reverse().map((s) => ({ ...s, values: [...s.values].reverse() })) } : f)),
          },
    );
  return {
    ...device,
    clocks: [...device.clocks].reverse(),
    peripherals: [...device.peripherals].reverse().map((p) => ({ ...p, registers: nodes(p.registers), interrupts: [...p.interrupts].reverse() })),
  };
}

describe('canonical form', () => {
  it('has fixtures of every kind', () => {
    expect(demo.length).toBeGreaterThan(0);
    expect(files.every((f) => load(f).peripherals.length > 0)).toBe(true);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))(
    '%s: the streamed text is stableStringify(sortDevice(device)), with and without spans and descriptions',
    (_name, file) => {
      const device = load(file);
      for (const options of [{}, { descriptions: false }, { spans: true, spanRoot: ROOT }]) {
        expect(canonicalJson(device, options)).toBe(`${stableStringify(sortDevice(device), options)}\n`);
      }
    },
  );

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s: the streamed hash is sha256 of the canonical text and ignores child order', (_name, file) => {
    const device = load(file);
    expect(specHash(device)).toBe(sha256(canonicalJson(device, { descriptions: false })));
    expect(canonicalHash(device, { spans: true, spanRoot: ROOT })).toBe(sha256(canonicalJson(device, { spans: true, spanRoot: ROOT })));
    expect(specHash(reversed(device))).toBe(specHash(device));
  });

  it('strings that need escaping, lists out of order and a text of many batches hash as their canonical text', () => {
    // Quote, backslash, control characters, non-ASCII, a surrogate pair and a lone surrogate: the
    // encoder writes names that need no escaping without JSON.stringify and must give its text.
    const awkward = ['a"b', 'back\\slash', 'tab\there', 'nl\n', '\u0001', 'µ-ünïcode', 'pair \u{1F600}', 'lone \ud800', 'end\u001f'];
    const device = load(svds[0] as string);
    const big: Device = {
      ...device,
      // Enough peripherals for the hash's text to span many batches of pieces, listed out of canonical order.
      peripherals: Array.from({ length: 60 }, (_, i) =>
        device.peripherals.map((p, j) => ({ ...p, name: `${awkward[(i + j) % awkward.length]}${i}`, baseAddress: p.baseAddress + (59 - i) * 0x10000 })),
      ).flat(),
    };
    for (const options of [{}, { descriptions: false }]) expect(canonicalJson(big, options)).toBe(`${stableStringify(sortDevice(big), options)}\n`);
    expect(canonicalJson(big).length).toBeGreaterThan(500_000);
    expect(specHash(big)).toBe(sha256(canonicalJson(big, { descriptions: false })));
    expect(specHash(reversed(big))).toBe(specHash(big));
  });

  it('descriptions do not change the spec hash; a bit position does', () => {
    const device = load(demo[0] as string);
    const peripheral = device.peripherals[0]!;
    const described = { ...device, peripherals: [{ ...peripheral, description: 'another text' }, ...device.peripherals.slice(1)] };
    expect(specHash(described)).toBe(specHash(device));
    const register = peripheral.registers.find((r) => r.kind === 'register' && r.fields.length > 0);
    if (register?.kind !== 'register') throw new Error('the demo has a register with fields');
    const moved = { ...register, fields: [{ ...register.fields[0]!, lsb: register.fields[0]!.lsb + 1 }, ...register.fields.slice(1)] };
    const changed = {
      ...device,
      peripherals: [{ ...peripheral, registers: peripheral.registers.map((r) => (r === register ? moved : r)) }, ...device.peripherals.slice(1)],
    };
    expect(specHash(changed)).not.toBe(specHash(device));
  });
});
