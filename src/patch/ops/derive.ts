import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { getInteger, getString, PatchError, type PatchEntry, type PatchMap } from '../node.ts';
import {
  derivedFrom,
  fieldsOf,
  makeElement,
  nameOf,
  peripheralsOf,
  registersOf,
  setDerivedFrom,
  setFields,
  setPeripherals,
  setBlockItems,
  blockItems,
} from '../svd-tree.ts';
import { applyDim, modifyField, modifyPeripheral, modifyRegister } from './build.ts';
import { blockPathText, type BlockPath } from './path.ts';

/**
 * `_derive`: an element becomes `derivedFrom` another, losing its own content (fields, registers).
 * The value is the base name, or a mapping with `_from` plus keys to set on the derived element.
 * A derived element that does not exist is created (with the given keys). Elements that derived
 * from the one now derived are re-pointed at the new base. The base must exist (a dotted path to
 * another block is taken as is, unverified, as svdtools does).
 */

function deriveSpec(entry: PatchEntry, what: string): { from: string; mod: PatchMap | undefined } {
  const v = entry.value;
  if (v.kind === 'scalar' && typeof v.value === 'string') return { from: v.value, mod: undefined };
  if (v.kind === 'map') {
    const from = getString(v, '_from');
    if (from === undefined) throw new PatchError('patch/bad-value', `_derive ${entry.key}: the mapping needs _from, the ${what} to derive from`, v.span);
    return { from, mod: v };
  }
  throw new PatchError('patch/bad-value', `_derive ${entry.key}: give the name of the base ${what} or a mapping with _from`, v.span);
}

/** Within a cluster, `CLUSTER.REG` names a sibling cluster's register (svdtools' `make_path`). */
function qualify(ref: string, path: BlockPath, depth: 2 | 3): string {
  const parts = ref.split('.');
  if (depth === 2 && parts.length === 2 && path.clusters.length > 0) return [path.peripheral, ...path.clusters.slice(0, -1), ...parts].join('.');
  if (depth === 3 && parts.length === 3 && path.clusters.length > 0) return [path.peripheral, ...path.clusters.slice(0, -1), ...parts].join('.');
  if (depth === 3 && parts.length === 2) return [blockPathText(path), ...parts].join('.');
  return ref;
}

export function deriveField(register: XmlElement, entry: PatchEntry, path: BlockPath): void {
  const { spec, optional } = parseSpec(entry.key);
  const { from, mod } = deriveSpec(entry, 'field');
  const ref = qualify(from, path, 3);
  const matched = fieldsOf(register).filter((f) => matchName(nameOf(f), spec));
  const derive = (f: XmlElement): void => {
    if (mod) {
      applyDim(f, mod);
      modifyField(f, mod, path);
    }
    modifyField(f, {
      kind: 'map',
      span: entry.keySpan,
      entries: [{ key: 'derivedFrom', keySpan: entry.keySpan, value: { kind: 'scalar', span: entry.keySpan, value: ref } }],
      file: '',
    });
  };
  if (matched.length > 0) {
    matched.forEach(derive);
  } else if (!optional) {
    const field = makeElement('field', register.start, '', [makeElement('name', register.start, spec)]);
    derive(field);
    setFields(register, [...fieldsOf(register), field]);
  }
}

export function deriveRegister(block: XmlElement, entry: PatchEntry, path: BlockPath): void {
  const { spec, optional } = parseSpec(entry.key);
  const { from, mod } = deriveSpec(entry, 'register');
  const ref = qualify(from, path, 2);
  if (!from.includes('.') && !registersOf(block).some((r) => nameOf(r) === from)) {
    throw new PatchError(
      'patch/no-match',
      `_derive: ${blockPathText(path)} has no register ${from}; present registers: ${registersOf(block).map(nameOf).join(', ')}`,
      entry.value.span,
    );
  }
  const matched = registersOf(block).filter((r) => matchName(nameOf(r), spec));
  const derive = (r: XmlElement): void => {
    if (mod) {
      applyDim(r, mod);
      modifyRegister(r, mod, path);
    }
    setDerivedFrom(r, ref);
    modifyRegister(r, {
      kind: 'map',
      span: entry.keySpan,
      entries: [{ key: 'derivedFrom', keySpan: entry.keySpan, value: { kind: 'scalar', span: entry.keySpan, value: ref } }],
      file: '',
    });
  };
  if (matched.length > 0) {
    matched.forEach(derive);
    const names = matched.map(nameOf);
    for (const r of registersOf(block)) {
      const d = derivedFrom(r);
      if (d !== undefined && names.includes(d)) setDerivedFrom(r, from);
    }
  } else if (!optional) {
    if (mod === undefined || getInteger(mod, 'addressOffset') === undefined) {
      throw new PatchError(
        'patch/bad-value',
        `_derive: register ${spec} does not exist; to create it give a mapping with _from and addressOffset`,
        entry.keySpan,
      );
    }
    const register = makeElement('register', block.start, '', [makeElement('name', block.start, spec)]);
    derive(register);
    setBlockItems(block, [...blockItems(block), register]);
  }
}

/** Device-level `_derive` of a peripheral; the base moves before its first derived peripheral. */
export function derivePeripheral(device: XmlElement, entry: PatchEntry): void {
  const name = entry.key;
  const { from, mod } = deriveSpec(entry, 'peripheral');
  const peripherals = peripheralsOf(device);
  let basePos: number | undefined;
  if (!from.includes('.')) {
    basePos = peripherals.findIndex((p) => nameOf(p) === from);
    if (basePos === -1)
      throw new PatchError('patch/no-match', `_derive: no peripheral ${from}; present peripherals: ${peripherals.map(nameOf).join(', ')}`, entry.value.span);
  }
  const spec: PatchMap = {
    kind: 'map',
    span: entry.keySpan,
    entries: [
      ...(mod?.entries ?? []).filter((e) => e.key !== 'derivedFrom'),
      { key: 'derivedFrom', keySpan: entry.keySpan, value: { kind: 'scalar', span: entry.keySpan, value: from } },
    ],
    file: '',
  };
  let minPos = peripherals.length;
  const target = peripherals.findIndex((p) => nameOf(p) === name);
  if (target !== -1) {
    minPos = target;
    modifyPeripheral(peripherals[target] as XmlElement, spec, 'modify');
  } else {
    const created = makeElement('peripheral', device.start, '', [makeElement('name', device.start, name)]);
    modifyPeripheral(created, spec, 'modify');
    peripherals.push(created);
  }
  peripherals.forEach((p, i) => {
    if (derivedFrom(p) === name) {
      minPos = Math.min(minPos, i);
      setDerivedFrom(p, from);
    }
  });
  if (basePos !== undefined && basePos > minPos) {
    const [base] = peripherals.splice(basePos, 1);
    peripherals.splice(minPos, 0, base as XmlElement);
  }
  setPeripherals(device, peripherals);
}

/**
 * `_rebase: NEW: OLD`: NEW takes OLD's content (keeping its own name, base address and interrupts),
 * OLD becomes derivedFrom NEW, and peripherals that derived from OLD now derive from NEW.
 */
export function rebasePeripheral(device: XmlElement, entry: PatchEntry): void {
  const newName = entry.key;
  const oldName = getString({ kind: 'map', span: entry.keySpan, entries: [entry], file: '' }, newName) as string;
  const peripherals = peripheralsOf(device);
  const oldPos = peripherals.findIndex((p) => nameOf(p) === oldName);
  if (oldPos === -1) throw new PatchError('patch/no-match', `_rebase: no peripheral ${oldName}`, entry.value.span);
  const newPos = peripherals.findIndex((p) => nameOf(p) === newName);
  if (newPos === -1) throw new PatchError('patch/no-match', `_rebase: no peripheral ${newName}`, entry.keySpan);
  const oldP = peripherals[oldPos] as XmlElement;
  const newP = peripherals[newPos] as XmlElement;
  const KEEP = ['name', 'baseAddress', 'interrupt'];
  // OLD keeps only its name, base address and interrupts and derives from NEW.
  const oldContent = oldP.children.filter((c) => !KEEP.includes(c.local));
  const rebased = makeElement(
    'peripheral',
    oldP.start,
    '',
    oldP.children.filter((c) => KEEP.includes(c.local)),
  );
  setDerivedFrom(rebased, newName);
  // NEW: OLD's content with NEW's identity.
  const moved = makeElement('peripheral', newP.start, '', [...newP.children.filter((c) => KEEP.includes(c.local)), ...oldContent]);
  const oldDerived = derivedFrom(oldP);
  if (oldDerived !== undefined) setDerivedFrom(moved, oldDerived);
  peripherals[oldPos] = rebased;
  peripherals[newPos] = moved;
  let minPos = oldPos;
  peripherals.forEach((p, i) => {
    if (derivedFrom(p) === oldName) {
      minPos = Math.min(minPos, i);
      setDerivedFrom(p, newName);
    }
  });
  if (newPos > minPos) {
    const [m] = peripherals.splice(newPos, 1);
    peripherals.splice(minPos, 0, m as XmlElement);
  }
  setPeripherals(device, peripherals);
}
