import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { asMap, asString, getInteger, get, mapEntries, PatchError, stringList, type PatchEntry, type PatchMap } from '../node.ts';
import {
  childElement,
  derivedFrom,
  makeElement,
  nameOf,
  peripheralsOf,
  setDerivedFrom,
  setPeripherals,
  setText,
  allRegisters,
  appendChild,
  getInt,
} from '../svd-tree.ts';
import { applyDim, applyProperties, modifyAddressBlocks, modifyInterrupt, modifyPeripheral } from './build.ts';
import { copyPeripheral } from './copy.ts';
import { derivePeripheral, rebasePeripheral } from './derive.ts';
import { processPeripheral } from './block.ts';
import { clearFields } from './register.ts';
import { CPU_FLAGS, CPU_NUMBERS } from '../../importers/svd/cpu.ts';

export const DEVICE_KEYWORDS = new Set(['_svd', '_include', '_path', '_delete', '_copy', '_modify', '_clear_fields', '_add', '_derive', '_rebase']);

const DEVICE_TEXT = ['vendor', 'vendorID', 'name', 'series', 'version', 'description', 'licenseText', 'headerSystemFilename', 'headerDefinitionsPrefix'];
const CPU_TEXT = ['name', 'revision', 'endian'];

/**
 * A device patch in svdtools' order: `_delete`, `_copy`, `_modify` (device keys, `cpu`,
 * `_peripherals`, peripheral specs), `_clear_fields`, `_add`, `_derive`, `_rebase`, then every
 * peripheral entry. A peripheral entry that matches nothing is an error unless marked `?~`;
 * `_delete` and `_modify` of peripherals that match nothing are silent (svdtools' choices).
 */
export function processDevice(device: XmlElement, patch: PatchMap, patchFile: string, cwd?: string): void {
  for (const { value } of stringList(patch, '_delete'))
    setPeripherals(
      device,
      peripheralsOf(device).filter((p) => !matchName(nameOf(p), value)),
    );
  for (const e of mapEntries(patch, '_copy')) copyPeripheral(device, e, asMap(e.value, e.key), patchFile, cwd);
  for (const e of mapEntries(patch, '_modify')) {
    if (e.key === 'cpu') modifyCpu(device, asMap(e.value, e.key));
    else if (e.key === '_peripherals') for (const p of asMap(e.value, e.key).entries) modifyPeripherals(device, p);
    else if (DEVICE_TEXT.includes(e.key)) setText(device, e.key, asString(e.value, e.key));
    else if (e.key === 'addressUnitBits' || e.key === 'width') setText(device, e.key, String(getInteger({ ...patch, entries: [e] }, e.key)));
    else if (['size', 'access', 'protection', 'resetValue', 'resetMask'].includes(e.key)) applyProperties(device, { ...patch, entries: [e] });
    else modifyPeripherals(device, e);
  }
  for (const { value } of stringList(patch, '_clear_fields')) {
    for (const p of peripheralsOf(device)) {
      if (!matchName(nameOf(p), value) || derivedFrom(p) !== undefined) continue;
      for (const r of allRegisters(p)) if (derivedFrom(r) === undefined) clearFields(r, '*');
    }
  }
  for (const e of mapEntries(patch, '_add')) addPeripheral(device, e);
  for (const e of mapEntries(patch, '_derive')) derivePeripheral(device, e);
  for (const e of mapEntries(patch, '_rebase')) rebasePeripheral(device, e);
  for (const e of patch.entries) {
    if (DEVICE_KEYWORDS.has(e.key)) continue;
    const { spec, optional } = parseSpec(e.key);
    const matched = peripheralsOf(device).filter((p) => matchName(nameOf(p), spec));
    if (matched.length === 0 && !optional) {
      throw new PatchError('patch/no-match', `no peripheral matches ${spec}; present peripherals: ${peripheralsOf(device).map(nameOf).join(', ')}`, e.keySpan);
    }
    const peripheralPatch = asMap(e.value, e.key);
    for (const p of matched) processPeripheral(p, peripheralPatch);
  }
}

function modifyCpu(device: XmlElement, spec: PatchMap): void {
  let cpu = childElement(device, 'cpu');
  if (!cpu) {
    cpu = makeElement('cpu', device.start);
    appendChild(device, cpu);
  }
  for (const e of spec.entries) {
    if (CPU_TEXT.includes(e.key)) setText(cpu, e.key, asString(e.value, e.key));
    else if ((CPU_FLAGS as readonly string[]).includes(e.key))
      setText(cpu, e.key, String(asString(e.value, e.key) === 'true' || asString(e.value, e.key) === '1' || asString(e.value, e.key) === 'True'));
    else if ((CPU_NUMBERS as readonly string[]).includes(e.key)) setText(cpu, e.key, String(getInteger({ ...spec, entries: [e] }, e.key)));
  }
}

/** `_modify` of peripherals by spec (silent when none matches); renaming re-points derivedFrom. */
function modifyPeripherals(device: XmlElement, e: PatchEntry): void {
  const spec = asMap(e.value, e.key);
  const matched = peripheralsOf(device).filter((p) => matchName(nameOf(p), e.key));
  const modified = new Set(matched.map(nameOf));
  for (const p of matched) {
    applyDim(p, spec);
    modifyPeripheral(p, spec, 'modify');
    const interrupts = get(spec, 'interrupts');
    if (interrupts?.kind === 'map') {
      for (const i of interrupts.entries) {
        const target = p.children.find((c) => c.local === 'interrupt' && nameOf(c) === i.key);
        if (target) modifyInterrupt(target, asMap(i.value, i.key));
      }
    }
    modifyAddressBlocks(p, spec);
  }
  const rename = get(spec, 'name');
  if (rename !== undefined) {
    const newName = asString(rename, 'name');
    for (const p of peripheralsOf(device)) {
      const d = derivedFrom(p);
      if (d !== undefined && modified.has(d)) setDerivedFrom(p, newName);
    }
  }
}

function addPeripheral(device: XmlElement, e: PatchEntry): void {
  if (peripheralsOf(device).some((p) => nameOf(p) === e.key))
    throw new PatchError('patch/already-exists', `_add: the device already has a peripheral ${e.key}`, e.keySpan);
  const spec = asMap(e.value, e.key);
  if (getInteger(spec, 'baseAddress') === undefined) throw new PatchError('patch/bad-value', `peripheral ${e.key} needs a baseAddress`, spec.span);
  const peripheral = makeElement('peripheral', device.start, '', [makeElement('name', device.start, e.key)]);
  modifyPeripheral(peripheral, spec, 'add');
  applyDim(peripheral, spec);
  const peripherals = peripheralsOf(device);
  const base = getInt(peripheral, 'baseAddress') ?? 0;
  let pos = 0;
  let best = -Infinity;
  peripherals.forEach((p, i) => {
    const b = getInt(p, 'baseAddress') ?? 0;
    if (b <= base && b >= best) {
      pos = i + 1;
      best = b;
    }
  });
  peripherals.splice(pos, 0, peripheral);
  setPeripherals(device, peripherals);
}
