import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { getString, PatchError, type PatchEntry, type PatchMap } from '../node.ts';
import { appendChild, bitsOf, fieldsOf, getText, makeElement, nameOf, setBits, setFields } from '../svd-tree.ts';
import { pathText, type BlockPath } from './path.ts';

/**
 * `_split`: one multi-bit field becomes one field per bit, named `name` (default `FIELD%s`) with
 * `%s` the bit number counted from the field's lowest bit; descriptions too. Exactly one field
 * must match; the new fields go at the end of the register's list (as svdtools puts them).
 */
export function splitField(register: XmlElement, key: string, options: PatchMap, at: PatchEntry['keySpan'], path: BlockPath): void {
  const { spec, optional } = parseSpec(key);
  const fields = fieldsOf(register);
  const matched = fields.filter((f) => matchName(nameOf(f), spec));
  if (matched.length === 0) {
    if (optional) return;
    throw new PatchError('patch/missing-field', `_split: no field of ${pathText(path)} matches ${spec}; present fields: ${fields.map(nameOf).join(', ')}`, at);
  }
  if (matched.length > 1)
    throw new PatchError('patch/ambiguous', `_split: ${spec} matches ${matched.length} fields of ${pathText(path)}; split one at a time`, at);
  const field = matched[0] as XmlElement;
  const name = getString(options, 'name') ?? `${nameOf(field)}%s`;
  const description = getString(options, 'description') ?? getText(field, 'description');
  const { offset, width } = bitsOf(field);
  const parts: XmlElement[] = [];
  for (let i = 0; i < width; i++) {
    const part = makeElement('field', field.start, '', [makeElement('name', field.start, name.replaceAll('%s', String(i)))]);
    if (description !== undefined) appendChild(part, makeElement('description', field.start, description.replaceAll('%s', String(i))));
    setBits(part, offset + i, 1);
    parts.push(part);
  }
  setFields(register, [...fields.filter((f) => nameOf(f) !== nameOf(field)), ...parts]);
}
