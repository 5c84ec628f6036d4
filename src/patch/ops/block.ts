import type { XmlElement } from '../../importers/xml/index.ts';
import { matchName, parseSpec } from '../glob.ts';
import { asMap, get, getString, mapEntries, PatchError, stringList, type PatchEntry, type PatchMap } from '../node.ts';
import { allRegisters, blockItems, clustersOf, derivedFrom, nameOf, registersOf, setBlockItems } from '../svd-tree.ts';
import { collectRegisterArray } from './array.ts';
import { modifyCluster, modifyRegister, newCluster, newRegister, applyDim } from './build.ts';
import { BLOCK_OPERATIONS, collectCluster } from './cluster.ts';
import { copyRegister } from './copy.ts';
import { deriveRegister } from './derive.ts';
import { expandArray, expandCluster } from './expand.ts';
import { addInterrupts, deleteInterrupts, modifyInterrupts } from './interrupts.ts';
import { blockPathText, type BlockPath } from './path.ts';
import { clearFields, processRegister } from './register.ts';
import { addAffix, CLUSTER_NAME_TAGS, REGISTER_NAME_TAGS, stripEnd, stripStart } from './strip.ts';

/** Keys of a peripheral (or cluster) patch that are operations; the others name registers or clusters. */
export const BLOCK_KEYWORDS = new Set([...BLOCK_OPERATIONS, '_interrupts']);

/**
 * A peripheral patch in svdtools' order: `_delete`, `_copy`, `_strip`, `_strip_end`, `_prefix`,
 * `_suffix`, `_modify`, `_clear_fields`, `_add`, `_derive`, register/cluster entries,
 * `_expand_array`, `_array`, `_cluster`, `_clusters`, `_expand_cluster`. A peripheral that is
 * derivedFrom another only takes interrupt edits.
 */
export function processPeripheral(peripheral: XmlElement, patch: PatchMap): void {
  if (derivedFrom(peripheral) !== undefined) {
    const deletions = get(patch, '_delete');
    if (deletions?.kind === 'map') deleteInterrupts(peripheral, stringList(deletions, '_interrupts'));
    for (const e of mapEntries(patch, '_modify')) if (e.key === '_interrupts') modifyInterrupts(peripheral, asMap(e.value, e.key));
    for (const e of mapEntries(patch, '_add')) if (e.key === '_interrupts') addInterrupts(peripheral, asMap(e.value, e.key));
    return;
  }
  const path: BlockPath = { peripheral: nameOf(peripheral), clusters: [] };
  preProcess(peripheral, patch, path, true);
  for (const e of patch.entries) if (!BLOCK_KEYWORDS.has(e.key)) processChild(peripheral, e, path);
  postProcess(peripheral, patch, path);
}

function processClusterBlock(cluster: XmlElement, patch: PatchMap, parent: BlockPath): void {
  const path: BlockPath = { ...parent, clusters: [...parent.clusters, nameOf(cluster)] };
  preProcess(cluster, patch, path, false);
  for (const e of mapEntries(patch, '_clusters')) processNamedClusters(cluster, e, path);
  for (const e of patch.entries) if (!BLOCK_KEYWORDS.has(e.key)) processChild(cluster, e, path);
  postProcessArrays(cluster, patch, path);
}

function deleteItems(block: XmlElement, spec: string, kind: 'register' | 'cluster' | 'any', at: PatchEntry['keySpan'], strict: boolean): void {
  const { spec: s, optional } = parseSpec(spec);
  const items = blockItems(block);
  const kept = items.filter((i) => !((kind === 'any' || i.local === kind) && matchName(nameOf(i), kind === 'cluster' ? s : spec)));
  if (strict && kept.length === items.length && !optional) throw new PatchError('patch/no-match', `_delete: no cluster matches ${s}`, at);
  setBlockItems(block, kept);
}

function preProcess(block: XmlElement, patch: PatchMap, path: BlockPath, isPeripheral: boolean): void {
  const deletions = get(patch, '_delete');
  if (deletions?.kind === 'scalar' && typeof deletions.value === 'string') deleteItems(block, deletions.value, 'any', deletions.span, false);
  else if (deletions?.kind === 'seq') for (const i of deletions.items) deleteItems(block, stringOf(i), 'any', i.span, false);
  else if (deletions?.kind === 'map') {
    for (const { value, span } of stringList(deletions, '_registers')) deleteItems(block, value, 'register', span, false);
    for (const { value, span } of stringList(deletions, '_clusters')) deleteItems(block, value, 'cluster', span, true);
    if (isPeripheral) deleteInterrupts(block, stringList(deletions, '_interrupts'));
    for (const e of deletions.entries) {
      if (!['_registers', '_clusters', '_interrupts'].includes(e.key))
        throw new PatchError('patch/bad-value', '_delete takes a name, a list of names, or _registers/_clusters/_interrupts lists', e.keySpan);
    }
  } else if (deletions !== undefined && !(deletions.kind === 'scalar' && deletions.value === null)) {
    throw new PatchError('patch/bad-value', '_delete takes a name, a list of names, or _registers/_clusters/_interrupts lists', deletions.span);
  }
  for (const e of mapEntries(patch, '_copy')) {
    if (e.key === '_registers') for (const c of asMap(e.value, e.key).entries) copyRegister(block, c, asMap(c.value, c.key), path);
    else if (e.key === '_clusters') throw new PatchError('patch/unsupported', '_copy of clusters is not implemented by svdtools 0.5.0 either', e.keySpan);
    else copyRegister(block, e, asMap(e.value, e.key), path);
  }
  const names = (): XmlElement[] => registersOf(block);
  for (const { value } of stringList(patch, '_strip')) {
    stripStart(names(), value, REGISTER_NAME_TAGS);
    stripStart(clustersOf(block), value, CLUSTER_NAME_TAGS);
  }
  for (const { value } of stringList(patch, '_strip_end')) {
    stripEnd(names(), value, REGISTER_NAME_TAGS);
    stripEnd(clustersOf(block), value, CLUSTER_NAME_TAGS);
  }
  const prefix = getString(patch, '_prefix');
  if (prefix !== undefined) addAffix(names(), prefix, 'prefix', REGISTER_NAME_TAGS);
  const suffix = getString(patch, '_suffix');
  if (suffix !== undefined) addAffix(names(), suffix, 'suffix', REGISTER_NAME_TAGS);
  for (const e of mapEntries(patch, '_modify')) {
    if (e.key === '_registers') for (const r of asMap(e.value, e.key).entries) modifyMatching(block, r, 'register', path);
    else if (e.key === '_clusters') for (const c of asMap(e.value, e.key).entries) modifyMatching(block, c, 'cluster', path);
    else if (e.key === '_interrupts') {
      if (isPeripheral) modifyInterrupts(block, asMap(e.value, e.key));
    } else modifyMatching(block, e, 'either', path);
  }
  for (const { value } of stringList(patch, '_clear_fields')) {
    for (const r of allRegisters(block)) if (matchName(nameOf(r), value) && derivedFrom(r) === undefined) clearFields(r, '*');
  }
  for (const e of mapEntries(patch, '_add')) {
    if (e.key === '_registers') for (const r of asMap(e.value, e.key).entries) addItem(block, r, 'register', path);
    else if (e.key === '_clusters') for (const c of asMap(e.value, e.key).entries) addItem(block, c, 'cluster', path);
    else if (e.key === '_interrupts') {
      if (isPeripheral) addInterrupts(block, asMap(e.value, e.key));
    } else addItem(block, e, 'register', path);
  }
  for (const e of mapEntries(patch, '_derive')) {
    if (e.key === '_registers') for (const r of asMap(e.value, e.key).entries) deriveRegister(block, r, path);
    else if (e.key === '_clusters') throw new PatchError('patch/unsupported', '_derive of clusters is not implemented by svdtools 0.5.0 either', e.keySpan);
    else deriveRegister(block, e, path);
  }
}

function stringOf(v: PatchEntry['value']): string {
  if (v.kind === 'scalar' && typeof v.value === 'string') return v.value;
  throw new PatchError('patch/bad-value', 'expected a name', v.span);
}

function modifyMatching(block: XmlElement, e: PatchEntry, kind: 'register' | 'cluster' | 'either', path: BlockPath): void {
  const { spec, optional } = parseSpec(e.key);
  const mod = asMap(e.value, e.key);
  const registers = kind === 'cluster' ? [] : registersOf(block).filter((r) => matchName(nameOf(r), spec));
  if (registers.length > 0 || (kind === 'register' && optional) || (kind === 'either' && optional)) {
    for (const r of registers) {
      applyDim(r, mod);
      modifyRegister(r, mod, path);
    }
    if (registers.length > 0 || kind !== 'either') return;
    return;
  }
  if (kind === 'register') throw noMatch(block, spec, 'register', e, path);
  const clusters = clustersOf(block).filter((c) => matchName(nameOf(c), spec));
  if (clusters.length === 0 && !optional) throw noMatch(block, spec, kind === 'cluster' ? 'cluster' : 'register', e, path);
  for (const c of clusters) {
    applyDim(c, mod);
    modifyCluster(c, mod, path);
  }
}

function noMatch(block: XmlElement, spec: string, kind: 'register' | 'cluster', e: PatchEntry, path: BlockPath): PatchError {
  const present = kind === 'register' ? registersOf(block) : clustersOf(block);
  return new PatchError(
    'patch/no-match',
    `no ${kind} of ${blockPathText(path)} matches ${spec}; present ${kind}s: ${present.map(nameOf).join(', ')}`,
    e.keySpan,
  );
}

/** Inserts after the last item whose offset is not above the new one (svdtools' `adding_pos`). */
function insertByOffset(block: XmlElement, element: XmlElement): void {
  const items = blockItems(block);
  const offset = (x: XmlElement): number => Number(x.children.find((c) => c.local === 'addressOffset')?.text.trim() ?? 0);
  const at = offset(element);
  let pos = 0;
  let best = -Infinity;
  items.forEach((x, i) => {
    const o = offset(x);
    if (o <= at && o >= best) {
      if (o > best || i + 1 > pos) pos = i + 1;
      best = o;
    }
  });
  items.splice(pos, 0, element);
  setBlockItems(block, items);
}

function addItem(block: XmlElement, e: PatchEntry, kind: 'register' | 'cluster', path: BlockPath): void {
  const exists = (kind === 'register' ? registersOf(block) : clustersOf(block)).some((x) => nameOf(x) === e.key);
  if (exists) throw new PatchError('patch/already-exists', `_add: ${blockPathText(path)} already has a ${kind} ${e.key}`, e.keySpan);
  const spec = asMap(e.value, e.key);
  const element = kind === 'register' ? newRegister(e.key, spec, block.start, path) : newCluster(e.key, spec, block.start, path);
  insertByOffset(block, element);
}

function processChild(block: XmlElement, e: PatchEntry, path: BlockPath): void {
  const { spec, optional } = parseSpec(e.key);
  const patch = asMap(e.value, e.key);
  const registers = registersOf(block).filter((r) => matchName(nameOf(r), spec));
  if (registers.length > 0 || optional) {
    for (const r of registers) processRegister(r, patch, path);
    return;
  }
  const clusters = clustersOf(block).filter((c) => matchName(nameOf(c), spec));
  if (clusters.length === 0) throw noMatch(block, spec, 'register', e, path);
  for (const c of clusters) processClusterBlock(c, patch, path);
}

function processNamedClusters(block: XmlElement, e: PatchEntry, path: BlockPath): void {
  const { spec, optional } = parseSpec(e.key);
  const clusters = clustersOf(block).filter((c) => matchName(nameOf(c), spec));
  if (clusters.length === 0 && !optional) throw noMatch(block, spec, 'cluster', e, path);
  for (const c of clusters) processClusterBlock(c, asMap(e.value, e.key), path);
}

function postProcessArrays(block: XmlElement, patch: PatchMap, path: BlockPath): void {
  for (const e of mapEntries(patch, '_expand_array')) expandArray(block, e);
  for (const e of mapEntries(patch, '_array')) {
    const items = blockItems(block);
    const options = asMap(e.value, e.key);
    const array = collectRegisterArray(items, e, options, path);
    setBlockItems(block, items);
    if (array) processRegister(array, options, path, true);
  }
  for (const e of mapEntries(patch, '_cluster')) {
    const items = blockItems(block);
    const { cluster, members } = collectCluster(items, e, path);
    setBlockItems(block, items);
    const clusterPath: BlockPath = { ...path, clusters: [...path.clusters, nameOf(cluster)] };
    for (const m of members) {
      processRegister(m.register, m.patch, clusterPath, true);
      m.rename(m.register);
    }
    // svdtools then runs the mapping's own operations (_delete, _modify, _derive, _array...) inside the cluster.
    const spec = asMap(e.value, e.key);
    preProcess(cluster, spec, clusterPath, false);
    postProcessArrays(cluster, spec, clusterPath);
  }
}

function postProcess(block: XmlElement, patch: PatchMap, path: BlockPath): void {
  postProcessArrays(block, patch, path);
  for (const e of mapEntries(patch, '_clusters')) processNamedClusters(block, e, path);
  const expand = get(patch, '_expand_cluster');
  if (expand) expandCluster(block, expand, path);
}
