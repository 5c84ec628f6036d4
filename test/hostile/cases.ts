/**
 * Hostile inputs, one builder per class. A builder makes the input (in the child process, see
 * isolate.ts) and returns the stage to run on it; tests in this folder assert the codes, time,
 * memory and that nothing was written.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { StageResult } from '../../src/diagnostics/types.ts';
import { importFile, importText } from '../../src/importers/index.ts';
import type { ImportLimits } from '../../src/importers/types.ts';
import { importSystemRdl } from '../../src/importers/systemrdl/index.ts';
import { readData, readProjectFile, svdSlice } from '../fuzz/seeds.ts';

type Stage = () => StageResult<unknown> | Promise<StageResult<unknown>>;
type Builder = (args: Record<string, unknown>) => Stage | Promise<Stage>;

export type Format = 'svd' | 'ipxact' | 'yaml' | 'chiptool' | 'hjson' | 'systemrdl';
export const FORMATS: readonly Format[] = ['svd', 'ipxact', 'yaml', 'chiptool', 'hjson', 'systemrdl'];

/** File name per format: the importer is chosen by extension (or sniffing for .yaml). */
const FILE: Record<Format, string> = {
  svd: 'hostile.svd',
  ipxact: 'hostile.xml',
  yaml: 'hostile.yaml',
  chiptool: 'hostile.yaml',
  hjson: 'hostile.hjson',
  systemrdl: 'hostile.rdl',
};

function importAs(format: Format, text: string, limits?: Partial<ImportLimits>, file = FILE[format]): StageResult<unknown> {
  const options = limits ? { limits } : {};
  // SystemRDL is called directly until it is registered (importText would not pick it by extension).
  return format === 'systemrdl' ? importSystemRdl(text, file, options) : importText(text, file, options);
}

const NATIVE_HEAD = 'spec: specdrive/hardware@1\nboard: hostile\nrevision: r1\n';
const SVD_HEAD =
  '<?xml version="1.0" encoding="utf-8"?>\n<device schemaVersion="1.3">\n<name>HOSTILE</name>\n<addressUnitBits>8</addressUnitBits>\n<width>32</width>\n';
const IPXACT_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ipxact:component xmlns:ipxact="http://www.accellera.org/XMLSchema/IPXACT/1685-2022">\n<ipxact:vendor>v</ipxact:vendor><ipxact:library>l</ipxact:library><ipxact:name>n</ipxact:name><ipxact:version>1</ipxact:version>\n';

/** A small valid document per format, for the size-limit class. */
export function validSeed(format: Format): string {
  switch (format) {
    case 'svd':
      return svdSlice('svd/ATSAMD21G18A.svd.gz', 1);
    case 'ipxact':
      return readData('ipxact/peakrdl-ipxact-examples/my_subblock.xml');
    case 'yaml':
      return readProjectFile('hardware-specs/demo-board/rev-a.yaml');
    case 'chiptool':
      return readData('ip-revisions/stm32-data/crc_v1.yaml');
    case 'hjson':
      return readData('hjson/opentitan/rv_timer.hjson');
    case 'systemrdl':
      return readData('systemrdl/examples/atxmega_spi.rdl');
  }
}

/** `levels` of nesting in each format's own syntax. */
function deepDocument(format: Format, levels: number): string {
  switch (format) {
    case 'svd':
      return `${SVD_HEAD}<peripherals>${'<cluster>'.repeat(levels)}${'</cluster>'.repeat(levels)}</peripherals></device>`;
    case 'ipxact':
      return `${IPXACT_HEAD}${'<ipxact:registerFile>'.repeat(levels)}${'</ipxact:registerFile>'.repeat(levels)}</ipxact:component>`;
    case 'yaml':
      return `${NATIVE_HEAD}description: ${'['.repeat(levels)}${']'.repeat(levels)}\nperipherals: {}\n`;
    case 'chiptool':
      return `block/A:\n  items: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
    case 'hjson':
      return `{ name: "deep", registers: ${'['.repeat(levels)}${']'.repeat(levels)} }`;
    case 'systemrdl':
      return `addrmap top {${'regfile {'.repeat(levels)}${'} rf;'.repeat(levels)} };`;
  }
}

/** One array of `dim` registers in each format. */
function hugeDimDocument(format: Format, dim: number): string {
  switch (format) {
    case 'svd':
      return `${SVD_HEAD}<peripherals><peripheral><name>P</name><baseAddress>0x40000000</baseAddress><registers><register><dim>${dim}</dim><dimIncrement>4</dimIncrement><name>R[%s]</name><addressOffset>0</addressOffset><size>32</size></register></registers></peripheral></peripherals></device>`;
    case 'ipxact':
      return `${IPXACT_HEAD}<ipxact:memoryMaps><ipxact:memoryMap><ipxact:name>m</ipxact:name><ipxact:addressBlock><ipxact:name>b</ipxact:name><ipxact:baseAddress>0</ipxact:baseAddress><ipxact:range>4096</ipxact:range><ipxact:width>32</ipxact:width><ipxact:register><ipxact:name>R</ipxact:name><ipxact:array><ipxact:dim>${dim}</ipxact:dim><ipxact:stride>4</ipxact:stride></ipxact:array><ipxact:addressOffset>0</ipxact:addressOffset><ipxact:size>32</ipxact:size><ipxact:field><ipxact:name>F</ipxact:name><ipxact:bitOffset>0</ipxact:bitOffset><ipxact:bitWidth>1</ipxact:bitWidth></ipxact:field></ipxact:register></ipxact:addressBlock></ipxact:memoryMap></ipxact:memoryMaps></ipxact:component>`;
    case 'yaml':
      return `${NATIVE_HEAD}peripherals:\n  P:\n    base: 0x4000_0000\n    registers:\n      R:\n        offset: 0\n        dim: { count: ${dim}, stride: 4 }\n        fields:\n          F: { bits: 0 }\n`;
    case 'chiptool':
      return `block/A:\n  items:\n  - name: R\n    byte_offset: 0\n    array: { len: ${dim}, stride: 4 }\n    fieldset: R\nfieldset/R:\n  fields:\n  - name: F\n    bit_offset: 0\n    bit_size: 1\n`;
    case 'hjson':
      return `{ name: "dims", regwidth: "32", registers: [ { multireg: { name: "R", desc: "r", count: "${dim}", cname: "R", swaccess: "rw", hwaccess: "hro", fields: [ { bits: "0", name: "F", desc: "f" } ] } } ] }`;
    case 'systemrdl':
      return `addrmap top { reg { field { sw = rw; } f[1]; } regs[${dim}]; };`;
  }
}

/** `count` distinct registers written out one by one (no arrays). */
function manyRegistersDocument(format: 'svd' | 'yaml', count: number): string {
  if (format === 'svd') {
    const regs: string[] = [];
    for (let i = 0; i < count; i++) regs.push(`<register><name>R${i}</name><addressOffset>${i * 4}</addressOffset></register>`);
    return `${SVD_HEAD}<size>32</size><peripherals><peripheral><name>P</name><baseAddress>0x40000000</baseAddress><registers>${regs.join('')}</registers></peripheral></peripherals></device>`;
  }
  const regs: string[] = [];
  for (let i = 0; i < count; i++) regs.push(`      R${i}: { offset: ${i * 4}, fields: { F: { bits: 0 } } }`);
  return `${NATIVE_HEAD}peripherals:\n  P:\n    base: 0x4000_0000\n    registers:\n${regs.join('\n')}\n`;
}

export const LAUGHS =
  '<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n') +
  '\n]>\n';

export const hostileCases: Record<string, Builder> = {
  'xml-billion-laughs': ({ format }) => {
    const head = format === 'svd' ? SVD_HEAD : IPXACT_HEAD;
    const text = head.replace('\n<', `\n${LAUGHS}<`).replace('</name>', '&lol9;</name>') + (format === 'svd' ? '</device>' : '</ipxact:component>');
    return () => importAs(format as Format, text);
  },
  'xml-external-entity': ({ format, variant }) => {
    const doctype = variant === 'dtd' ? '<!DOCTYPE device SYSTEM "file:///etc/passwd">\n' : '<!DOCTYPE device [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n';
    const head = format === 'svd' ? SVD_HEAD : IPXACT_HEAD;
    const text = head.replace('\n<', `\n${doctype}<`).replace('</name>', '&xxe;</name>') + (format === 'svd' ? '</device>' : '</ipxact:component>');
    return () => importAs(format as Format, text);
  },
  deep: ({ format, levels }) => {
    const text = deepDocument(format as Format, levels as number);
    return () => importAs(format as Format, text);
  },
  'too-large': ({ format, maxBytes }) => {
    const text = validSeed(format as Format);
    if (text.length <= (maxBytes as number)) throw new Error(`seed for ${String(format)} is only ${text.length} bytes`);
    return () => importAs(format as Format, text, { maxBytes: maxBytes as number });
  },
  'too-large-file': ({ format, maxBytes }) => {
    const dir = mkdtempSync(join(tmpdir(), 'specdrive-hostile-input-'));
    const file = join(dir, FILE[format as Format]);
    writeFileSync(file, validSeed(format as Format));
    return () => importFile(file, { limits: { maxBytes: maxBytes as number } });
  },
  'gzip-bomb': ({ megabytes, maxBytes }) => {
    // A valid SVD start followed by megabytes of spaces: gzip shrinks it ~1000:1.
    const dir = mkdtempSync(join(tmpdir(), 'specdrive-hostile-input-'));
    const file = join(dir, 'bomb.svd.gz');
    const body = Buffer.alloc((megabytes as number) * 1024 * 1024, 0x20);
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from(SVD_HEAD), body, Buffer.from('</device>')]), { level: 9 }));
    return () => importFile(file, { limits: { maxBytes: maxBytes as number } });
  },
  'huge-dim': ({ format, dim }) => {
    const text = hugeDimDocument(format as Format, dim as number);
    return () => importAs(format as Format, text);
  },
  'many-registers': ({ format, count, maxNodes }) => {
    const text = manyRegistersDocument(format as 'svd' | 'yaml', count as number);
    return () => importAs(format as Format, text, maxNodes === undefined ? undefined : { maxNodes: maxNodes as number });
  },
  'yaml-alias-bomb': ({ format }) => {
    const levels = Array.from({ length: 9 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`).join('\n');
    const bomb = `x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${levels}\n`;
    const text = format === 'chiptool' ? `${bomb}block/A:\n  items: *a9\n` : `${NATIVE_HEAD}${bomb}peripherals: {}\n`;
    return () => importAs(format as Format, text);
  },
  'rdl-macro-bomb': () => {
    // Issue 18 §5: 87 bytes that double at every one of the 64 allowed levels of expansion.
    const text = '`define X `X `X\n`define Y `X\naddrmap top { reg { field { sw = rw; } f[1]; } r; };\n`Y\n';
    return () => importSystemRdl(text, 'bomb.rdl');
  },
  'yaml-deep-block': ({ format, levels }) => {
    // Block mappings (not flow): the yaml parser recurses per level and overflowed at ~3 000.
    const nested = Array.from({ length: levels as number }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    const text =
      format === 'chiptool'
        ? `block/A:\n  items:\n${nested.replace(/^/gm, '    ')}`
        : `${NATIVE_HEAD}description:\n${nested.replace(/^/gm, '  ')}peripherals: {}\n`;
    return () => importAs(format as Format, text);
  },
  'rdl-include': ({ name, withIncludePath }) => {
    // The including file sits two levels below /, so "../../etc/passwd" resolves to /etc/passwd.
    const dir = mkdtempSync(join(tmpdir(), 'specdrive-hostile-input-'));
    const includePaths: string[] = [];
    if (withIncludePath) {
      mkdirSync(join(dir, 'inc'));
      writeFileSync(join(dir, 'inc', 'sub.rdl'), 'reg sub_reg { field { sw = rw; } f[1]; };\n');
      includePaths.push(join(dir, 'inc'));
    }
    const text = `\`include "${String(name)}"\naddrmap top { reg { field { sw = rw; } f[1]; } regs; };\n`;
    return () => importSystemRdl(text, join(dir, 'top.rdl'), { includePaths });
  },
};
