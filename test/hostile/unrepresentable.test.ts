/**
 * Registers and fields no stage can represent (issue 18 §2–4, §17): wider than 64 bits, or with bit
 * positions past bit 63, in SVD, IP-XACT (with and without `<resets>`) and native YAML. Every command
 * refuses them before any stage runs, with `validate/too-wide` at the spec location, exit 2 and
 * nothing written: no `0xINFINITYull`, no generator crash, no RangeError, no gigabyte diff report.
 * `import` writes nothing for a spec `validate` refuses unless `--force` is given; `-o` creates the
 * folders it names.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root.ts';
import { runCliIn, type CliRun } from '../helpers/run-cli.ts';

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cli = (args: string[], cwd: string): Promise<CliRun> => runCliIn(cwd, args);

const SVD = (register: string): string => `<?xml version="1.0" encoding="utf-8"?>
<device schemaVersion="1.3">
  <name>WIDE</name>
  <addressUnitBits>8</addressUnitBits>
  <width>32</width>
  <peripherals>
    <peripheral>
      <name>P0</name>
      <baseAddress>0x40000000</baseAddress>
      <registers>
${register}
      </registers>
    </peripheral>
  </peripherals>
</device>
`;
const svdRegister = (size: string, offset: string, width: string): string =>
  `        <register><name>R0</name><addressOffset>0</addressOffset><size>${size}</size>\n          <fields><field><name>F</name><bitOffset>${offset}</bitOffset><bitWidth>${width}</bitWidth></field></fields>\n        </register>`;

const IPXACT = (offset: string, width: string, resets: boolean): string => `<?xml version="1.0" encoding="UTF-8"?>
<ipxact:component xmlns:ipxact="http://www.accellera.org/XMLSchema/IPXACT/1685-2022">
<ipxact:vendor>v</ipxact:vendor><ipxact:library>l</ipxact:library><ipxact:name>n</ipxact:name><ipxact:version>1</ipxact:version>
<ipxact:memoryMaps><ipxact:memoryMap><ipxact:name>m</ipxact:name>
<ipxact:addressBlock><ipxact:name>b</ipxact:name><ipxact:baseAddress>0</ipxact:baseAddress><ipxact:range>4096</ipxact:range><ipxact:width>32</ipxact:width>
<ipxact:register><ipxact:name>R</ipxact:name><ipxact:addressOffset>0</ipxact:addressOffset><ipxact:size>32</ipxact:size>
<ipxact:field><ipxact:name>F</ipxact:name><ipxact:bitOffset>${offset}</ipxact:bitOffset>${resets ? '<ipxact:resets><ipxact:reset><ipxact:value>0</ipxact:value></ipxact:reset></ipxact:resets>' : ''}<ipxact:bitWidth>${width}</ipxact:bitWidth></ipxact:field>
</ipxact:register></ipxact:addressBlock></ipxact:memoryMap></ipxact:memoryMaps></ipxact:component>
`;

const YAML = (bits: string): string => `spec: specdrive/hardware@1
board: wide
revision: r1
peripherals:
  P0:
    base: 0x4000_0000
    registers:
      R0:
        offset: 0x0
        size: 64
        fields:
          F: { bits: ${bits}, access: rw }
`;

/** Each case: file name, text, and the line the refusal must point at. */
const CASES: readonly { name: string; file: string; text: string; line: number }[] = [
  { name: 'SVD register <size>4294967296</size>', file: 'wide.svd', text: SVD(svdRegister('4294967296', '0', '8')), line: 11 },
  { name: 'SVD register <size>128</size>', file: 'wide.svd', text: SVD(svdRegister('128', '0', '8')), line: 11 },
  { name: 'SVD 1000-bit field', file: 'wide.svd', text: SVD(svdRegister('32', '0', '1000')), line: 12 },
  { name: 'SVD field at <bitOffset>4294967296</bitOffset>', file: 'wide.svd', text: SVD(svdRegister('32', '4294967296', '1')), line: 12 },
  { name: 'IP-XACT field at <bitOffset>4294967296</bitOffset> with <resets>', file: 'wide.xml', text: IPXACT('4294967296', '1', true), line: 7 },
  { name: 'IP-XACT <bitWidth>2000</bitWidth> with <resets>', file: 'wide.xml', text: IPXACT('0', '2000', true), line: 7 },
  { name: 'IP-XACT <bitWidth>2000</bitWidth> without <resets>', file: 'wide.xml', text: IPXACT('0', '2000', false), line: 7 },
  { name: 'native YAML field bits 999..0', file: 'wide.yaml', text: YAML('999..0'), line: 12 },
];

/** Every command that reads a hardware spec; paths absolute (not every command resolves against its context's cwd yet). */
const commandsFor = (spec: string, out: string): string[][] => [
  ['validate', spec],
  ['generate', spec, '--target', 'all', '-o', out],
  ['import', spec, '-o', join(out, 'x.yaml')],
  ['import', spec, '--force', '-o', join(out, 'x.svd')],
  ['diff', spec, spec, '--format', 'html', '-o', join(out, 'd.html')],
];

describe('hostile: registers and fields wider than 64 bits', () => {
  for (const c of CASES) {
    it(`${c.name}: every command refuses it, located, before any stage; nothing is written`, async () => {
      const work = mkdtempSync(join(tmpdir(), 'specdrive-wide-'));
      temps.push(work);
      writeFileSync(join(work, c.file), c.text);
      for (const args of commandsFor(join(work, c.file), join(work, 'out'))) {
        const r = await cli(args, work);
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`${c.file.replace('.', '\\.')}:${c.line}:\\d+: error\\[validate/too-wide\\]`));
        expect(r.stderr).not.toMatch(/internal\/|RangeError|INFINITY/);
        expect(readdirSync(work)).toEqual([c.file]);
      }
    });
  }
});

describe('import writes only what validates (issue 18 §4) and creates the folders of -o (§17)', () => {
  const overlapping = readFileSync(join(projectRoot, 'test/errors/cases/field-overlap.yaml'), 'utf8');

  it('a spec validate refuses: import exits 1 and writes nothing, and says why', async () => {
    const work = mkdtempSync(join(tmpdir(), 'specdrive-import-'));
    temps.push(work);
    writeFileSync(join(work, 'bad.yaml'), overlapping);
    expect((await cli(['validate', join(work, 'bad.yaml')], work)).code).toBe(1);
    const r = await cli(['import', join(work, 'bad.yaml'), '-o', 'out.svd'], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[validate\/field-overlap\]/);
    expect(r.stderr).toMatch(/nothing written.*--force/);
    expect(existsSync(join(work, 'out.svd'))).toBe(false);
  });

  it('--force writes it anyway and says so', async () => {
    const work = mkdtempSync(join(tmpdir(), 'specdrive-import-'));
    temps.push(work);
    writeFileSync(join(work, 'bad.yaml'), overlapping);
    const r = await cli(['import', join(work, 'bad.yaml'), '--force', '-o', 'out.svd'], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/despite validation errors \(--force\)/);
    expect(readFileSync(join(work, 'out.svd'), 'utf8')).toContain('<device');
  });

  it('-o into folders that do not exist yet creates them, for import and diff', async () => {
    const work = mkdtempSync(join(tmpdir(), 'specdrive-import-'));
    temps.push(work);
    const demo = join(projectRoot, 'hardware-specs/demo-board');
    const imported = await cli(['import', join(demo, 'rev-a.yaml'), '-o', 'a/b/c/rev-a.svd'], work);
    expect(imported.code, imported.stderr).toBe(0);
    expect(readFileSync(join(work, 'a/b/c/rev-a.svd'), 'utf8')).toContain('<device');
    const diffed = await cli(['diff', join(demo, 'rev-a.yaml'), join(demo, 'rev-b.yaml'), '--format', 'json', '-o', 'x/y/diff.json'], work);
    expect([0, 1]).toContain(diffed.code);
    expect(JSON.parse(readFileSync(join(work, 'x/y/diff.json'), 'utf8'))).toBeTypeOf('object');
  });
});
