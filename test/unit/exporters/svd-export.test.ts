import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportSvd } from '../../../src/exporters/index.ts';
import { importFile } from '../../../src/importers/index.ts';
import { importSvd } from '../../../src/importers/svd/index.ts';
import { canonicalJson } from '../../../src/ir/canonical.ts';
import type { Device } from '../../../src/ir/types.ts';
import { realXmlFiles, shortName } from '../importers/svd-real-files.ts';

/** Canonical IR with the one source-only detail (which format it came from) set aside. */
export const comparable = (device: Device): string => canonicalJson({ ...device, sourceFormat: 'svd' }, { descriptions: true });

/**
 * Schema validation uses the CMSIS-SVD XSD shipped in the `cmsis-svd` Python package and lxml
 * (`pip install cmsis-svd==0.6 lxml`, see .ci/run). A missing package fails the test rather than skipping it.
 */
const VALIDATE = `
import sys, os, lxml.etree as ET, cmsis_svd
xsd = os.path.join(os.path.dirname(cmsis_svd.__file__), 'schemas', 'CMSIS-SVD_1_3_9.xsd')
schema = ET.XMLSchema(ET.parse(xsd))
for path in sys.argv[1:]:
    if not schema.validate(ET.parse(path)):
        print(path, schema.error_log.last_error)
`;

describe('CMSIS-SVD export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-svd-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const written: string[] = [];

  for (const file of realXmlFiles()) {
    it(`round trip: ${shortName(file)}`, () => {
      const original = importFile(file);
      expect(original.value).toBeDefined();
      const exported = exportSvd(original.value!);
      // Nothing the SVD and IP-XACT inputs hold is lost on the way out.
      expect(exported.diagnostics).toEqual([]);
      const again = importSvd(exported.value!, 'exported.svd');
      // No errors; warnings only of the kinds the vendor's own file caused (e.g. a field beyond its
      // register). Duplicates were dropped on the first import, so those do not come back.
      expect(again.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
      const kinds = new Set(original.diagnostics.map((d) => d.code.split('/')[1]));
      expect(again.diagnostics.filter((d) => !kinds.has(d.code.split('/')[1]))).toEqual([]);
      expect(comparable(again.value!)).toBe(comparable(original.value!));
      const out = join(dir, `${written.length}.svd`);
      writeFileSync(out, exported.value!);
      written.push(out);
    });
  }

  it('every exported file is valid against the CMSIS-SVD 1.3 schema', () => {
    expect(written.length).toBe(realXmlFiles().length);
    const problems = execFileSync('python3', ['-c', VALIDATE, ...written], { encoding: 'utf8' });
    expect(problems).toBe('');
  });

  it('the schema check catches an invalid file (so the check above can fail)', () => {
    const bad = join(dir, 'bad.svd');
    writeFileSync(bad, '<?xml version="1.0"?><device schemaVersion="1.3"><name>X</name></device>');
    expect(execFileSync('python3', ['-c', VALIDATE, bad], { encoding: 'utf8' })).toContain('bad.svd');
  });

  it("writes arrays with their name patterns, don't-care values and the cluster size extension", () => {
    const svd = `<device><name>D-1</name><peripherals><peripheral><name>P</name><baseAddress>0</baseAddress><registers>
      <register><dim>2</dim><dimIncrement>4</dimIncrement><dimIndex>A,B</dimIndex><name>R%s</name><addressOffset>0</addressOffset>
        <fields><field><name>F</name><bitOffset>0</bitOffset><bitWidth>4</bitWidth>
          <enumeratedValues><enumeratedValue><name>V</name><value>#1x0x</value></enumeratedValue></enumeratedValues></field></fields></register>
      </registers></peripheral></peripherals></device>`;
    const device = importSvd(svd, 'd.svd').value!;
    const text = exportSvd(device).value!;
    expect(text).toContain('<dimIndex>A,B</dimIndex>');
    expect(text).toContain('<name>R%s</name>');
    expect(text).toContain('<value>#1x0x</value>');
    expect(text).toContain('<name>D_1</name>');
    expect(importSvd(text, 'x.svd').value!.name).toBe('D-1');
  });
});
