import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { asInteger, asMap, asString, get, getString, PatchError, type PatchEntry, type PatchMap, type PatchValue } from '../node.ts';
import { bitsOf, derivedFrom, enumSetsOf, fieldsOf, getText, makeElement, nameOf, setDerivedFrom, setEnumSets, setFields, setText } from '../svd-tree.ts';
import { rangeConstraint, setWriteConstraint } from './build.ts';
import { pathText, type BlockPath } from './path.ts';

/**
 * Field-level entries of a register patch: `FIELD: {VARIANT: [value, "text"]}` adds an enumeration,
 * `FIELD: [min, max]` a range write constraint, `_read:`/`_write:` (and the `_RC`, `_W1C`... forms
 * that also set readAction / modifiedWriteValues) one per direction, `_replace_enum` replaces,
 * `_derivedFrom` reuses a named enumeration, `_name` names it.
 *
 * When a glob matches several fields, the lowest one holds the values and the others derive from it
 * by name (svdtools' default `--enum_derive enum`). Adding values where the same direction already
 * has some is an error unless `_replace_enum` is used.
 */

type Usage = 'read' | 'write' | 'read-write';

const READ_KEYS: Readonly<Record<string, string | undefined>> = { _read: undefined, _RM: 'modify', _RS: 'set', _RC: 'clear', _RME: 'modifyExternal' };
const WRITE_KEYS: Readonly<Record<string, string | undefined>> = {
  _write: undefined,
  _WM: 'modify',
  _WS: 'set',
  _WC: 'clear',
  _W1S: 'oneToSet',
  _W0C: 'zeroToClear',
  _W1C: 'oneToClear',
  _W0S: 'zeroToSet',
  _W1T: 'oneToToggle',
  _W0T: 'zeroToToggle',
};

export function processField(register: XmlElement, entry: PatchEntry, path: BlockPath): void {
  const value = entry.value;
  if (value.kind === 'map') {
    const isRead = Object.keys(READ_KEYS).some((k) => get(value, k) !== undefined);
    const isWrite = Object.keys(WRITE_KEYS).some((k) => get(value, k) !== undefined);
    if (!isRead && !isWrite) {
      fieldEnum(register, entry.key, value, path, undefined, entry.keySpan);
      return;
    }
    if (isRead) {
      for (const [key, action] of Object.entries(READ_KEYS)) {
        const v = get(value, key);
        if (v === undefined) continue;
        const map = asMap(v, key);
        if (map.entries.length > 0) fieldEnum(register, entry.key, map, path, 'read', entry.keySpan);
        if (action) for (const f of fieldsMatching(register, entry.key)) setText(f, 'readAction', action);
        break;
      }
    }
    if (isWrite) {
      for (const [key, mwv] of Object.entries(WRITE_KEYS)) {
        const v = get(value, key);
        if (v === undefined) continue;
        const map = asMap(v, key);
        if (map.entries.length > 0) fieldEnum(register, entry.key, map, path, 'write', entry.keySpan);
        if (mwv) for (const f of fieldsMatching(register, entry.key)) setText(f, 'modifiedWriteValues', mwv === 'modify' ? undefined : mwv);
      }
    }
  } else if (value.kind === 'seq' && value.items.length === 2) {
    fieldRange(register, entry, value.items as [PatchValue, PatchValue], path);
  }
  // Any other value (a scalar, a list of another length) is ignored, as svdtools does.
}

function fieldsMatching(register: XmlElement, rawSpec: string): XmlElement[] {
  const { spec } = parseSpec(rawSpec);
  return fieldsOf(register).filter((f) => matchName(nameOf(f), spec));
}

function fieldRange(register: XmlElement, entry: PatchEntry, [min, max]: [PatchValue, PatchValue], path: BlockPath): void {
  const { spec, optional } = parseSpec(entry.key);
  const matched = fieldsOf(register).filter((f) => matchName(nameOf(f), spec));
  for (const f of matched) if (derivedFrom(f) === undefined) setWriteConstraint(f, rangeConstraint(asInteger(min, 'minimum'), asInteger(max, 'maximum')));
  if (matched.length === 0 && !optional) throw noField(register, spec, path, entry.keySpan);
}

function noField(register: XmlElement, spec: string, path: BlockPath, at: PatchEntry['keySpan']): PatchError {
  return new PatchError(
    'patch/missing-field',
    `no field of ${pathText(path)} matches ${spec}; present fields: ${fieldsOf(register).map(nameOf).join(', ')}`,
    at,
  );
}

/** Effective access of a field for enumerations: its own, else its register's own, else read-write. */
function accessOf(field: XmlElement, register: XmlElement): string {
  return getText(field, 'access') ?? getText(register, 'access') ?? 'read-write';
}

function checkUsage(access: string, usage: Usage | undefined, at: PatchEntry['keySpan'], field: string): Usage {
  if (access === 'read-write' || access === 'read-writeOnce') return usage ?? 'read-write';
  if (access === 'read-only' && (usage === undefined || usage === 'read')) return 'read';
  if ((access === 'write-only' || access === 'writeOnce') && (usage === undefined || usage === 'write')) return 'write';
  throw new PatchError('patch/usage-mismatch', `field ${field} is ${access}: it cannot take ${usage ?? 'read-write'} enumerated values`, at);
}

/** svdtools' `make_usage`: the usage is written only when it is not implied by the access. */
function writtenUsage(access: string, usage: Usage): Usage | undefined {
  const implied =
    ((access === 'read-write' || access === 'read-writeOnce') && usage === 'read-write') ||
    (access === 'read-only' && usage === 'read') ||
    ((access === 'write-only' || access === 'writeOnce') && usage === 'write');
  return implied ? undefined : usage;
}

function usageOfSet(set: XmlElement): Usage | undefined {
  const u = getText(set, 'usage');
  return u === 'read' || u === 'write' || u === 'read-write' ? u : undefined;
}

/** The values of an enumeration patch, sorted by value, the default (-1) last. */
function enumValues(spec: PatchMap, anchor: number): XmlElement[] {
  const byValue = new Map<bigint, XmlElement>();
  for (const e of spec.entries) {
    if (e.key.startsWith('_')) continue;
    if (/^[0-9]/.test(e.key)) throw new PatchError('patch/bad-enum', `enumerated value ${e.key} cannot start with a digit`, e.keySpan);
    if (e.value.kind !== 'seq' || e.value.items.length < 2)
      throw new PatchError('patch/bad-enum', `enumerated value ${e.key} needs [value, "description"]`, e.value.span);
    const value = asInteger(e.value.items[0] as PatchValue, `value of ${e.key}`);
    const description = asString(e.value.items[1] as PatchValue, `description of ${e.key}`);
    const key = value === -1 ? (1n << 64n) - 1n : BigInt(value);
    if (byValue.has(key)) throw new PatchError('patch/bad-enum', `enumerated value ${e.key} repeats the value ${value}`, e.value.span);
    const children = [
      makeElement('name', anchor, e.key),
      makeElement('description', anchor, description),
      value === -1 ? makeElement('isDefault', anchor, 'true') : makeElement('value', anchor, String(value)),
    ];
    byValue.set(key, makeElement('enumeratedValue', anchor, '', children));
  }
  return [...byValue.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
}

function enumSet(name: string | undefined, usage: Usage | undefined, values: readonly XmlElement[], anchor: number): XmlElement {
  return makeElement('enumeratedValues', anchor, '', [
    ...(name !== undefined ? [makeElement('name', anchor, name)] : []),
    ...(usage !== undefined ? [makeElement('usage', anchor, usage)] : []),
    ...values,
  ]);
}

function derivedSet(ref: string, anchor: number): XmlElement {
  const set = makeElement('enumeratedValues', anchor);
  setDerivedFrom(set, ref);
  return set;
}

/** svdtools' `set_enum`: where a new enumeration goes among the field's existing ones (at most one per direction). */
function setEnum(field: XmlElement, set: XmlElement, usage: Usage, replace: boolean, access: string, at: PatchEntry['keySpan']): void {
  const occupied = (): PatchError =>
    new PatchError('patch/enum-exists', `field ${nameOf(field)} already has ${usage} enumerated values (use _replace_enum to replace them)`, at);
  const sets = enumSetsOf(field);
  if (usage === 'read-write') {
    if (sets.length === 0 || replace) setEnumSets(field, [set]);
    else throw occupied();
    return;
  }
  const [v1, v2] = sets;
  if (!v1) {
    setEnumSets(field, [set]);
  } else if (!v2) {
    // The raw <usage>: a derived set without one counts as "none", as in svd-rs.
    const existing = usageOfSet(v1);
    if (existing === usage || existing === 'read-write') {
      if (!replace) throw occupied();
      setEnumSets(field, [set]);
    } else if (existing === undefined) {
      if (access === 'read-write' || access === 'read-writeOnce') {
        setText(v1, 'usage', usage === 'read' ? 'write' : 'read');
        setText(set, 'usage', usage);
        setEnumSets(field, [v1, set]);
      } else if (replace) {
        setEnumSets(field, [set]);
      } else {
        throw occupied();
      }
    } else {
      setEnumSets(field, [v1, set]);
    }
  } else if (sets.length === 2) {
    if (!replace) throw occupied();
    setEnumSets(
      field,
      sets.map((s) => (usageOfSet(s) === usage ? set : s)),
    );
  } else {
    throw new PatchError('patch/bad-enum', `field ${nameOf(field)} has more than two enumerations`, at);
  }
}

function fieldEnum(register: XmlElement, rawSpec: string, specIn: PatchMap, path: BlockPath, usage: Usage | undefined, at: PatchEntry['keySpan']): void {
  let spec = specIn;
  let replace = false;
  const replaceWith = get(spec, '_replace_enum');
  if (replaceWith !== undefined) {
    spec = asMap(replaceWith, '_replace_enum');
    replace = true;
  }
  const registerAccess = getText(register, 'access');
  const derivedName = getString(spec, '_derivedFrom');
  if (derivedName !== undefined) {
    const found = fieldsOf(register)
      .flatMap(enumSetsOf)
      .filter((s) => getText(s, 'name') === derivedName);
    if (found.length === 0) throw new PatchError('patch/no-match', `${pathText(path)}: no enumeration named ${derivedName} to derive from`, at);
    if (found.length > 1) throw new PatchError('patch/ambiguous', `${pathText(path)}: enumeration ${derivedName} is found several times`, at);
    const original = found[0] as XmlElement;
    if (derivedFrom(original) !== undefined)
      throw new PatchError('patch/unsupported', `${pathText(path)}: ${derivedName} is itself derived; multilevel derive is not supported`, at);
    const originalUsage = usageOfSet(original) ?? 'read-write';
    for (const f of fieldsMatching(register, rawSpec)) {
      const access = getText(f, 'access') ?? registerAccess ?? 'read-write';
      const checked = checkUsage(access, usage, at, nameOf(f));
      if (checked !== originalUsage) throw new PatchError('patch/usage-mismatch', `enumeration ${derivedName} is for ${originalUsage}, not ${checked}`, at);
      if (nameOf(f) === derivedName) throw new PatchError('patch/bad-enum', 'an enumeration cannot derive from itself', at);
      setEnum(f, derivedSet(derivedName, f.start), originalUsage, true, access, at);
    }
    return;
  }
  const { spec: fspec, optional } = parseSpec(rawSpec);
  let ignore = optional;
  const fields = fieldsOf(register);
  const candidates: { offset: number; name: string; index: number }[] = [];
  const widths = new Set<number>();
  fields.forEach((f, index) => {
    if (!matchName(nameOf(f), fspec)) return;
    if (derivedFrom(f) === undefined) {
      const bits = bitsOf(f);
      candidates.push({ offset: bits.offset, name: nameOf(f), index });
      widths.add(bits.width);
    } else {
      ignore = true;
    }
  });
  if (candidates.length === 0) {
    if (ignore) return;
    throw noField(register, fspec, path, at);
  }
  if (widths.size > 1)
    throw new PatchError('patch/width-mismatch', `${pathText(path)}: ${fspec} matches fields of different widths; one enumeration cannot serve them`, at);
  const lowest = candidates.reduce((a, b) => (b.offset < a.offset ? b : a));
  const firstIndex = Math.min(...candidates.map((c) => c.index));
  const explicitName = getString(spec, '_name');
  let name: string;
  if (explicitName !== undefined) name = explicitName;
  else {
    const base = lowest.name.replace(/%s/g, '');
    if (/^[0-9]/.test(base)) throw new PatchError('patch/bad-enum', `enumeration name ${base} cannot start with a digit; give _name`, at);
    name = base + (usage === 'read' ? 'R' : usage === 'write' ? 'W' : '');
  }
  for (const f of fields) {
    if (!matchName(nameOf(f), fspec)) continue;
    const access = accessOf(f, register);
    const checked = checkUsage(access, usage, at, nameOf(f));
    if (bitsOf(f).offset === lowest.offset) {
      setEnum(f, enumSet(name, writtenUsage(access, checked), enumValues(spec, f.start), f.start), checked, replace, access, at);
    } else {
      setEnum(f, derivedSet(name, f.start), checked, true, access, at);
    }
  }
  if (lowest.index !== firstIndex) {
    const reordered = [...fields];
    const [moved] = reordered.splice(lowest.index, 1);
    reordered.splice(firstIndex, 0, moved as XmlElement);
    setFields(register, reordered);
  }
}
