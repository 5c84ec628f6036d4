import type { XmlElement } from '../../importers/xml/index.ts';
import { asInteger, asMap, asString, get, getInteger, getMap, getString, PatchError, type PatchMap, type PatchValue } from '../node.ts';
import {
  appendChild,
  childElement,
  hex,
  makeElement,
  removeChildren,
  setBits,
  setDerivedFrom,
  setFields,
  setInt,
  setText,
  bitsOf,
  setBlockItems,
} from '../svd-tree.ts';
import type { BlockPath } from './path.ts';
import { interpolate } from './path.ts';

/**
 * svdtools' element builders: how a YAML mapping modifies an existing SVD element (`_modify`) or
 * describes a new one (`_add`). Keys follow the SVD element names; only the keys svdtools reads
 * for that kind of element have an effect; an empty string removes an optional element.
 */

const ACCESS = new Set(['read-only', 'write-only', 'read-write', 'writeOnce', 'read-writeOnce']);
const MODIFIED_WRITE = new Set(['oneToClear', 'oneToSet', 'oneToToggle', 'zeroToClear', 'zeroToSet', 'zeroToToggle', 'clear', 'set', 'modify']);
const READ_ACTION = new Set(['clear', 'set', 'modify', 'modifyExternal']);
const PROPERTY_TAGS = ['size', 'access', 'protection', 'resetValue', 'resetMask'];

/** `access` as svdtools parses it: an unknown word is no change, and (for registers and fields) "" removes it. */
function setAccess(e: XmlElement, spec: PatchMap): void {
  const v = getString(spec, 'access');
  if (v === undefined) return;
  if (ACCESS.has(v)) setText(e, 'access', v);
  else if (v === '') setText(e, 'access', undefined);
}

/** size / access / resetValue / resetMask (registerPropertiesGroup). */
export function applyProperties(e: XmlElement, spec: PatchMap): void {
  for (const tag of ['size', 'resetValue', 'resetMask']) {
    const n = getInteger(spec, tag);
    if (n !== undefined) setInt(e, tag, n);
  }
  const access = getString(spec, 'access');
  if (access !== undefined && ACCESS.has(access)) setText(e, 'access', access);
}

function setOptionalText(e: XmlElement, spec: PatchMap, keys: readonly string[], path?: BlockPath): void {
  for (const key of keys) {
    const v = getString(spec, key);
    if (v !== undefined) setText(e, key, path ? interpolate(v, path) : v);
  }
}

/** The dim group (`dim`, `dimIncrement`, `dimIndex`, `dimName`, `dimArrayIndex`); true when any was given. */
export function applyDim(e: XmlElement, spec: PatchMap): void {
  const dim = getInteger(spec, 'dim');
  if (dim !== undefined) setText(e, 'dim', String(dim));
  const inc = getInteger(spec, 'dimIncrement');
  if (inc !== undefined) setInt(e, 'dimIncrement', inc);
  const index = get(spec, 'dimIndex');
  if (index !== undefined) {
    const text = index.kind === 'seq' ? index.items.map((i) => asString(i, 'dimIndex')).join(',') : asString(index, 'dimIndex');
    setText(e, 'dimIndex', text);
  }
  const dimName = getString(spec, 'dimName');
  if (dimName !== undefined) setText(e, 'dimName', dimName);
}

/** writeConstraint from `_write_constraint` / `writeConstraint`: "none", "enum" or [min, max]. Undefined: not given. */
export function writeConstraintOf(spec: PatchMap): { kind: 'none' } | { kind: 'set'; element: XmlElement } | undefined {
  const v = get(spec, '_write_constraint') ?? get(spec, 'writeConstraint');
  if (v === undefined) return undefined;
  if (v.kind === 'scalar' && v.value === 'none') return { kind: 'none' };
  if (v.kind === 'scalar' && v.value === 'enum')
    return { kind: 'set', element: makeElement('writeConstraint', 0, '', [makeElement('useEnumeratedValues', 0, 'true')]) };
  if (v.kind === 'seq' && v.items.length >= 2)
    return { kind: 'set', element: rangeConstraint(asInteger(v.items[0] as PatchValue, 'minimum'), asInteger(v.items[1] as PatchValue, 'maximum')) };
  throw new PatchError('patch/bad-value', 'a write constraint is "none", "enum" or [minimum, maximum]', v.span);
}

export function rangeConstraint(min: number, max: number): XmlElement {
  return makeElement('writeConstraint', 0, '', [makeElement('range', 0, '', [makeElement('minimum', 0, String(min)), makeElement('maximum', 0, String(max))])]);
}

export function setWriteConstraint(e: XmlElement, constraint: XmlElement | undefined): void {
  removeChildren(e, ['writeConstraint']);
  if (constraint) appendChild(e, { ...constraint, start: e.start });
}

// ---------------------------------------------------------------- fields

export function modifyField(field: XmlElement, spec: PatchMap, path?: BlockPath): void {
  const name = getString(spec, 'name');
  if (name !== undefined) setText(field, 'name', name);
  setOptionalText(field, spec, ['description'], path);
  const msb = getInteger(spec, 'msb');
  const lsb = getInteger(spec, 'lsb');
  const range = getString(spec, 'bitRange');
  const bits = bitsOf(field);
  if (msb !== undefined && lsb !== undefined) setBits(field, lsb, msb - lsb + 1);
  else if (range !== undefined && /^\[\s*\d+\s*:\s*\d+\s*\]$/.test(range)) {
    const [hi, lo] = range
      .replace(/[[\]\s]/g, '')
      .split(':')
      .map(Number) as [number, number];
    setBits(field, lo, hi - lo + 1);
  } else {
    const offset = getInteger(spec, 'bitOffset');
    const width = getInteger(spec, 'bitWidth');
    if (offset !== undefined || width !== undefined) setBits(field, offset ?? bits.offset, width ?? bits.width);
  }
  setAccess(field, spec);
  const derived = getString(spec, 'derivedFrom');
  if (derived !== undefined) {
    setDerivedFrom(field, path ? interpolate(derived, path) : derived);
    removeChildren(field, ['modifiedWriteValues', 'writeConstraint', 'enumeratedValues']);
    return;
  }
  const mwv = getString(spec, 'modifiedWriteValues');
  if (mwv !== undefined && MODIFIED_WRITE.has(mwv)) setText(field, 'modifiedWriteValues', mwv);
  const wc = writeConstraintOf(spec);
  if (wc?.kind === 'set') setWriteConstraint(field, wc.element);
  const readAction = getString(spec, 'readAction');
  if (readAction !== undefined && READ_ACTION.has(readAction)) setText(field, 'readAction', readAction);
}

export function newField(name: string, spec: PatchMap, anchor: number, path?: BlockPath): XmlElement {
  const field = makeElement('field', anchor, '', [makeElement('name', anchor, name)]);
  const hasBits = (get(spec, 'msb') && get(spec, 'lsb')) || get(spec, 'bitRange') || (get(spec, 'bitOffset') && get(spec, 'bitWidth'));
  if (!hasBits) throw new PatchError('patch/bad-value', `field ${name} needs its bits: bitOffset and bitWidth, bitRange, or lsb and msb`, spec.span);
  modifyField(field, spec, path);
  applyDim(field, spec);
  return field;
}

// ---------------------------------------------------------------- registers

export function modifyRegister(register: XmlElement, spec: PatchMap, path?: BlockPath): void {
  const name = getString(spec, 'name');
  if (name !== undefined) setText(register, 'name', name);
  setOptionalText(register, spec, ['displayName', 'alternateGroup', 'alternateRegister']);
  setOptionalText(register, spec, ['description'], path);
  const offset = getInteger(spec, 'addressOffset');
  if (offset !== undefined) setInt(register, 'addressOffset', offset);
  const derived = getString(spec, 'derivedFrom');
  if (derived !== undefined) {
    setDerivedFrom(register, path ? interpolate(derived, path) : derived);
    removeChildren(register, ['fields', ...PROPERTY_TAGS, 'dataType', 'modifiedWriteValues', 'writeConstraint']);
    return;
  }
  applyProperties(register, spec);
  const wc = writeConstraintOf(spec);
  if (wc?.kind === 'set') setWriteConstraint(register, wc.element);
  const fields = getMap(spec, 'fields');
  if (fields)
    setFields(
      register,
      fields.entries.map((e) => newField(e.key, asMap(e.value, e.key), register.start)),
    );
  if (getString(spec, 'access') === '') setText(register, 'access', undefined);
}

export function newRegister(name: string, spec: PatchMap, anchor: number, path?: BlockPath): XmlElement {
  if (getInteger(spec, 'addressOffset') === undefined) throw new PatchError('patch/bad-value', `register ${name} needs an addressOffset`, spec.span);
  const register = makeElement('register', anchor, '', [makeElement('name', anchor, name)]);
  modifyRegister(register, spec, path);
  applyDim(register, spec);
  return register;
}

// ---------------------------------------------------------------- clusters

export function modifyCluster(cluster: XmlElement, spec: PatchMap, path?: BlockPath): void {
  const name = getString(spec, 'name');
  if (name !== undefined) setText(cluster, 'name', name);
  setOptionalText(cluster, spec, ['description'], path);
  const offset = getInteger(spec, 'addressOffset');
  if (offset !== undefined) setInt(cluster, 'addressOffset', offset);
  const derived = getString(spec, 'derivedFrom');
  if (derived !== undefined) {
    setDerivedFrom(cluster, path ? interpolate(derived, path) : derived);
    removeChildren(cluster, ['register', 'cluster', ...PROPERTY_TAGS]);
    return;
  }
  applyProperties(cluster, spec);
  const registers = getMap(spec, 'registers');
  if (registers)
    setBlockItems(
      cluster,
      registers.entries.map((e) => newRegister(e.key, asMap(e.value, e.key), cluster.start)),
    );
}

export function newCluster(name: string, spec: PatchMap, anchor: number, path?: BlockPath): XmlElement {
  if (getInteger(spec, 'addressOffset') === undefined) throw new PatchError('patch/bad-value', `cluster ${name} needs an addressOffset`, spec.span);
  const cluster = makeElement('cluster', anchor, '', [makeElement('name', anchor, name)]);
  modifyCluster(cluster, spec, path);
  applyDim(cluster, spec);
  return cluster;
}

// ---------------------------------------------------------------- interrupts

export function modifyInterrupt(interrupt: XmlElement, spec: PatchMap): void {
  const name = getString(spec, 'name');
  if (name !== undefined) setText(interrupt, 'name', name);
  const description = getString(spec, 'description');
  if (description !== undefined) setText(interrupt, 'description', description);
  const value = getInteger(spec, 'value');
  if (value !== undefined) setText(interrupt, 'value', String(value));
}

export function newInterrupt(name: string, spec: PatchMap, anchor: number): XmlElement {
  if (getInteger(spec, 'value') === undefined) throw new PatchError('patch/bad-value', `interrupt ${name} needs a value`, spec.span);
  const interrupt = makeElement('interrupt', anchor, '', [makeElement('name', anchor, name)]);
  modifyInterrupt(interrupt, spec);
  return interrupt;
}

// ---------------------------------------------------------------- peripherals

function addressBlock(spec: PatchMap, anchor: number): XmlElement {
  const block = makeElement('addressBlock', anchor);
  const offset = getInteger(spec, 'offset');
  if (offset !== undefined) setInt(block, 'offset', offset);
  const size = getInteger(spec, 'size');
  if (size !== undefined) setInt(block, 'size', size);
  const usage = getString(spec, 'usage');
  if (usage !== undefined && ['registers', 'buffer', 'reserved'].includes(usage)) setText(block, 'usage', usage);
  return block;
}

/** Peripheral keys svdtools applies in `_modify` (`modify`) and `_add`; interrupts and address blocks differ. */
export function modifyPeripheral(peripheral: XmlElement, spec: PatchMap, mode: 'modify' | 'add'): void {
  const name = getString(spec, 'name');
  if (name !== undefined) setText(peripheral, 'name', name);
  setOptionalText(peripheral, spec, ['displayName', 'version', 'description', 'groupName']);
  const base = getInteger(spec, 'baseAddress');
  if (base !== undefined) setInt(peripheral, 'baseAddress', base);
  if (mode === 'add') {
    const interrupts = getMap(spec, 'interrupts');
    if (interrupts) {
      removeChildren(peripheral, ['interrupt']);
      for (const e of interrupts.entries) appendChild(peripheral, newInterrupt(e.key, asMap(e.value, e.key), peripheral.start));
    }
  }
  const derived = getString(spec, 'derivedFrom');
  if (derived !== undefined) {
    setDerivedFrom(peripheral, derived);
    removeChildren(peripheral, ['registers', 'addressBlock', ...PROPERTY_TAGS]);
    return;
  }
  applyProperties(peripheral, spec);
  if (mode === 'add') {
    const one = getMap(spec, 'addressBlock');
    const many = get(spec, 'addressBlocks');
    if (one) {
      removeChildren(peripheral, ['addressBlock']);
      appendChild(peripheral, addressBlock(one, peripheral.start));
    } else if (many?.kind === 'seq') {
      removeChildren(peripheral, ['addressBlock']);
      for (const b of many.items) appendChild(peripheral, addressBlock(asMap(b, 'addressBlocks item'), peripheral.start));
    }
  }
  const registers = getMap(spec, 'registers');
  if (registers)
    setBlockItems(
      peripheral,
      registers.entries.map((e) => newRegister(e.key, asMap(e.value, e.key), peripheral.start)),
    );
}

/** `_modify` of a peripheral's address blocks: one block is edited in place, a list replaces them. */
export function modifyAddressBlocks(peripheral: XmlElement, spec: PatchMap): void {
  const one = getMap(spec, 'addressBlock');
  const many = get(spec, 'addressBlocks');
  const blocks = peripheral.children.filter((c) => c.local === 'addressBlock');
  if (one) {
    const [only] = blocks;
    if (blocks.length === 1 && only) {
      const offset = getInteger(one, 'offset');
      if (offset !== undefined) setInt(only, 'offset', offset);
      const size = getInteger(one, 'size');
      if (size !== undefined) setInt(only, 'size', size);
      const usage = getString(one, 'usage');
      if (usage !== undefined && ['registers', 'buffer', 'reserved'].includes(usage)) setText(only, 'usage', usage);
    } else {
      removeChildren(peripheral, ['addressBlock']);
      appendChild(peripheral, addressBlock(one, peripheral.start));
    }
  } else if (many?.kind === 'seq') {
    removeChildren(peripheral, ['addressBlock']);
    for (const b of many.items) appendChild(peripheral, addressBlock(asMap(b, 'addressBlocks item'), peripheral.start));
  }
}

export { childElement, hex };
