import type { XmlElement } from '../../importers/xml/index.ts';
import { parseDimIndex } from '../../importers/svd/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { asMap, getBool, getString, PatchError, type PatchEntry, type PatchValue } from '../node.ts';
import {
  blockItems,
  clustersOf,
  deepClone,
  getInt,
  getText,
  isArray,
  nameOf,
  removeChildren,
  setBlockItems,
  setInt,
  setText,
  DIM_TAGS,
  setDerivedFrom,
} from '../svd-tree.ts';
import { blockPathText, type BlockPath } from './path.ts';

/** `_expand_array`: register arrays matching the spec become one register per element. */
export function expandArray(block: XmlElement, entry: PatchEntry): void {
  const { spec } = parseSpec(entry.key);
  let found = false;
  const out: XmlElement[] = [];
  for (const item of blockItems(block)) {
    if (item.local === 'register' && isArray(item) && matchName(nameOf(item), spec)) {
      found = true;
      out.push(...expandElements(item));
    } else out.push(item);
  }
  if (!found) throw new PatchError('patch/no-match', `_expand_array: no register array matches ${spec}`, entry.keySpan);
  setBlockItems(block, out);
}

function indexesOf(e: XmlElement): string[] {
  const dim = getInt(e, 'dim') ?? 1;
  const text = getText(e, 'dimIndex');
  return (text !== undefined ? parseDimIndex(text) : undefined) ?? Array.from({ length: dim }, (_, i) => String(i));
}

/** svd-rs' `expand`: one element per index, `%s` (or `[%s]`) replaced, offsets stepped. */
function expandElements(e: XmlElement): XmlElement[] {
  const indexes = indexesOf(e);
  const stride = getInt(e, 'dimIncrement') ?? 0;
  const offset = getInt(e, 'addressOffset') ?? 0;
  const name = nameOf(e);
  return indexes.map((index, i) => {
    const copy = deepClone(e);
    removeChildren(copy, DIM_TAGS);
    setText(copy, 'name', name.replace('[%s]', index).replace('%s', index));
    const display = getText(copy, 'displayName');
    if (display !== undefined) setText(copy, 'displayName', display.replace('[%s]', index).replace('%s', index));
    const description = getText(copy, 'description');
    if (description !== undefined) setText(copy, 'description', description.replace('[%s]', index).replace('%s', index));
    setInt(copy, 'addressOffset', offset + i * stride);
    return copy;
  });
}

/** `_expand_cluster`: cluster arrays (or single clusters) dissolve into registers named after the cluster. */
export function expandCluster(block: XmlElement, value: PatchValue, path: BlockPath): void {
  const specs: { spec: string; at: PatchEntry['keySpan']; pre?: string; post?: string; zero?: boolean; noprefix?: boolean }[] = [];
  if (value.kind === 'scalar' && typeof value.value === 'string') specs.push({ spec: value.value, at: value.span });
  else if (value.kind === 'seq') for (const i of value.items) specs.push({ spec: String(i.kind === 'scalar' ? i.value : ''), at: i.span });
  else if (value.kind === 'map') {
    for (const e of value.entries) {
      const o = asMap(e.value, e.key);
      for (const k of o.entries)
        if (!['_preindex', '_postindex', '_zeroindex', '_noprefix'].includes(k.key))
          throw new PatchError('patch/bad-value', `_expand_cluster: unknown option ${k.key}`, k.keySpan);
      const pre = getString(o, '_preindex');
      const post = getString(o, '_postindex');
      const zero = getBool(o, '_zeroindex');
      const noprefix = getBool(o, '_noprefix');
      specs.push({
        spec: e.key,
        at: e.keySpan,
        ...(pre !== undefined ? { pre } : {}),
        ...(post !== undefined ? { post } : {}),
        ...(zero !== undefined ? { zero } : {}),
        ...(noprefix !== undefined ? { noprefix } : {}),
      });
    }
  } else throw new PatchError('patch/bad-value', '_expand_cluster takes a name, a list or a mapping', value.span);
  for (const s of specs) {
    const { spec, optional } = parseSpec(s.spec);
    const clusters = clustersOf(block).filter((c) => isArray(c) && matchName(nameOf(c), spec));
    if (clusters.length === 0) {
      if (optional) continue;
      throw new PatchError('patch/no-match', `_expand_cluster: no cluster array of ${blockPathText(path)} matches ${spec}`, s.at);
    }
    const items = blockItems(block).filter((i) => !clusters.includes(i));
    for (const c of clusters) {
      const dim = getInt(c, 'dim') ?? 1;
      const indexes = getText(c, 'dimIndex');
      const stride = getInt(c, 'dimIncrement') ?? 0;
      const base = getInt(c, 'addressOffset') ?? 0;
      const cname = nameOf(c);
      const pre = s.pre ?? '_';
      const post = s.post ?? '_';
      const members = blockItems(c);
      if (members.length === 0) throw new PatchError('patch/no-match', `_expand_cluster: cluster ${cname} has no registers`, s.at);
      for (let n = 0; n < dim; n++) {
        let prefix: string;
        if (dim > 1 || s.zero === true) {
          if (s.noprefix === true)
            throw new PatchError('patch/bad-value', `_expand_cluster: ${cname} has several elements; _noprefix needs a single one`, s.at);
          const list = indexes !== undefined ? parseDimIndex(indexes) : undefined;
          if (list && cname.includes('[%s]')) throw new PatchError('patch/bad-value', `_expand_cluster: ${cname} uses both dimIndex and [%s]`, s.at);
          if (list) {
            if (list.length !== dim) throw new PatchError('patch/bad-value', `_expand_cluster: ${cname} has ${list.length} indexes for ${dim} elements`, s.at);
            prefix = `${cname.replace('%s', `${pre}${list[n]}`)}${post}`;
          } else if (cname.includes('[%s]')) prefix = `${cname.replace('[%s]', `${pre}${n}`)}${post}`;
          else prefix = `${cname}${pre}${n}${post}`;
        } else if (s.noprefix === true) prefix = '';
        else prefix = `${cname.replace('[%s]', '').replace('%s', '')}${post}`;
        for (const m of members) {
          const copy = deepClone(m);
          setInt(copy, 'addressOffset', (getInt(m, 'addressOffset') ?? 0) + base + n * stride);
          setText(copy, 'name', `${prefix}${nameOf(m)}`);
          if (m.attributes?.['derivedFrom'] !== undefined) setDerivedFrom(copy, m.attributes['derivedFrom']);
          items.push(copy);
        }
      }
    }
    setBlockItems(block, items);
  }
}
