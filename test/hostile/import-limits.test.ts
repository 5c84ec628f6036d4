/**
 * Hostile inputs to the importers, each run in a child process (isolate.ts): entity bombs and
 * external entities, 10^5-level nesting, documents over the size limit (small limits keep it fast),
 * gzip bombs, absurd counts (a million registers, 2^32 array dims), YAML alias bombs and SystemRDL
 * include traversal. Each asserts the error code with a located span, a time bound, a memory bound
 * (growth of the child's peak RSS) and that nothing was written.
 *
 * Bounds are hang/blow-up guards, far above normal: TIME_MS of CPU time per case (machine load does
 * not change it), MEMORY_MB of peak growth.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS, type Format } from './cases.ts';
import { runCase, type IsolatedResult } from './isolate.ts';
import { expectWithinHangGuard } from '../cpu-time.ts';

// A hang guard in CPU time, not a speed target: each refusal costs 1–3 s of CPU with the child's
// start-up; the bugs these cases reproduce ran for minutes or never ended.
const TIME_MS = 30_000;
const MEMORY_MB = 150;

function expectRefused(r: IsolatedResult, code: RegExp): void {
  // Importers may still return a partial device next to the error; the error is what must be there.
  expect(
    r.codes.some((c) => code.test(c)),
    `codes ${r.codes.join(', ')}; ${r.messages.join(' | ')}`,
  ).toBe(true);
  expect(r.spans.length).toBeGreaterThan(0);
  for (const span of r.spans) expect(span).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  expectWithinHangGuard(r.cpuMs, TIME_MS, 'the refusal');
  expect(r.peakGrowthMb).toBeLessThan(MEMORY_MB);
  expect(r.written).toEqual([]);
}

describe('hostile: XML entities', () => {
  for (const format of ['svd', 'ipxact'] as const) {
    it(`${format}: billion laughs is refused before any expansion`, async () => {
      const r = await runCase('xml-billion-laughs', { format });
      expectRefused(r, /^xml\/doctype-entities$/);
      expect(r.peakGrowthMb).toBeLessThan(20);
    });
    for (const variant of ['entity', 'dtd'] as const) {
      it(`${format}: external ${variant} naming file:///etc/passwd is refused and nothing of the file leaks`, async () => {
        const r = await runCase('xml-external-entity', { format, variant });
        expectRefused(r, /^xml\/doctype-entities$/);
        expect(r.dump).not.toMatch(/root:|\/bin\/(ba)?sh/);
      });
    }
  }
});

describe('hostile: 10^5 levels of nesting', () => {
  /** What each format calls it: XML and hjson have a depth limit; the YAML parser stops deep flow collections itself. */
  const expected: Record<Format, RegExp> = {
    svd: /^limits\/too-deep$/,
    ipxact: /^limits\/too-deep$/,
    yaml: /^(limits\/too-deep|yaml\/syntax)$/,
    chiptool: /^(limits\/too-deep|yaml\/syntax)$/,
    hjson: /^limits\/too-deep$/,
    systemrdl: /^limits\/too-deep$/,
  };
  for (const format of FORMATS) {
    it(`${format}: refused with a located error, no stack overflow`, async () => {
      expectRefused(await runCase('deep', { format, levels: 100_000 }), expected[format]);
    });
  }
});

describe('hostile: deep YAML block mappings (issue 18 §7)', () => {
  for (const format of ['yaml', 'chiptool'] as const) {
    it(`${format}: 3 000 nested block mappings are refused with limits/too-deep, no stack overflow`, async () => {
      const r = await runCase('yaml-deep-block', { format, levels: 3_000 });
      expectRefused(r, /^limits\/too-deep$/);
      expect(r.codes).not.toContain('internal/importer-crash');
    });
  }
});

describe('hostile: SystemRDL macro bomb (issue 18 §5)', () => {
  it('`define X `X `X is stopped by the expansion budget with a located limits/ code', async () => {
    const r = await runCase('rdl-macro-bomb');
    expectRefused(r, /^limits\/macro-expansion$/);
  });
});

describe('hostile: documents over ImportLimits.maxBytes', () => {
  for (const format of FORMATS) {
    it(`${format}: text over a 256-byte limit is refused`, async () => {
      expectRefused(await runCase('too-large', { format, maxBytes: 256 }), /^limits\/file-too-large$/);
    });
  }
  it('a file over the limit is refused by size, before it is read', async () => {
    expectRefused(await runCase('too-large-file', { format: 'svd', maxBytes: 512 }), /^limits\/file-too-large$/);
  });
  it('a gzip bomb (64 MiB of spaces in a .svd.gz) is refused without inflating it', async () => {
    const r = await runCase('gzip-bomb', { megabytes: 64, maxBytes: 1_000_000 });
    expectRefused(r, /^limits\/file-too-large$/);
    // Inflating it whole costs ~140 MiB; stopping at the limit costs next to nothing.
    expect(r.peakGrowthMb).toBeLessThan(32);
  });
  it('the gzip bomb of issue 18 §8 (300 MiB of spaces, default limits) is refused within bounded memory', async () => {
    const r = await runCase('gzip-bomb', { megabytes: 300 });
    expectRefused(r, /^limits\/file-too-large$/);
    // Inflation stops at the limit (256 MiB), not at the end of the bomb; the text is never decoded.
    expect(r.peakGrowthMb).toBeLessThan(400);
  });
});

describe('hostile: absurd counts', () => {
  const dimCode: Record<Format, RegExp> = {
    svd: /^limits\/dim-too-large$/,
    ipxact: /^limits\/dim-too-large$/,
    yaml: /dim-too-large$/,
    chiptool: /^chiptool\/dim-too-large$/,
    hjson: /^hjson\/dim-too-large$/,
    systemrdl: /^rdl\/bad-array$/,
  };
  for (const format of FORMATS) {
    it(`${format}: an array of 2^32 registers is refused (ImportLimits.maxDim)`, async () => {
      expectRefused(await runCase('huge-dim', { format, dim: 2 ** 32 }), dimCode[format]);
    });
  }

  it('svd: a million registers written out stop at the element cap (maxNodes 10 000)', async () => {
    const r = await runCase('many-registers', { format: 'svd', count: 1_000_000, maxNodes: 10_000 });
    expectRefused(r, /^limits\/too-many-(elements|nodes)$/);
  });

  it('yaml: 30 000 registers written out are refused under maxNodes 10 000', async () => {
    expectRefused(await runCase('many-registers', { format: 'yaml', count: 30_000, maxNodes: 10_000 }), /too-many-nodes$/);
  });
});

describe('hostile: YAML alias bombs', () => {
  it('native YAML: refused at the alias limit', async () => {
    expectRefused(await runCase('yaml-alias-bomb', { format: 'yaml' }), /^yaml\/alias-limit$/);
  });
  it('chiptool YAML: refused', async () => {
    expectRefused(await runCase('yaml-alias-bomb', { format: 'chiptool' }), /^chiptool\/alias$/);
  });
});

describe('hostile: SystemRDL include traversal', () => {
  for (const name of ['../../etc/passwd', '/etc/passwd']) {
    it(`\`include "${name}" outside the include paths is refused without reading the file`, async () => {
      const r = await runCase('rdl-include', { name });
      expectRefused(r, /^rdl\/include-/);
      expect(r.dump).not.toMatch(/etc\/passwd:\d+:\d+/);
    });
  }
  it('a file under an include path is still included', async () => {
    const r = await runCase('rdl-include', { name: 'sub.rdl', withIncludePath: true });
    expect(r.codes.filter((c) => c.startsWith('rdl/include-'))).toEqual([]);
    expect(r.valueDefined).toBe(true);
    expect(r.written).toEqual([]);
  });
});
