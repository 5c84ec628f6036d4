import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSystemRdl } from '../../../src/importers/systemrdl/index.ts';
import type { Device, Field, Register, RegisterNode } from '../../../src/ir/types.ts';
import { validateDevice } from '../../../src/validate/index.ts';
import { flattenIr, flattenOracle, keyLines, listFiles, runOracle } from './helpers.ts';

/**
 * One small spec per class of issue 20 (false rejects, false accepts, meaning lost), each with the
 * verdict of the reference implementation, **systemrdl-compiler 1.33.0**, kept here: accept (and the
 * key values it elaborates: addresses, array shapes, field bits, access, resets) or reject (and its
 * message). Every file is checked against the kept verdict always; the live test re-runs the oracle
 * (installed in CI by .ci/run from .ci/python-requirements.txt) and checks the kept verdicts still
 * are its answers.
 */

const ORACLE = 'systemrdl-compiler';
const ORACLE_VERSION = '1.33.0';
const CLASSES = fileURLToPath(new URL('./classes/', import.meta.url));

type Expected =
  | { readonly verdict: 'accept'; readonly keys: readonly string[]; readonly warnings?: readonly string[] }
  | { readonly verdict: 'reject'; readonly oracle: string; readonly errors: readonly string[] };

const EXPECTED: Readonly<Record<string, Expected>> = {
  // ---- false rejects (systemrdl-compiler accepts)
  'top-parameter.rdl': { verdict: 'accept', keys: ['x @0x0 [3] +0x4 w32: f[0+1] rw/rw'] },
  'struct-parameter.rdl': { verdict: 'accept', keys: ['rg @0x0 [2] +0x4 w32: f[0+8] rw/rw =0'] },
  'external-register.rdl': { verdict: 'accept', keys: ['a @0x0 w32: f[0+1] rw/rw', 'b @0x10 w32: g[0+4] rw/rw'] },
  'udp-no-value.rdl': { verdict: 'accept', keys: ['bar @0x0 w32: field1[0+1] rw/rw, field2[1+1] rw/rw'] },
  'udp-struct-array.rdl': { verdict: 'accept', keys: ['rg @0x0 w32: f[0+1] rw/rw'] },
  'signal-in-field.rdl': { verdict: 'accept', keys: ['rg @0x0 w32: f[0+1] rw/rw'] },
  'enum-bool-cast.rdl': { verdict: 'accept', keys: ['rg @0x0 w32: f[0+1] rw/rw =1'] },
  'default-posedge.rdl': { verdict: 'accept', keys: ['rg @0x0 w32: plain[0+1] rw/rw, irq[1+1] rw/rw intr'] },
  'bridge-same-address.rdl': { verdict: 'accept', keys: ['ahb @0x0 block', 'ahb.a @0x0 w32: f[0+1] rw/rw', 'axi @0x0 block', 'axi.a @0x0 w32: f[0+1] rw/rw'] },
  // ---- false accepts (systemrdl-compiler rejects)
  'reset-ref-missing.rdl': {
    verdict: 'reject',
    oracle: "references the value of property 'reset', but its value was never set",
    errors: ['rdl/property-never-set 6'],
  },
  'incr-not-counter.rdl': {
    verdict: 'reject',
    oracle: "Reference to property 'incr' is illegal because 'a' is not a counter",
    errors: ['rdl/bad-property-reference 6'],
  },
  'circular-reference.rdl': {
    verdict: 'reject',
    oracle: 'Assignment creates a circular reference',
    errors: ['rdl/circular-reference 6', 'rdl/circular-reference 7'],
  },
  'field-reset-polarity.rdl': {
    verdict: 'reject',
    oracle: "sets the 'field_reset' property but does not specify whether it is activehigh/activelow",
    errors: ['rdl/reset-signal-polarity 3'],
  },
  'sibling-out-of-scope.rdl': { verdict: 'reject', oracle: "Reference to 'en' not found", errors: ['rdl/undefined-reference 5'] },
  'udp-wrong-type.rdl': { verdict: 'reject', oracle: "Incompatible assignment to property 'my_pair'", errors: ['rdl/property-type 5'] },
  // ---- meaning lost (accepted; the IR must keep or say what it cannot carry)
  'counter-reference-limit.rdl': {
    verdict: 'accept',
    keys: ['rg @0x0 w32: limit[0+8] rw/r =64, count[8+8] r/r =0 counter, fixed[16+8] r/r =0 counter'],
    warnings: ['rdl/limit-dropped 7', 'rdl/limit-dropped 8'],
  },
  'halt.rdl': {
    verdict: 'accept',
    keys: ['rg @0x0 w32: he[0+1] rw/r, hm[1+1] rw/r, a[2+1] rw/rw intr, b[3+1] rw/rw intr'],
    warnings: ['rdl/property-dropped 8', 'rdl/property-dropped 9'],
  },
  'top-registers-around-blocks.rdl': {
    verdict: 'accept',
    keys: [
      'blk @0x100 block',
      'blk.a @0x100 w32: g[0+1] rw/rw',
      'blk.b @0x104 w32: h[0+1] rw/rw',
      'ctrl @0x0 w32: f[0+1] rw/rw',
      'status @0x200 w32: f[0+1] rw/rw',
    ],
  },
  'wide-reset.rdl': {
    verdict: 'accept',
    keys: ['ones @0x0 w64: every[0+64] rw/rw =18446744073709551615', 'pattern @0x8 w64: lo[0+8] rw/rw =1, hi[8+56] r/rw =48358647417488743'],
  },
  'wide-accesswidth.rdl': { verdict: 'accept', keys: ['r0 @0x0 w64: a[0+1] rw/rw', 'r1 @0x8 w32: b[0+1] rw/rw', 'r2 @0xc w64: c[0+1] rw/rw'] },
};

const files = listFiles(CLASSES, '.rdl');
const compile = (file: string) => compileSystemRdl(readFileSync(file, 'utf8'), file);
const located = (codes: readonly { code: string; span?: { line: number } | undefined }[]) => codes.map((d) => `${d.code} ${d.span?.line ?? '?'}`).sort();

function findNode(nodes: readonly RegisterNode[], path: readonly string[]): RegisterNode | undefined {
  const [head, ...rest] = path;
  const n = nodes.find((x) => x.name === head);
  if (!n || rest.length === 0) return n;
  return n.kind === 'cluster' ? findNode(n.children, rest) : undefined;
}
function fieldOf(device: Device, peripheral: string, register: string, field: string): Field {
  const reg = findNode(device.peripherals.find((p) => p.name === peripheral)!.registers, register.split('.')) as Register;
  return reg.fields.find((f) => f.name === field)!;
}

describe(`SystemRDL classes of issue 20 against ${ORACLE} ${ORACLE_VERSION} (kept verdicts)`, () => {
  it('every class file has a kept verdict, and every verdict a file', () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    const name = basename(file);
    it(name, () => {
      const expected = EXPECTED[name]!;
      const r = compile(file);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (expected.verdict === 'reject') {
        expect(r.value?.device, 'no IR for a rejected file').toBeUndefined();
        expect(located(errors)).toEqual([...expected.errors].sort());
        return;
      }
      expect(located(errors)).toEqual([]);
      const device = r.value!.device!;
      expect(keyLines(flattenIr(device))).toEqual(expected.keys);
      expect(located(r.diagnostics.filter((d) => d.severity === 'warning'))).toEqual([...(expected.warnings ?? [])].sort());
      // What the reference accepts, specdrive's own validation accepts too (no errors).
      expect(
        validateDevice(device)
          .filter((d) => d.severity === 'error')
          .map((d) => `${d.code}: ${d.message}`),
      ).toEqual([]);
    });
  }

  it('a 64-bit reset stays exact in the register reset value and mask', () => {
    const device = compile(`${CLASSES}wide-reset.rdl`).value!.device!;
    const [ones, pattern] = device.peripherals[0]!.registers as Register[];
    expect([ones!.resetValue, ones!.resetMask]).toEqual([2n ** 64n - 1n, 2n ** 64n - 1n]);
    expect([pattern!.resetValue, pattern!.resetMask]).toEqual([(0xabcdef01234567n << 8n) | 1n, 2n ** 64n - 1n]);
  });

  it('a run-time counter limit is not exported as the natural limit; a constant one is kept', () => {
    const device = compile(`${CLASSES}counter-reference-limit.rdl`).value!.device!;
    const count = fieldOf(device, 'counter_reference_limit', 'rg', 'count').access.counter!;
    expect(count.incrSaturate).toBeUndefined();
    expect(count.incrThreshold).toBeUndefined();
    expect(fieldOf(device, 'counter_reference_limit', 'rg', 'fixed').access.counter!.incrSaturate).toBe(0xf0);
  });

  it("a bridge's children are alternates of its first child; the top's registers claim only their own bytes", () => {
    const bridge = compile(`${CLASSES}bridge-same-address.rdl`).value!.device!;
    expect(bridge.peripherals.map((p) => [p.name, p.baseAddress, p.alternateOf ?? null])).toEqual([
      ['ahb', 0, null],
      ['axi', 0, 'ahb'],
    ]);
    const around = compile(`${CLASSES}top-registers-around-blocks.rdl`).value!.device!;
    const top = around.peripherals.find((p) => p.name === 'top_registers_around_blocks')!;
    expect(top.addressBlocks).toEqual([
      { offset: 0, size: 4, usage: 'registers' },
      { offset: 0x200, size: 4, usage: 'registers' },
    ]);
  });
});

describe(`SystemRDL classes of issue 20: ${ORACLE} run live`, () => {
  it(`the installed oracle is ${ORACLE} ${ORACLE_VERSION} and still gives the kept verdicts`, () => {
    const version = execFileSync('python3', ['-c', 'import systemrdl; print(systemrdl.__version__)'], { encoding: 'utf8' }).trim();
    expect(version).toBe(ORACLE_VERSION);
    const results = runOracle(files.map((f) => ({ files: [f] })));
    for (const [k, file] of files.entries()) {
      const expected = EXPECTED[basename(file)]!;
      const oracle = results[k]!;
      if (expected.verdict === 'reject') {
        expect(oracle.ok, `${basename(file)}: ${ORACLE} rejects it`).toBe(false);
        // eslint-disable-next-line no-control-regex
        if (!oracle.ok) expect(oracle.messages.replace(/\x1b\[[0-9;]*m/g, '')).toContain(expected.oracle);
        continue;
      }
      expect(oracle.ok && 'regs' in oracle, `${basename(file)}: ${ORACLE} accepts it`).toBe(true);
      if (oracle.ok && 'regs' in oracle) expect(keyLines(flattenOracle(oracle.regs))).toEqual(expected.keys);
    }
  });
});
