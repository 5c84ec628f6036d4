import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRevisions } from '../../../src/pipeline/load-revisions.ts';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseExpectations } from '../corpus.ts';
import { overlayJsonSchema } from '../../../src/overlay/index.ts';

/**
 * Bad board overlays, one finding each (`# expect: CODE LINE:COL` in the header, located in the
 * overlay), applied to the two small revisions in `base/` exactly as `ci` and `check` load a board.
 * Every error makes the board unusable: nothing downstream runs and nothing is written.
 */
const here = dirname(fileURLToPath(import.meta.url));
const base = ['rev-a.yaml', 'rev-b.yaml'].map((f) => relative(process.cwd(), join(here, 'base', f)));
const cases = readdirSync(join(here, 'cases'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('board overlay error corpus', () => {
  it.each(cases)('%s', (name) => {
    const file = relative(process.cwd(), join(here, 'cases', name));
    const expected = parseExpectations(readFileSync(file, 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    const loaded = loadRevisions([{ board: 'tiny', span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 }, files: base, overlay: file }]);
    const inOverlay = loaded.diagnostics.filter((d) => d.span?.file === file && d.severity !== 'info');
    expect(inOverlay.map((d) => ({ code: d.code, line: d.span?.line, column: d.span?.column }))).toEqual(
      expected.map((e) => ({ code: e.code, line: e.line, column: e.column })),
    );
    const errors = inOverlay.some((d) => d.severity === 'error');
    expect(loaded.unusable).toBe(errors);
  });

  it('a good overlay loads both revisions cleanly', () => {
    const file = relative(process.cwd(), join(here, 'cases', 'missing-in-revision.yaml'));
    const loaded = loadRevisions([{ board: 'tiny', span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 }, files: base, overlay: file }]);
    expect(loaded.unusable).toBe(false);
    expect(loaded.revisions.map((r) => r.device.peripherals.map((p) => `${p.name}:${p.driverKind ?? '-'}`))).toEqual([
      ['UART0:uart'],
      ['UART0:uart', 'TIM0:timer'],
    ]);
    // The warning names the revision that lacks TIM0.
    expect(loaded.diagnostics.find((d) => d.code === 'overlay/missing-in-revision')?.message).toBe('overlay peripheral TIM0 matches nothing in tiny rev-a');
  });

  it('the published JSON Schema rejects exactly the schema-level cases', () => {
    const validate = new Ajv2020({ strict: false }).compile(overlayJsonSchema());
    const schemaLevel = /^overlay\/(unknown-key|invalid-value|invalid-type|out-of-range|missing-key)$/;
    for (const name of cases) {
      const text = readFileSync(join(here, 'cases', name), 'utf8');
      const expectedReject = parseExpectations(text).some((e) => schemaLevel.test(e.code));
      expect(validate(parse(text)), name).toBe(!expectedReject);
    }
    expect(readFileSync(join(here, '../../../hardware-specs/schema/overlay.schema.json'), 'utf8')).toBe(JSON.stringify(overlayJsonSchema(), null, 2) + '\n');
  });
});
