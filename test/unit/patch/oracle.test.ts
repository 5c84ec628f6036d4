/**
 * The svdtools oracle: stm32-rs's device patches applied by specdrive must give the same device as
 * svdtools 0.5.0's own output (`.svd.patched`, committed in ../shared/data/svdtools), both imported
 * by specdrive's SVD importer. Compared: the whole IR (peripherals, registers, fields, enumerated
 * values, addresses, sizes, resets, access, arrays: canonical JSON, descriptions included) and,
 * on the SVD trees, every derivedFrom and dim group (the IR resolves derivation away).
 *
 * Every remaining difference must be listed in EXPECTED_DIFFERENCES with its reason; the test fails
 * when one appears or disappears.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/importers/index.ts';
import { parseDimIndex, parseSvdInteger } from '../../../src/importers/svd/index.ts';
import { parseXml, type XmlElement } from '../../../src/importers/xml/index.ts';
import { canonicalJson } from '../../../src/ir/canonical.ts';
import { importPatchedSvd, patchSvdFile } from '../../../src/patch/index.ts';
import { sharedData } from '../../helpers/demo.ts';

const SVDTOOLS = join(sharedData, 'svdtools');
/** A device takes ≈10 s on the loaded 2-core machine; the margin keeps the test honest under load. */
const HEAVY = 180_000;

/** Differences between specdrive's patching and svdtools' output that are understood, with why. None remain today. */
const EXPECTED_DIFFERENCES: Readonly<Record<string, readonly { readonly path: string; readonly reason: string }[]>> = {
  stm32f407: [],
  stm32c031: [],
};

/** Structural differences of two JSON values; lists of named objects are matched by name. */
function jsonDifferences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const named = a.every((x) => typeof x === 'object' && x !== null && 'name' in x) && b.every((x) => typeof x === 'object' && x !== null && 'name' in x);
    if (!named) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${JSON.stringify(a).slice(0, 80)} ≠ ${JSON.stringify(b).slice(0, 80)}`);
      return;
    }
    const byName = (list: unknown[]): Map<string, unknown> => new Map(list.map((x) => [String((x as { name: unknown }).name), x]));
    const am = byName(a);
    const bm = byName(b);
    for (const name of new Set([...am.keys(), ...bm.keys()])) {
      if (!am.has(name)) out.push(`${path}[${name}]: only in svdtools' output`);
      else if (!bm.has(name)) out.push(`${path}[${name}]: only in specdrive's`);
      else jsonDifferences(am.get(name), bm.get(name), `${path}[${name}]`, out);
    }
    return;
  }
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ao), ...Object.keys(bo)])) jsonDifferences(ao[key], bo[key], `${path}.${key}`, out);
    return;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
}

const text = (e: XmlElement, local: string): string | undefined => e.children.find((c) => c.local === local)?.text.trim();

/** derivedFrom and the dim group of every element of an SVD tree, keyed by its name path. */
function treeFacts(device: XmlElement): Map<string, string> {
  const facts = new Map<string, string>();
  const visit = (e: XmlElement, path: string): void => {
    const dim = text(e, 'dim');
    const index = text(e, 'dimIndex');
    const fact = [
      e.attributes?.['derivedFrom'] !== undefined ? `derivedFrom=${e.attributes['derivedFrom']}` : '',
      dim !== undefined
        ? `dim=${parseSvdInteger(dim)}/${parseSvdInteger(text(e, 'dimIncrement') ?? '0')}/${index !== undefined ? (parseDimIndex(index) ?? [index]).join(',') : ''}`
        : '',
      e.local === 'enumeratedValues' ? `usage=${text(e, 'usage') ?? ''} name=${text(e, 'name') ?? ''}` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
    if (fact !== '') facts.set(path, fact);
    let enumIndex = 0;
    for (const c of e.children) {
      if (['peripherals', 'registers', 'fields'].includes(c.local)) visit(c, path);
      else if (['peripheral', 'cluster', 'register', 'field'].includes(c.local)) visit(c, `${path}/${c.local}:${text(c, 'name') ?? '?'}`);
      else if (c.local === 'enumeratedValues') visit(c, `${path}/enum#${enumIndex++}`);
    }
  };
  visit(device, '');
  return facts;
}

function mapDifferences(mine: Map<string, string>, theirs: Map<string, string>): string[] {
  const out: string[] = [];
  for (const key of new Set([...mine.keys(), ...theirs.keys()])) {
    if (mine.get(key) !== theirs.get(key)) out.push(`svd${key}: ${mine.get(key) ?? '(none)'} ≠ ${theirs.get(key) ?? '(none)'}`);
  }
  return out.sort();
}

describe.each(Object.keys(EXPECTED_DIFFERENCES))('svdtools oracle: %s', (device) => {
  const patchFile = join(SVDTOOLS, 'devices', `${device}.yaml`);
  const referenceFile = join(SVDTOOLS, 'svd', `${device}.svd.patched.gz`);

  it(
    'gives the device svdtools gives, up to the listed differences',
    () => {
      const mine = importPatchedSvd(patchFile);
      expect(mine.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const reference = importFile(referenceFile);
      expect(reference.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const irDifferences: string[] = [];
      jsonDifferences(JSON.parse(canonicalJson(mine.value!)), JSON.parse(canonicalJson(reference.value!)), 'ir', irDifferences);

      const patched = patchSvdFile(patchFile);
      const referenceTree = parseXml(gunzipSync(readFileSync(referenceFile)).toString('utf8'), referenceFile, {
        maxBytes: 1 << 28,
        maxDepth: 64,
        maxElements: 1 << 24,
      });
      const treeDifferences = mapDifferences(treeFacts(patched.tree!.root), treeFacts(referenceTree.value!.root));

      const expected = (EXPECTED_DIFFERENCES[device] ?? []).map((d) => d.path).sort();
      expect([...irDifferences, ...treeDifferences].sort()).toEqual(expected);
    },
    HEAVY,
  );

  it(
    'really patches: the unpatched SVD differs from svdtools output in many places',
    () => {
      const raw = importFile(join(SVDTOOLS, 'svd', `${device}.svd.gz`));
      const reference = importFile(referenceFile);
      const differences: string[] = [];
      jsonDifferences(JSON.parse(canonicalJson(raw.value!)), JSON.parse(canonicalJson(reference.value!)), 'ir', differences);
      // If the comparison could not see a patch, the oracle above would prove nothing.
      expect(differences.length).toBeGreaterThan(100);
      const facts = treeFacts(patchSvdFile(patchFile).tree!.root);
      expect([...facts.values()].filter((f) => f.startsWith('derivedFrom=')).length).toBeGreaterThan(10);
      expect([...facts.values()].filter((f) => f.includes('dim=')).length).toBeGreaterThan(10);
    },
    HEAVY,
  );
});
