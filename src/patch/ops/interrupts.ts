import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName } from '../glob.ts';
import { asMap, PatchError, type PatchMap } from '../node.ts';
import { interruptsOf, nameOf, setInterrupts } from '../svd-tree.ts';
import { modifyInterrupt, newInterrupt } from './build.ts';

/**
 * Interrupts of a peripheral: `_add: {_interrupts: {NAME: {value, description}}}` (an existing
 * name is an error), `_modify: {_interrupts: {SPEC: {...}}}` and `_delete: {_interrupts: [SPEC]}`
 * (both silent when nothing matches, as in svdtools).
 */
export function addInterrupts(peripheral: XmlElement, adds: PatchMap): void {
  for (const e of adds.entries) {
    if (interruptsOf(peripheral).some((i) => nameOf(i) === e.key))
      throw new PatchError('patch/already-exists', `_add: peripheral ${nameOf(peripheral)} already has an interrupt ${e.key}`, e.keySpan);
    setInterrupts(peripheral, [...interruptsOf(peripheral), newInterrupt(e.key, asMap(e.value, e.key), peripheral.start)]);
  }
}

export function modifyInterrupts(peripheral: XmlElement, mods: PatchMap): void {
  for (const e of mods.entries) {
    const spec = asMap(e.value, e.key);
    for (const i of interruptsOf(peripheral)) if (matchName(nameOf(i), e.key)) modifyInterrupt(i, spec);
  }
}

export function deleteInterrupts(peripheral: XmlElement, specs: readonly { value: string }[]): void {
  for (const { value } of specs)
    setInterrupts(
      peripheral,
      interruptsOf(peripheral).filter((i) => !matchName(nameOf(i), value)),
    );
}
