import type { XmlElement } from '../../importers/xml/index.ts';
import { indexToken, matchName, parseSpec } from '../glob.ts';
import { getInteger, getString, has, PatchError, type PatchEntry, type PatchMap } from '../node.ts';
import {
  bitsOf,
  fieldsOf,
  getInt,
  getText,
  isArray,
  makeElement,
  nameOf,
  registerBitmask,
  removeChildren,
  appendChild,
  setFields,
  setInt,
  setText,
} from '../svd-tree.ts';
import { blockPathText, pathText, type BlockPath } from './path.ts';

/**
 * `_array`: registers (or fields) that repeat at a fixed stride become one element with `dim`.
 * The varying part of the spec (`CCR?`, `BKP[0-9]R`) gives each element's index; the name gets
 * `%s` there unless `name` is given. The elements must have equal strides and (registers) equal
 * field layouts; the description is the common one with `%s` at the index, or must be given.
 */

/** svdtools' `common_description`: undefined when the texts differ in more than the index. */
export function commonDescription(texts: readonly (string | undefined)[], indexes: readonly string[]): { value: string | undefined } | undefined {
  const first = texts[0];
  const index0 = indexes[0] as string;
  if (first?.includes(index0)) {
    for (let at = first.indexOf(index0); at !== -1; at = first.indexOf(index0, at + index0.length)) {
      const template = `${first.slice(0, at)}%s${first.slice(at + index0.length)}`;
      if (texts.every((t, i) => i === 0 || t === template.replace('%s', indexes[i] as string))) return { value: template };
    }
  }
  return texts.every((t) => t === first) ? { value: first } : undefined;
}

function checkStride(offsets: readonly number[], stride: number): boolean {
  for (let i = 1; i < offsets.length; i++) if ((offsets[i] as number) - (offsets[i - 1] as number) !== stride) return false;
  return true;
}

function arrayName(spec: string, token: [number, number]): string {
  return `${spec.slice(0, token[0])}%s${spec.slice(spec.length - token[1])}`;
}

function setDim(e: XmlElement, dim: number, increment: number, indexes: readonly string[]): void {
  removeChildren(e, ['dim', 'dimIncrement', 'dimIndex']);
  appendChild(e, makeElement('dim', e.start, String(dim)));
  appendChild(e, makeElement('dimIncrement', e.start, `0x${increment.toString(16).toUpperCase()}`));
  appendChild(e, makeElement('dimIndex', e.start, indexes.join(',')));
}

/** Takes the single (non-array) elements matching spec out of `items`; returns them and where the first was. */
function takeMatching(items: XmlElement[], spec: string, accept: (e: XmlElement) => boolean): { taken: XmlElement[]; place: number } {
  const taken: XmlElement[] = [];
  let place = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < items.length; ) {
    const e = items[i] as XmlElement;
    if (accept(e) && matchName(nameOf(e), spec)) {
      taken.push(e);
      items.splice(i, 1);
      place = Math.min(place, i);
    } else i++;
  }
  return { taken, place };
}

function indexesOf(elements: readonly XmlElement[], token: [number, number], options: PatchMap): string[] {
  if (has(options, '_start_from_zero')) return elements.map((_, i) => String(i));
  return elements.map((e) => {
    const n = nameOf(e);
    return n.slice(token[0], n.length - token[1]);
  });
}

/** Collects registers of a block into a register array; returns the array register to be processed further by the caller. */
export function collectRegisterArray(items: XmlElement[], entry: PatchEntry, options: PatchMap, path: BlockPath): XmlElement | undefined {
  const { spec, optional } = parseSpec(entry.key);
  const { taken, place } = takeMatching(items, spec, (e) => e.local === 'register' && !isArray(e));
  if (taken.length === 0) {
    if (optional) return undefined;
    throw new PatchError(
      'patch/no-match',
      `_array: no register of ${blockPathText(path)} matches ${spec}; present registers: ${items
        .filter((i) => i.local === 'register')
        .map(nameOf)
        .join(', ')}`,
      entry.keySpan,
    );
  }
  taken.sort((a, b) => (getInt(a, 'addressOffset') ?? 0) - (getInt(b, 'addressOffset') ?? 0));
  const token = indexToken(spec);
  if (!token)
    throw new PatchError('patch/bad-array', `_array: ${spec} must have exactly one varying part (?, * or [..]) to take the index from`, entry.keySpan);
  const indexes = indexesOf(taken, token, options);
  const offsets = taken.map((r) => getInt(r, 'addressOffset') ?? 0);
  const size = getInt(taken[0] as XmlElement, 'size');
  const stride =
    taken.length > 1 ? (offsets[1] as number) - (offsets[0] as number) : (getInteger(options, 'dimIncrement') ?? (size !== undefined ? size / 8 : 0));
  if (stride === 0) throw new PatchError('patch/bad-array', `_array ${spec}: one register; give dimIncrement`, entry.keySpan);
  if (!checkStride(offsets, stride))
    throw new PatchError(
      'patch/bad-array',
      `${blockPathText(path)}: registers ${spec} cannot form an array: their offsets are not evenly spaced`,
      entry.keySpan,
    );
  const masks = taken.map(registerBitmask);
  if (!masks.every((m) => m === masks[0]))
    throw new PatchError('patch/bad-array', `${blockPathText(path)}: registers ${spec} cannot form an array: their fields differ`, entry.keySpan);
  const first = taken[0] as XmlElement;
  setText(first, 'name', getString(options, 'name') ?? arrayName(spec, token));
  applyCommonText(first, taken, indexes, options, 'description', entry, path, spec);
  applyCommonText(first, taken, indexes, options, 'displayName', entry, path, spec);
  setDim(first, taken.length, stride, indexes);
  items.splice(place, 0, first);
  return first;
}

function applyCommonText(
  first: XmlElement,
  all: readonly XmlElement[],
  indexes: readonly string[],
  options: PatchMap,
  tag: string,
  entry: PatchEntry,
  path: BlockPath,
  spec: string,
): void {
  const given = getString(options, tag);
  if (given !== undefined) {
    if (given !== '_original') setText(first, tag, given);
    return;
  }
  const common = commonDescription(
    all.map((e) => getText(e, tag)),
    indexes,
  );
  if (!common)
    throw new PatchError('patch/bad-array', `${blockPathText(path)}: ${spec}: the ${tag}s differ by more than the index; give ${tag}`, entry.keySpan);
  setText(first, tag, common.value);
}

/** `_array` inside a register: fields at a fixed bit stride become a field array. */
export function collectFieldArray(register: XmlElement, entry: PatchEntry, options: PatchMap, path: BlockPath): void {
  const { spec, optional } = parseSpec(entry.key);
  const fields = fieldsOf(register);
  const { taken, place } = takeMatching(fields, spec, (f) => !isArray(f));
  if (taken.length === 0) {
    if (optional) return;
    throw new PatchError(
      'patch/missing-field',
      `_array: no field of ${pathText(path)} matches ${spec}; present fields: ${fields.map(nameOf).join(', ')}`,
      entry.keySpan,
    );
  }
  taken.sort((a, b) => bitsOf(a).offset - bitsOf(b).offset);
  const token = indexToken(spec);
  if (!token)
    throw new PatchError('patch/bad-array', `_array: ${spec} must have exactly one varying part (?, * or [..]) to take the index from`, entry.keySpan);
  const indexes = indexesOf(taken, token, options);
  const offsets = taken.map((f) => bitsOf(f).offset);
  const stride = taken.length > 1 ? (offsets[1] as number) - (offsets[0] as number) : 0;
  if (!checkStride(offsets, stride))
    throw new PatchError('patch/bad-array', `${pathText(path)}: fields ${spec} cannot form an array: their offsets are not evenly spaced`, entry.keySpan);
  const first = taken[0] as XmlElement;
  setText(first, 'name', getString(options, 'name') ?? arrayName(spec, token));
  applyCommonText(first, taken, indexes, options, 'description', entry, path, spec);
  setDim(first, taken.length, stride, indexes);
  fields.splice(place, 0, first);
  setFields(register, fields);
}

export { setInt };
