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

type FieldRow = { readonly bits: string; readonly name: string; readonly access: string; readonly reset: string; readonly description: string };

/** What the Markdown and the HTML section of a register share. */
interface RegisterBase {
  readonly anchor: string;
  readonly name: string;
  readonly offset: string;
  readonly size: number;
  readonly reset: string;
  readonly array: string;
}

/** A register in the Markdown file. */
export interface MdRegister extends RegisterBase {
  readonly md: { readonly name: string; readonly description: string; readonly fields: readonly FieldRow[] };
}

/** A register in the HTML page, with its bit-layout drawing. */
export interface HtmlRegister extends RegisterBase {
  readonly html: { readonly name: string; readonly description: string; readonly search: string; readonly fields: readonly FieldRow[] };
  readonly svgWidth: number;
  readonly svgHeight: number;
  readonly boxes: readonly BitBox[];
  readonly bitNumbers: readonly { readonly x: number; readonly y: number; readonly n: number }[];
}

export type DocFormat = 'md' | 'html';

export interface DocPeripheral<R extends MdRegister | HtmlRegister = MdRegister | HtmlRegister> {
  readonly anchor: string;
  readonly mdName: string;
  readonly htmlName: string;
  readonly mdDescription: string;
  readonly htmlDescription: string;
  readonly instances: readonly { readonly md: string; readonly html: string; readonly base: string }[];
  readonly registers: readonly R[];
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
function layout(reg: RegisterView): Pick<HtmlRegister, 'svgWidth' | 'svgHeight' | 'boxes' | 'bitNumbers'> {
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
const bitNumberLists = new Map<number, HtmlRegister['bitNumbers']>();

function bitNumbersOf(bits: number): HtmlRegister['bitNumbers'] {
  let list = bitNumberLists.get(bits);
  if (list === undefined) {
    const perRow = Math.min(32, bits);
    const numbers: HtmlRegister['bitNumbers'][number][] = [];
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

function fieldRows(reg: RegisterView, esc: (s: string | undefined) => string): FieldRow[] {
  return [...reg.fields].reverse().map((f) => ({
    bits: f.segments.map((s) => bitsLabel(s.lsb, s.width)).join(', '),
    name: esc(f.name),
    access: esc(f.accessLabel),
    reset: f.reset === undefined ? '—' : hex(f.reset),
    description: esc(
      [f.description ?? '', f.enumValues.length ? `Values: ${f.enumValues.map((e) => `${e.name}=${e.value}`).join(', ')}` : ''].filter((x) => x).join(' '),
    ),
  }));
}

function registerBase(p: PeripheralView, reg: RegisterView): RegisterBase {
  const name = reg.nameParts.join('.');
  return {
    anchor: anchorOf(`${p.typeName}.${name}`),
    name,
    offset: hex(reg.absOffset),
    size: reg.size,
    reset: hex(reg.resetValue),
    array: reg.arrayLevels.length ? reg.arrayLevels.map((l) => `[${l.count}] stride ${hex(l.stride)}`).join(' ') : '',
  };
}

function mdRegister(p: PeripheralView, reg: RegisterView): MdRegister {
  const base = registerBase(p, reg);
  return { ...base, md: { name: mdText(base.name), description: mdText(reg.description), fields: fieldRows(reg, mdText) } };
}

function htmlRegister(p: PeripheralView, reg: RegisterView): HtmlRegister {
  const base = registerBase(p, reg);
  return {
    ...base,
    html: {
      name: htmlText(base.name),
      description: htmlText(reg.description),
      search: htmlText(`${p.typeName} ${base.name} ${reg.description ?? ''} ${reg.fields.map((f) => f.name).join(' ')}`.toLowerCase()),
      fields: fieldRows(reg, htmlText),
    },
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
 * Each layout's section view for one format, made as it is asked for: the renderer turns one into
 * text (and the runner writes it) before the next is made, so a whole device's views (N657: a box per
 * field of 7 500 registers) and its page never live at once.
 */
export function docPeripherals(analysis: DeviceAnalysis, format: 'md'): Generator<DocPeripheral<MdRegister>>;
export function docPeripherals(analysis: DeviceAnalysis, format: 'html'): Generator<DocPeripheral<HtmlRegister>>;
export function* docPeripherals(analysis: DeviceAnalysis, format: DocFormat): Generator<DocPeripheral> {
  const instancesOf = new Map<string, PeripheralView[]>();
  for (const p of analysis.peripherals) {
    const list = instancesOf.get(p.typeName);
    if (list) list.push(p);
    else instancesOf.set(p.typeName, [p]);
  }
  const register = format === 'md' ? mdRegister : htmlRegister;
  for (const t of analysis.types) {
    yield {
      anchor: anchorOf(t.typeName),
      mdName: mdText(t.typeName),
      htmlName: htmlText(t.typeName),
      mdDescription: mdText(t.description),
      htmlDescription: htmlText(t.description),
      instances: (instancesOf.get(t.typeName) ?? []).map((p) => ({ md: mdText(p.name), html: htmlText(p.name), base: hex(p.baseAddress, 8) })),
      registers: t.registers.map((r) => register(t, r)),
    };
  }
}
