import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName } from '../glob.ts';
import { asString, PatchError, type PatchEntry } from '../node.ts';
import { appendChild, bitsOf, fieldsOf, getText, makeElement, nameOf, setBits, setFields } from '../svd-tree.ts';

/**
 * `_merge`: fields that are really one value (bits written one by one) become one field with the
 * lowest offset, the summed width and the first one's description; nothing else is kept (svdtools
 * 0.5.0 drops access and enumerations of merged fields). Forms: a list of specs (the name is their
 * longest common prefix), `NEW: spec` or `NEW: [spec, ...]`. A spec matching nothing is an error.
 */
export function mergeFields(register: XmlElement, key: string, value: PatchEntry['value'] | undefined, at: PatchEntry['keySpan']): void {
  const fields = fieldsOf(register);
  const matching = (spec: string): string[] => fields.filter((f) => matchName(nameOf(f), spec)).map(nameOf);
  let name: string;
  let names: string[];
  if (value === undefined) {
    names = matching(key);
    name = longestCommonPrefix(names);
  } else if (value.kind === 'seq') {
    names = value.items.flatMap((i) => matching(asString(i, 'merge spec')));
    name = key;
  } else if (value.kind === 'scalar' && typeof value.value === 'string') {
    names = matching(value.value);
    name = key;
  } else {
    throw new PatchError('patch/bad-value', `_merge of ${key}: give a spec or a list of specs`, value.span);
  }
  if (names.length === 0) {
    throw new PatchError('patch/no-match', `_merge: no field of ${nameOf(register)} matches ${key}; present fields: ${fields.map(nameOf).join(', ')}`, at);
  }
  let width = 0;
  let offset = Number.MAX_SAFE_INTEGER;
  let position = Number.MAX_SAFE_INTEGER;
  let description: string | undefined;
  let first = true;
  fields.forEach((f, i) => {
    if (!names.includes(nameOf(f))) return;
    if (first) {
      description = getText(f, 'description');
      first = false;
    }
    const bits = bitsOf(f);
    width += bits.width;
    offset = Math.min(offset, bits.offset);
    position = Math.min(position, i);
  });
  const merged = makeElement('field', fields[position]?.start ?? register.start, '', [makeElement('name', register.start, name)]);
  const kept = fields.filter((f) => !names.includes(nameOf(f)));
  if (description !== undefined) appendChild(merged, makeElement('description', merged.start, description));
  setBits(merged, offset, width);
  kept.splice(position, 0, merged);
  setFields(register, kept);
}

export function longestCommonPrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  let prefix = names[0] as string;
  for (const n of names.slice(1)) {
    let i = 0;
    while (i < prefix.length && i < n.length && prefix[i] === n[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}
