import { parseBitRange, parseSvdInteger } from '../importers/svd/index.ts';
import type { XmlElement } from '../importers/xml/index.ts';

/**
 * Small edits of the SVD element tree the patch operations share. The tree is the one the XML
 * parser built; patching mutates it in place before the SVD importer converts it. New elements
 * take the source offset of the element they were made for, so importer diagnostics about them
 * still point somewhere near in the vendor file.
 */
type Writable = { -readonly [K in keyof XmlElement]: XmlElement[K] };

const w = (e: XmlElement): Writable => e as Writable;

export function makeElement(local: string, anchor: number, text = '', children: readonly XmlElement[] = []): XmlElement {
  return { name: local, local, attributes: undefined, children: [...children], text, start: anchor, textStart: anchor, span: undefined };
}

export function childElement(e: XmlElement, local: string): XmlElement | undefined {
  for (const c of e.children) if (c.local === local) return c;
  return undefined;
}

export function getText(e: XmlElement, local: string): string | undefined {
  const c = childElement(e, local);
  return c === undefined ? undefined : c.text.trim();
}

export function getInt(e: XmlElement, local: string): number | undefined {
  const t = getText(e, local);
  return t === undefined ? undefined : parseSvdInteger(t);
}

/** Sets a child's text, creating the child; undefined or '' removes it (svd-rs' `empty_to_none`), except a name, which every element keeps. */
export function setText(e: XmlElement, local: string, value: string | undefined): void {
  const existing = childElement(e, local);
  if (value === undefined || (value === '' && local !== 'name')) {
    if (existing) removeChildren(e, [local]);
    return;
  }
  if (existing) {
    w(existing).text = value;
    return;
  }
  appendChild(e, makeElement(local, e.start, value));
}

export function setInt(e: XmlElement, local: string, value: number | undefined): void {
  setText(e, local, value === undefined ? undefined : hex(value));
}

export function hex(n: number): string {
  return n < 0 ? String(n) : `0x${n.toString(16).toUpperCase()}`;
}

export function appendChild(e: XmlElement, c: XmlElement): void {
  w(e).children = [...e.children, c];
}

export function setChildren(e: XmlElement, children: readonly XmlElement[]): void {
  w(e).children = [...children];
}

export function removeChildren(e: XmlElement, locals: readonly string[]): void {
  w(e).children = e.children.filter((c) => !locals.includes(c.local));
}

export function nameOf(e: XmlElement): string {
  return getText(e, 'name') ?? '';
}

export function setName(e: XmlElement, name: string): void {
  setText(e, 'name', name);
}

export function derivedFrom(e: XmlElement): string | undefined {
  return e.attributes?.['derivedFrom'];
}

export function setDerivedFrom(e: XmlElement, ref: string | undefined): void {
  const attributes: Record<string, string> = { ...e.attributes };
  if (ref === undefined) delete attributes['derivedFrom'];
  else attributes['derivedFrom'] = ref;
  w(e).attributes = Object.keys(attributes).length > 0 ? attributes : undefined;
}

export function deepClone(e: XmlElement): XmlElement {
  return { ...e, attributes: e.attributes ? { ...e.attributes } : undefined, children: e.children.map(deepClone) };
}

/** The `<registers>`/`<fields>`/`<peripherals>` list under `e`, or the element's own children for a cluster. */
function container(e: XmlElement, local: string, create: boolean): XmlElement | undefined {
  let c = childElement(e, local);
  if (!c && create) {
    c = makeElement(local, e.start);
    appendChild(e, c);
  }
  return c;
}

/** Registers and clusters of a peripheral or cluster, in order. */
export function blockItems(block: XmlElement): XmlElement[] {
  const holder = block.local === 'cluster' ? block : childElement(block, 'registers');
  return (holder?.children ?? []).filter((c) => c.local === 'register' || c.local === 'cluster');
}

export function setBlockItems(block: XmlElement, items: readonly XmlElement[]): void {
  if (block.local === 'cluster') {
    w(block).children = [...block.children.filter((c) => c.local !== 'register' && c.local !== 'cluster'), ...items];
    return;
  }
  const holder = container(block, 'registers', items.length > 0);
  if (holder) setChildren(holder, items);
}

export const registersOf = (block: XmlElement): XmlElement[] => blockItems(block).filter((c) => c.local === 'register');
export const clustersOf = (block: XmlElement): XmlElement[] => blockItems(block).filter((c) => c.local === 'cluster');

/** Every register below a block, clusters included (svd-rs' `all_registers`). */
export function allRegisters(block: XmlElement): XmlElement[] {
  return blockItems(block).flatMap((c) => (c.local === 'register' ? [c] : allRegisters(c)));
}

export function fieldsOf(register: XmlElement): XmlElement[] {
  return (childElement(register, 'fields')?.children ?? []).filter((c) => c.local === 'field');
}

export function setFields(register: XmlElement, fields: readonly XmlElement[]): void {
  const holder = container(register, 'fields', fields.length > 0);
  if (holder) setChildren(holder, fields);
}

export function peripheralsOf(device: XmlElement): XmlElement[] {
  return (childElement(device, 'peripherals')?.children ?? []).filter((c) => c.local === 'peripheral');
}

export function setPeripherals(device: XmlElement, peripherals: readonly XmlElement[]): void {
  const holder = container(device, 'peripherals', true) as XmlElement;
  setChildren(holder, peripherals);
}

export function interruptsOf(peripheral: XmlElement): XmlElement[] {
  return peripheral.children.filter((c) => c.local === 'interrupt');
}

export function setInterrupts(peripheral: XmlElement, interrupts: readonly XmlElement[]): void {
  w(peripheral).children = [...peripheral.children.filter((c) => c.local !== 'interrupt'), ...interrupts];
}

export function enumSetsOf(field: XmlElement): XmlElement[] {
  return field.children.filter((c) => c.local === 'enumeratedValues');
}

export function setEnumSets(field: XmlElement, sets: readonly XmlElement[]): void {
  w(field).children = [...field.children.filter((c) => c.local !== 'enumeratedValues'), ...sets];
}

const BIT_TAGS = ['bitOffset', 'bitWidth', 'lsb', 'msb', 'bitRange'];

/** A field's bit position in any of the three SVD forms. */
export function bitsOf(field: XmlElement): { offset: number; width: number } {
  const range = getText(field, 'bitRange');
  if (range !== undefined) {
    const parsed = parseBitRange(range);
    if (parsed) return { offset: parsed.lsb, width: parsed.msb - parsed.lsb + 1 };
  }
  const lsb = getInt(field, 'lsb');
  const msb = getInt(field, 'msb');
  if (lsb !== undefined && msb !== undefined) return { offset: lsb, width: msb - lsb + 1 };
  return { offset: getInt(field, 'bitOffset') ?? 0, width: getInt(field, 'bitWidth') ?? 1 };
}

/** Writes the bit position as bitOffset/bitWidth, dropping the other forms. */
export function setBits(field: XmlElement, offset: number, width: number): void {
  removeChildren(field, BIT_TAGS);
  appendChild(field, makeElement('bitOffset', field.start, String(offset)));
  appendChild(field, makeElement('bitWidth', field.start, String(width)));
}

/** OR of the field masks of a register (svdtools' `get_bitmask`), as a bigint for 64-bit registers. */
export function registerBitmask(register: XmlElement): bigint {
  let mask = 0n;
  for (const f of fieldsOf(register)) {
    const { offset, width } = bitsOf(f);
    mask |= ((1n << BigInt(width)) - 1n) << BigInt(offset);
  }
  return mask;
}

export const DIM_TAGS = ['dim', 'dimIncrement', 'dimIndex', 'dimName', 'dimArrayIndex'];

export function isArray(e: XmlElement): boolean {
  return childElement(e, 'dim') !== undefined;
}
