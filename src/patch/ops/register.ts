import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { asMap, get, getString, mapEntries, PatchError, stringList, type PatchMap } from '../node.ts';
import { derivedFrom, fieldsOf, nameOf, setFields, enumSetsOf, setEnumSets, removeChildren } from '../svd-tree.ts';
import { collectFieldArray } from './array.ts';
import { modifyField, newField, writeConstraintOf, applyDim } from './build.ts';
import { processField } from './enums.ts';
import { mergeFields } from './merge.ts';
import { pathText, type BlockPath } from './path.ts';
import { splitField } from './split.ts';
import { addAffix, FIELD_NAME_TAGS, stripEnd, stripStart } from './strip.ts';
import { deriveField } from './derive.ts';

/** Keys of a register patch that are operations; every other key names fields. */
export const REGISTER_KEYWORDS = new Set([
  '_include',
  '_path',
  '_delete',
  '_derive',
  '_strip',
  '_strip_end',
  '_prefix',
  '_suffix',
  '_clear',
  '_modify',
  '_add',
  '_merge',
  '_split',
  '_array',
]);

/**
 * A register patch, in svdtools' order: `_delete`, `_strip`, `_strip_end`, `_prefix`, `_suffix`,
 * `_clear`, `_modify`, `_add`, `_derive`, `_merge`, `_split`, field entries, `_array`.
 * A register that is derivedFrom another is left alone (its fields are the base's).
 */
export function processRegister(register: XmlElement, patch: PatchMap, block: BlockPath, updateFields = true): void {
  if (derivedFrom(register) !== undefined) return;
  const path: BlockPath = { ...block, register: nameOf(register) };
  for (const { value } of stringList(patch, '_delete'))
    setFields(
      register,
      fieldsOf(register).filter((f) => !matchName(nameOf(f), value)),
    );
  for (const { value } of stringList(patch, '_strip')) stripStart(fieldsOf(register), value, FIELD_NAME_TAGS);
  for (const { value } of stringList(patch, '_strip_end')) stripEnd(fieldsOf(register), value, FIELD_NAME_TAGS);
  const prefix = getString(patch, '_prefix');
  if (prefix !== undefined) addAffix(fieldsOf(register), prefix, 'prefix', FIELD_NAME_TAGS);
  const suffix = getString(patch, '_suffix');
  if (suffix !== undefined) addAffix(fieldsOf(register), suffix, 'suffix', FIELD_NAME_TAGS);
  for (const { value } of stringList(patch, '_clear')) clearFields(register, value);
  for (const e of mapEntries(patch, '_modify')) {
    const { spec, optional } = parseSpec(e.key);
    const mod = asMap(e.value, e.key);
    const matched = fieldsOf(register).filter((f) => matchName(nameOf(f), spec));
    if (matched.length === 0 && !optional) {
      throw new PatchError(
        'patch/missing-field',
        `_modify: no field of ${pathText(path)} matches ${spec}; present fields: ${fieldsOf(register).map(nameOf).join(', ')}`,
        e.keySpan,
      );
    }
    const constraint = writeConstraintOf(mod);
    for (const f of matched) {
      applyDim(f, mod);
      if (constraint?.kind === 'none') removeChildren(f, ['writeConstraint']);
      modifyField(f, mod, { ...path, field: nameOf(f) });
      if (getString(mod, 'access') === '') removeChildren(f, ['access']);
    }
  }
  for (const e of mapEntries(patch, '_add')) {
    if (fieldsOf(register).some((f) => nameOf(f) === e.key))
      throw new PatchError('patch/already-exists', `_add: ${pathText(path)} already has a field ${e.key}`, e.keySpan);
    setFields(register, [...fieldsOf(register), newField(e.key, asMap(e.value, e.key), register.start, { ...path, field: e.key })]);
  }
  for (const e of mapEntries(patch, '_derive')) deriveField(register, e, path);
  const merge = get(patch, '_merge');
  if (merge?.kind === 'map') {
    for (const e of merge.entries) mergeFields(register, e.key, e.value.kind === 'scalar' && e.value.value === null ? undefined : e.value, e.keySpan);
  } else if (merge?.kind === 'seq') {
    for (const i of merge.items) if (i.kind === 'scalar' && typeof i.value === 'string') mergeFields(register, i.value, undefined, i.span);
  } else if (merge?.kind === 'scalar' && typeof merge.value === 'string') {
    mergeFields(register, merge.value, undefined, merge.span);
  }
  const split = get(patch, '_split');
  if (split?.kind === 'map') {
    for (const e of split.entries) splitField(register, e.key, asMap(e.value, e.key), e.keySpan, path);
  } else if (split?.kind === 'seq') {
    for (const i of split.items) if (i.kind === 'scalar' && typeof i.value === 'string') splitField(register, i.value, emptyMap(patch), i.span, path);
  } else if (split?.kind === 'scalar' && typeof split.value === 'string') {
    splitField(register, split.value, emptyMap(patch), split.span, path);
  }
  if (updateFields) {
    for (const e of patch.entries) if (!REGISTER_KEYWORDS.has(e.key)) processField(register, e, path);
  }
  for (const e of mapEntries(patch, '_array')) collectFieldArray(register, e, asMap(e.value, e.key), path);
}

function emptyMap(near: PatchMap): PatchMap {
  return { kind: 'map', span: near.span, entries: [], file: near.file };
}

/** `_clear`: matching fields lose their enumerations and write constraint (derived fields are skipped). */
export function clearFields(register: XmlElement, spec: string): void {
  for (const f of fieldsOf(register)) {
    if (!matchName(nameOf(f), spec) || derivedFrom(f) !== undefined) continue;
    if (enumSetsOf(f).length > 0) setEnumSets(f, []);
    removeChildren(f, ['writeConstraint']);
  }
}
