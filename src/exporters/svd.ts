import type { Diagnostic, StageResult } from '../diagnostics/types.ts';
import { hex } from '../ir/bits.ts';
import type { Cluster, Device, Dim, EnumSet, Field, OnRead, OnWrite, Peripheral, Register, RegisterNode, SwAccess, WriteConstraint } from '../ir/types.ts';
import { writeCpu } from './svd-cpu.ts';
import { defaultHwAccess } from '../ir/access.ts';
import { ONREAD_TO_SVD, ONWRITE_TO_SVD, SW_TO_SVD } from '../importers/xml/access-vocabulary.ts';
import { SPECDRIVE_SVD_NAMESPACE } from '../importers/svd/to-ir.ts';
import { htmlText } from '../formats/escape/index.ts';

/**
 * CMSIS-SVD 1.3 export, in the element order of the CMSIS-SVD schema so the output validates.
 * Everything the IR holds that SVD can say is written out explicitly (sizes, resets, access on every
 * field), so re-importing gives the same IR. What SVD cannot say is reported as `export/svd-lossy`
 * info. The exceptions (a cluster's byte size, a device name that is not an identifier, a missing
 * device description) are kept in the device's `<vendorExtensions>` (the schema allows any content
 * there) and read back on import.
 */

/**
 * A tiny indenting writer: one element per line, text content escaped. Lines are joined into one
 * flat chunk every CHUNK_LINES lines: each line is a rope of the pieces it was built from, and
 * holding a whole device's lines that way (N657: 1.5 million) cost ten times the text. A chunk stays
 * under V8's large-object size (≈128 KB), so one handed on and dropped dies young (docs/performance.md).
 */
const CHUNK_LINES = 1024;

export class XmlWriter {
  private lines: string[] = [];
  private chunks: string[] = [];
  private taken = 0;
  private depth = 0;

  private line(text: string): void {
    this.lines.push(text);
    if (this.lines.length === CHUNK_LINES) {
      // Joined with a last empty line, so the chunk ends in a newline and is one flat string (no rope to flatten later).
      this.lines.push('');
      this.chunks.push(this.lines.join('\n'));
      this.lines = [];
    }
  }

  open(name: string, attributes = ''): void {
    this.line(`${'  '.repeat(this.depth)}<${name}${attributes}>`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.line(`${'  '.repeat(this.depth)}</${name}>`);
  }

  leaf(name: string, value: string | number | undefined): void {
    if (value === undefined) return;
    this.line(`${'  '.repeat(this.depth)}<${name}>${htmlText(String(value))}</${name}>`);
  }

  raw(line: string): void {
    this.line(`${'  '.repeat(this.depth)}${line}`);
  }

  /** Every line, each ended by a newline (a lone newline when there are none). */
  toString(): string {
    return [...this.take(), ...this.end()].join('');
  }

  /** The chunks of whole lines completed since the last call, handed over and forgotten. */
  take(): string[] {
    const done = this.chunks;
    this.chunks = [];
    this.taken += done.length;
    return done;
  }

  /** After the last `take`: the lines left (a lone newline when there were none at all). */
  end(): string[] {
    if (this.lines.length === 0 && this.taken + this.chunks.length > 0) return [];
    this.lines.push('');
    const rest = this.lines.join('\n');
    this.lines = [];
    return [rest.length > 0 ? rest : '\n'];
  }
}

const hex8 = (n: number | bigint): string => hex(n, 8);

/** `#1xx0`: SVD's binary form, x for bits that match any value. */
function binaryWithDontCare(value: number, dontCare: number, width: number): string {
  let out = '#';
  for (let bit = width - 1; bit >= 0; bit--) {
    const weight = 2 ** bit;
    out += Math.floor(dontCare / weight) % 2 ? 'x' : Math.floor(value / weight) % 2 ? '1' : '0';
  }
  return out;
}

class SvdExporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly w = new XmlWriter();
  private readonly clusterSizes: [string, number][] = [];

  private lossy(what: string, node: { span?: Diagnostic['span']; path?: string }): void {
    this.diagnostics.push({
      code: 'export/svd-lossy',
      severity: 'info',
      message: `CMSIS-SVD cannot say ${what}; it is left out`,
      ...(node.span ? { span: node.span } : {}),
      ...(node.path ? { path: node.path } : {}),
    });
  }

  /** The dim group and the name with its placeholder. */
  private dim(name: string, dim: Dim | undefined, node: { span: Diagnostic['span']; path?: string }): void {
    if (!dim) {
      this.w.leaf('name', name);
      return;
    }
    let stride = dim.stride;
    if (dim.offsets) {
      this.lossy('an array with irregular element offsets (the first stride is used)', node);
      stride = (dim.offsets[1] ?? 0) - (dim.offsets[0] ?? 0);
    }
    this.w.leaf('dim', dim.count);
    this.w.leaf('dimIncrement', hex(stride));
    const pattern = dim.namePattern ?? (dim.indices ? `${name}%s` : `${name}[%s]`);
    if (!pattern.includes('[%s]')) this.w.leaf('dimIndex', dim.indices ? dim.indices.join(',') : `0-${dim.count - 1}`);
    this.w.leaf('dimName', dim.dimName);
    if (dim.dimArrayIndex) {
      this.w.open('dimArrayIndex');
      this.w.leaf('headerEnumName', dim.dimArrayIndex.headerEnumName);
      for (const v of dim.dimArrayIndex.values) {
        this.w.open('enumeratedValue');
        this.w.leaf('name', v.name);
        this.w.leaf('description', v.description);
        this.w.leaf('value', v.value);
        this.w.close('enumeratedValue');
      }
      this.w.close('dimArrayIndex');
    }
    this.w.leaf('name', pattern);
  }

  /** The document, a peripheral's chunks at a time: what is done is handed over before the next peripheral is written. */
  *run(device: Device): Generator<string> {
    const w = this.w;
    // The schema wants an identifier for the device name and a non-empty description; what had to be
    // changed to satisfy it is recorded in <vendorExtensions> so the import restores the original.
    const svdName = device.name.replace(/[^_A-Za-z0-9]/g, '_');
    const deviceExtras: string[] = [];
    if (svdName !== device.name) deviceExtras.push(` name="${htmlText(device.name)}"`);
    if (device.description === undefined) deviceExtras.push(' noDescription="true"');
    // version is required by the schema and may not be empty: a placeholder, marked so the import drops it.
    if (device.version === undefined) deviceExtras.push(' noVersion="true"');
    w.raw('<?xml version="1.0" encoding="utf-8"?>');
    w.open('device', ' schemaVersion="1.3" xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="CMSIS-SVD.xsd"');
    w.leaf('vendor', device.vendor);
    w.leaf('vendorID', device.vendorID);
    w.leaf('name', svdName);
    w.leaf('series', device.series);
    w.leaf('version', device.version ?? '0');
    w.leaf('description', device.description ?? (device.name || 'device'));
    w.leaf('licenseText', device.licenseText);
    const cpuExtras = device.cpu ? writeCpu(w, device.cpu) : '';
    w.leaf('headerSystemFilename', device.headerSystemFilename);
    w.leaf('headerDefinitionsPrefix', device.headerDefinitionsPrefix);
    w.leaf('addressUnitBits', device.addressUnitBits);
    w.leaf('width', device.width);
    if (device.clocks.length > 0) this.lossy('clocks', { span: device.span });
    w.open('peripherals');
    for (const p of device.peripherals) {
      this.peripheral(p);
      yield* w.take();
    }
    w.close('peripherals');
    if (this.clusterSizes.length > 0 || deviceExtras.length > 0 || cpuExtras !== '') {
      w.open('vendorExtensions');
      w.open('specdrive:ir', ` xmlns:specdrive="${SPECDRIVE_SVD_NAMESPACE}"`);
      if (deviceExtras.length > 0) w.raw(`<specdrive:device${deviceExtras.join('')}/>`);
      if (cpuExtras !== '') w.raw(`<specdrive:cpu${cpuExtras}/>`);
      for (const [path, size] of this.clusterSizes) w.raw(`<specdrive:cluster path="${htmlText(path)}" size="${size}"/>`);
      w.close('specdrive:ir');
      w.close('vendorExtensions');
    }
    w.close('device');
    yield* w.take();
    yield* w.end();
  }

  private peripheral(p: Peripheral): void {
    const w = this.w;
    w.open('peripheral');
    this.dim(p.name, p.dim, p);
    w.leaf('version', p.version);
    w.leaf('description', p.description);
    w.leaf('alternatePeripheral', p.alternateOf);
    w.leaf('groupName', p.groupName);
    w.leaf('prependToName', p.prependToName);
    w.leaf('appendToName', p.appendToName);
    w.leaf('headerStructName', p.headerStructName);
    w.leaf('disableCondition', p.disableCondition);
    w.leaf('baseAddress', hex8(p.baseAddress));
    for (const b of p.addressBlocks) {
      w.open('addressBlock');
      w.leaf('offset', hex(b.offset));
      w.leaf('size', hex(b.size));
      w.leaf('usage', b.usage);
      w.leaf('protection', b.protection);
      w.close('addressBlock');
    }
    for (const i of p.interrupts) {
      w.open('interrupt');
      w.leaf('name', i.name);
      w.leaf('description', i.description);
      w.leaf('value', i.value);
      w.close('interrupt');
    }
    if (p.quantities.length > 0 || p.behaviours.length > 0) this.lossy('derived quantities or simulator behaviours', p);
    if (p.driverKind !== undefined) this.lossy('the driver kind', p);
    if (p.registers.length > 0) {
      w.open('registers');
      for (const n of p.registers) this.node(n);
      w.close('registers');
    }
    w.close('peripheral');
  }

  private node(n: RegisterNode): void {
    if (n.kind === 'cluster') this.cluster(n);
    else this.register(n);
  }

  private cluster(c: Cluster): void {
    if (c.children.length === 0) {
      this.lossy('an empty cluster (the schema needs at least one register)', c);
      return;
    }
    const w = this.w;
    w.open('cluster');
    this.dim(c.name, c.dim, c);
    w.leaf('description', c.description ?? '');
    w.leaf('alternateCluster', c.alternateOf);
    w.leaf('headerStructName', c.headerStructName);
    w.leaf('addressOffset', hex(c.offset));
    for (const n of c.children) this.node(n);
    w.close('cluster');
    if (c.byteSize !== undefined) this.clusterSizes.push([c.path, c.byteSize]);
  }

  private register(r: Register): void {
    const w = this.w;
    w.open('register');
    this.dim(r.name, r.dim, r);
    w.leaf('displayName', r.displayName);
    w.leaf('description', r.description);
    if (r.alternateGroup !== undefined) {
      w.leaf('alternateGroup', r.alternateGroup);
      if (r.alternateOf !== undefined) this.lossy('alternateRegister next to alternateGroup (the schema allows one)', r);
    } else w.leaf('alternateRegister', r.alternateOf);
    w.leaf('addressOffset', hex(r.offset));
    w.leaf('size', r.size);
    if (r.access !== undefined) this.access(r.access, r);
    w.leaf('protection', r.protection);
    w.leaf('resetValue', hex8(r.resetValue));
    w.leaf('resetMask', hex8(r.resetMask));
    w.leaf('dataType', r.dataType);
    this.semantics(r.onWrite, r.writeConstraint, r.onRead, r);
    if (r.fields.length > 0) {
      w.open('fields');
      for (const f of r.fields) this.field(f, r);
      w.close('fields');
    }
    w.close('register');
  }

  private field(f: Field, r: Register): void {
    const w = this.w;
    const a = f.access;
    // Fields inherit the register's side effects in SVD: a field without one must say so, or cannot.
    if ((a.onRead === undefined && r.onRead !== undefined) || (a.writeConstraint === undefined && r.writeConstraint !== undefined)) {
      this.lossy('a field without the read action or write constraint its register gives all fields', f);
    }
    w.open('field');
    this.dim(f.name, f.dim, f);
    w.leaf('description', f.description);
    if (f.segments && f.segments.length > 1) this.lossy('a field split over several bit ranges (written as its whole span)', f);
    w.leaf('bitOffset', f.lsb);
    w.leaf('bitWidth', f.width);
    this.access(a.sw, f);
    if (a.onWrite === undefined && r.onWrite !== undefined) w.leaf('modifiedWriteValues', 'modify');
    this.semantics(a.onWrite, a.writeConstraint, a.onRead, f);
    if (a.hw !== defaultHwAccess(a.sw) || a.singlePulse || a.hwSet || a.hwClr || a.counter || a.interrupt || a.precedence || a.swMod || a.swAcc) {
      this.lossy('hardware access, counters, interrupts or strobes', f);
    }
    const enums = f.enums ?? [];
    if (enums.length > 2) this.lossy('more than two enumerated value sets', f);
    for (const e of enums.slice(0, 2)) this.enumSet(e, f.width);
    w.close('field');
  }

  private access(sw: SwAccess, node: { span: Diagnostic['span']; path?: string }): void {
    const access = SW_TO_SVD[sw];
    if (access === undefined) this.lossy(`software access ${sw}`, node);
    this.w.leaf('access', access);
  }

  /** modifiedWriteValues, writeConstraint, readAction: the same elements, in this order, on registers and fields. */
  private semantics(
    onWrite: OnWrite | undefined,
    writeConstraint: WriteConstraint | undefined,
    onRead: OnRead | undefined,
    node: { span: Diagnostic['span']; path?: string },
  ): void {
    const w = this.w;
    if (onWrite !== undefined) {
      const mwv = ONWRITE_TO_SVD[onWrite];
      if (mwv === undefined) this.lossy(`write side effect ${onWrite}`, node);
      w.leaf('modifiedWriteValues', mwv);
    }
    if (writeConstraint) {
      w.open('writeConstraint');
      if (writeConstraint.kind === 'range') {
        w.open('range');
        w.leaf('minimum', writeConstraint.min);
        w.leaf('maximum', writeConstraint.max);
        w.close('range');
      } else {
        w.leaf(writeConstraint.kind, 'true');
      }
      w.close('writeConstraint');
    }
    if (onRead !== undefined) w.leaf('readAction', ONREAD_TO_SVD[onRead]);
  }

  private enumSet(e: EnumSet, width: number): void {
    const w = this.w;
    if (e.values.length === 0) {
      this.lossy('an empty enumerated value set', e);
      return;
    }
    w.open('enumeratedValues');
    w.leaf('name', e.name);
    w.leaf('headerEnumName', e.headerEnumName);
    w.leaf('usage', e.usage);
    for (const v of e.values) {
      w.open('enumeratedValue');
      w.leaf('name', v.name);
      w.leaf('description', v.description);
      if (v.isDefault) w.leaf('isDefault', 'true');
      else if (v.dontCareMask) w.leaf('value', binaryWithDontCare(v.value, v.dontCareMask, width));
      else w.leaf('value', hex(v.value));
      w.close('enumeratedValue');
    }
    w.close('enumeratedValues');
  }
}

/** Writes a device as CMSIS-SVD 1.3. Diagnostics (info) list what SVD cannot hold. */
export function exportSvd(device: Device): StageResult<string> {
  const result = exportSvdPieces(device);
  const text = [...result.pieces].join('');
  return { value: text, diagnostics: result.diagnostics };
}

/**
 * exportSvd's text as pieces of whole lines, made a peripheral at a time as they are iterated (once),
 * for a writer that need not hold them (the svd target: N657's export is 52 MB). `diagnostics` is
 * complete once `pieces` has been iterated to its end.
 */
export function exportSvdPieces(device: Device): { readonly pieces: Iterable<string>; readonly diagnostics: readonly Diagnostic[] } {
  const exporter = new SvdExporter();
  return { pieces: exporter.run(device), diagnostics: exporter.diagnostics };
}
