import { hex } from '../../src/ir/bits.ts';
import type { DeviceAnalysis, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { htmlText, mdText } from '../framework/escape.ts';
import type { GeneratorModel } from '../framework/types.ts';

/**
 * View-model of the register reference: Markdown cells (escaped for Markdown) and HTML pieces
 * (escaped for HTML), and the geometry of each register's bit-layout drawing.
 */

const BIT_W = 22;
const ROW_H = 44;

export interface BitBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly label: string;
  readonly title: string;
  readonly cls: string;
  readonly tx: number;
  readonly ty: number;
}

export interface DocRegister {
  readonly anchor: string;
  readonly name: string;
  readonly md: {
    readonly name: string;
    readonly description: string;
    readonly fields: readonly { readonly bits: string; readonly name: string; readonly access: string; readonly reset: string; readonly description: string }[];
  };
  readonly html: {
    readonly name: string;
    readonly description: string;
    readonly search: string;
    readonly fields: readonly { readonly bits: string; readonly name: string; readonly access: string; readonly reset: string; readonly description: string }[];
  };
  readonly offset: string;
  readonly size: number;
  readonly reset: string;
  readonly array: string;
  readonly svgWidth: number;
  readonly svgHeight: number;
  readonly boxes: readonly BitBox[];
  readonly bitNumbers: readonly { readonly x: number; readonly y: number; readonly n: number }[];
}

export interface DocPeripheral {
  readonly anchor: string;
  readonly mdName: string;
  readonly htmlName: string;
  readonly mdDescription: string;
  readonly htmlDescription: string;
  readonly instances: readonly { readonly md: string; readonly html: string; readonly base: string }[];
  readonly registers: readonly DocRegister[];
}

/** The page around the peripherals: each peripheral's section is its own view (docPeripherals). */
export interface DocsView {
  readonly mdTitle: string;
  readonly htmlTitle: string;
  readonly mdDescription: string;
  readonly htmlDescription: string;
  readonly specHash: string;
}

const anchorOf = (path: string): string => path.replace(/[^A-Za-z0-9_]/g, '-');

function bitsLabel(lsb: number, width: number): string {
  return width === 1 ? String(lsb) : `${lsb + width - 1}:${lsb}`;
}

/** Boxes for each field and each run of unused bits, msb on the left, 32 bits per row. */
function layout(reg: RegisterView): Pick<DocRegister, 'svgWidth' | 'svgHeight' | 'boxes' | 'bitNumbers'> {
  const bits = reg.byteSize * 8;
  const perRow = Math.min(32, bits);
  const rows = Math.ceil(bits / perRow);
  const owner: (number | undefined)[] = Array.from({ length: bits }, () => undefined);
  reg.fields.forEach((f, i) => {
    for (const s of f.segments) for (let b = s.lsb; b < s.lsb + s.width && b < bits; b++) owner[b] ??= i;
  });
  const boxes: BitBox[] = [];
  for (let row = 0; row < rows; row++) {
    const top = bits - 1 - row * perRow;
    const y = row * ROW_H + 14;
    let b = top;
    while (b > top - perRow && b >= 0) {
      const who = owner[b];
      let end = b;
      while (end - 1 > top - perRow && end - 1 >= 0 && owner[end - 1] === who) end--;
      const x = (top - b) * BIT_W;
      const w = (b - end + 1) * BIT_W;
      const field = who === undefined ? undefined : reg.fields[who];
      const label = field ? (field.name.length * 7 > w ? field.name.slice(0, Math.max(1, Math.floor(w / 7) - 1)) + '…' : field.name) : '';
      boxes.push({
        x,
        y,
        w,
        label: htmlText(label),
        title: htmlText(field ? `${field.name} [${bitsLabel(end, b - end + 1)}] ${field.accessLabel}` : 'unused'),
        cls: field ? (field.neutral.kind === 'force' ? 'f effect' : 'f') : 'u',
        tx: x + w / 2,
        ty: y + 19,
      });
      b = end - 1;
    }
  }
  return { svgWidth: perRow * BIT_W + 1, svgHeight: rows * ROW_H, boxes, bitNumbers: bitNumbersOf(bits) };
}

/**
 * The bit numbers above each row depend only on the register's width: one list per width, shared
 * by every register of it (one object per bit of every register was most of the docs view on N657).
 */
const bitNumberLists = new Map<number, DocRegister['bitNumbers']>();

function bitNumbersOf(bits: number): DocRegister['bitNumbers'] {
  let list = bitNumberLists.get(bits);
  if (list === undefined) {
    const perRow = Math.min(32, bits);
    const numbers: DocRegister['bitNumbers'][number][] = [];
    for (let row = 0; row < Math.ceil(bits / perRow); row++) {
      const top = bits - 1 - row * perRow;
      const y = row * ROW_H + 14;
      for (let i = 0; i < perRow; i++) numbers.push({ x: i * BIT_W + BIT_W / 2, y: y - 3, n: top - i });
    }
    list = numbers;
    bitNumberLists.set(bits, list);
  }
  return list;
}

function docRegister(p: PeripheralView, reg: RegisterView): DocRegister {
  const fieldRows = (esc: (s: string | undefined) => string) =>
    [...reg.fields].reverse().map((f) => ({
      bits: f.segments.map((s) => bitsLabel(s.lsb, s.width)).join(', '),
      name: esc(f.name),
      access: esc(f.accessLabel),
      reset: f.reset === undefined ? '—' : hex(f.reset),
      description: esc(
        [f.description ?? '', f.enumValues.length ? `Values: ${f.enumValues.map((e) => `${e.name}=${e.value}`).join(', ')}` : ''].filter((x) => x).join(' '),
      ),
    }));
  const name = reg.nameParts.join('.');
  return {
    anchor: anchorOf(`${p.typeName}.${name}`),
    name,
    md: { name: mdText(name), description: mdText(reg.description), fields: fieldRows(mdText) },
    html: {
      name: htmlText(name),
      description: htmlText(reg.description),
      search: htmlText(`${p.typeName} ${name} ${reg.description ?? ''} ${reg.fields.map((f) => f.name).join(' ')}`.toLowerCase()),
      fields: fieldRows(htmlText),
    },
    offset: hex(reg.absOffset),
    size: reg.size,
    reset: hex(reg.resetValue),
    array: reg.arrayLevels.length ? reg.arrayLevels.map((l) => `[${l.count}] stride ${hex(l.stride)}`).join(' ') : '',
    ...layout(reg),
  };
}

export function docsView(model: GeneratorModel): DocsView {
  const title = `${model.device.board ?? model.device.name} ${model.device.revision ?? ''}`.trim();
  return {
    mdTitle: mdText(title),
    htmlTitle: htmlText(title),
    mdDescription: mdText(model.device.description),
    htmlDescription: htmlText(model.device.description),
    specHash: model.specHash,
  };
}

/**
 * Each layout's section view, made as it is asked for: the renderer turns one into text before the
 * next is made, so a whole device's views (N657: a box per field of 7 500 registers) never live at once.
 */
export function* docPeripherals(analysis: DeviceAnalysis): Generator<DocPeripheral> {
  const instancesOf = new Map<string, PeripheralView[]>();
  for (const p of analysis.peripherals) {
    const list = instancesOf.get(p.typeName);
    if (list) list.push(p);
    else instancesOf.set(p.typeName, [p]);
  }
  for (const t of analysis.types) {
    yield {
      anchor: anchorOf(t.typeName),
      mdName: mdText(t.typeName),
      htmlName: htmlText(t.typeName),
      mdDescription: mdText(t.description),
      htmlDescription: htmlText(t.description),
      instances: (instancesOf.get(t.typeName) ?? []).map((p) => ({ md: mdText(p.name), html: htmlText(p.name), base: hex(p.baseAddress, 8) })),
      registers: t.registers.map((r) => docRegister(t, r)),
    };
  }
}
