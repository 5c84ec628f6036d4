import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { XmlElement } from '../../importers/xml/index.ts';
import { parseXml } from '../../importers/xml/index.ts';
import { decodeSpecBytes } from '../../importers/spec-bytes.ts';
import { resolveLimits } from '../../importers/types.ts';
import { readable } from '../load.ts';
import { getString, PatchError, type PatchEntry, type PatchMap } from '../node.ts';
import {
  deepClone,
  getInt,
  nameOf,
  peripheralsOf,
  registersOf,
  setDerivedFrom,
  setInt,
  setPeripherals,
  setText,
  blockItems,
  setBlockItems,
  interruptsOf,
  setInterrupts,
  childElement,
  removeChildren,
  appendChild,
} from '../svd-tree.ts';
import { modifyRegister } from './build.ts';
import { blockPathText, type BlockPath } from './path.ts';

/**
 * `_copy`: a register (or peripheral) is a copy of another, keeping its own address (and, for a
 * peripheral, its base address and interrupts when it exists already). A peripheral may come from
 * another SVD file: `from: ../svd/other.svd:TIM1` (then with its interrupts).
 */
export function copyRegister(block: XmlElement, entry: PatchEntry, spec: PatchMap, path: BlockPath): void {
  const source = getString(spec, '_from');
  if (source === undefined) throw new PatchError('patch/bad-value', `_copy ${entry.key}: give _from, the register to copy`, spec.span);
  const original = registersOf(block).find((r) => nameOf(r) === source);
  if (!original)
    throw new PatchError(
      'patch/no-match',
      `_copy: ${blockPathText(path)} has no register ${source}; present registers: ${registersOf(block).map(nameOf).join(', ')}`,
      spec.span,
    );
  const copy = deepClone(original);
  modifyRegister(copy, spec, path);
  setText(copy, 'name', entry.key);
  setText(copy, 'displayName', undefined);
  const items = blockItems(block);
  const existing = items.findIndex((r) => r.local === 'register' && nameOf(r) === entry.key);
  if (existing !== -1) {
    setInt(copy, 'addressOffset', getInt(items[existing] as XmlElement, 'addressOffset') ?? 0);
    items[existing] = copy;
  } else {
    items.push(copy);
  }
  setBlockItems(block, items);
}

function readOtherSvd(file: string, at: PatchEntry['keySpan'], cwd: string | undefined): XmlElement {
  const path = existsSync(readable(file, cwd)) ? file : existsSync(readable(`${file}.gz`, cwd)) ? `${file}.gz` : undefined;
  if (!path) throw new PatchError('patch/svd-not-found', `_copy: SVD file ${file} not found`, at);
  const bytes = readFileSync(readable(path, cwd));
  let text: string;
  try {
    text = decodeSpecBytes(path, bytes, resolveLimits().maxBytes);
  } catch (error) {
    throw new PatchError('patch/svd-not-found', `_copy: ${file} cannot be read: ${(error as Error).message}`, at);
  }
  const parsed = parseXml(text, path, { maxBytes: 512 * 1024 * 1024, maxDepth: 256, maxElements: 32_000_000 });
  if (!parsed.value) throw new PatchError('patch/svd-not-found', `_copy: ${file} is not readable XML: ${parsed.diagnostics[0]?.message ?? ''}`, at);
  return parsed.value.root;
}

export function copyPeripheral(device: XmlElement, entry: PatchEntry, spec: PatchMap, patchFile: string, cwd?: string): void {
  const from = getString(spec, 'from');
  if (from === undefined) throw new PatchError('patch/bad-value', `_copy ${entry.key}: give from, the peripheral to copy`, spec.span);
  const parts = from.split(':');
  let copy: XmlElement;
  if (parts.length === 2) {
    const other = readOtherSvd(join(dirname(patchFile), parts[0] as string), spec.span, cwd);
    const found = peripheralsOf(other).find((p) => nameOf(p) === parts[1]);
    if (!found) throw new PatchError('patch/no-match', `_copy: ${parts[0]} has no peripheral ${parts[1]}`, spec.span);
    copy = deepClone(found);
  } else if (parts.length === 1) {
    const found = peripheralsOf(device).find((p) => nameOf(p) === from);
    if (!found)
      throw new PatchError('patch/no-match', `_copy: no peripheral ${from}; present peripherals: ${peripheralsOf(device).map(nameOf).join(', ')}`, spec.span);
    copy = deepClone(found);
    // Copied within one file: the interrupts stay with the original.
    setInterrupts(copy, []);
  } else {
    throw new PatchError('patch/bad-value', `_copy ${entry.key}: from is PERIPHERAL or FILE:PERIPHERAL`, spec.span);
  }
  setText(copy, 'name', entry.key);
  setDerivedFrom(copy, undefined);
  const peripherals = peripheralsOf(device);
  const existing = peripherals.findIndex((p) => nameOf(p) === entry.key);
  if (existing !== -1) {
    const target = peripherals[existing] as XmlElement;
    const base = childElement(target, 'baseAddress');
    removeChildren(copy, ['baseAddress']);
    if (base) appendChild(copy, base);
    setInterrupts(copy, interruptsOf(target));
    peripherals[existing] = copy;
  } else {
    peripherals.push(copy);
  }
  setPeripherals(device, peripherals);
}
