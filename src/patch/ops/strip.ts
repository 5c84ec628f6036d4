import type { XmlElement } from '../../importers/xml/index.ts';
import { globMatches } from '../glob.ts';
import { getText, setText } from '../svd-tree.ts';

/**
 * `_strip` / `_strip_end` / `_prefix` / `_suffix` on names. A strip pattern is a glob
 * (`GPIO?_`): names that start (end) with a match lose as many characters as the pattern has.
 * Names that do not match are left alone, silently (svdtools does the same).
 */
export function stripStart(elements: readonly XmlElement[], prefix: string, tags: readonly string[]): void {
  const glob = `${prefix}*`;
  for (const e of elements) {
    for (const tag of tags) {
      const v = getText(e, tag);
      if (v !== undefined && globMatches(v, glob)) setText(e, tag, v.slice(prefix.length));
    }
  }
}

export function stripEnd(elements: readonly XmlElement[], suffix: string, tags: readonly string[]): void {
  const glob = `*${suffix}`;
  for (const e of elements) {
    for (const tag of tags) {
      const v = getText(e, tag);
      if (v !== undefined && globMatches(v, glob)) setText(e, tag, v.slice(0, v.length - suffix.length));
    }
  }
}

export function addAffix(elements: readonly XmlElement[], affix: string, where: 'prefix' | 'suffix', tags: readonly string[]): void {
  for (const e of elements) {
    for (const tag of tags) {
      const v = getText(e, tag);
      if (v !== undefined) setText(e, tag, where === 'prefix' ? affix + v : v + affix);
    }
  }
}

/** Name-like elements each kind carries: registers rename their displayName and alternateRegister too. */
export const REGISTER_NAME_TAGS = ['name', 'displayName', 'alternateRegister'];
export const CLUSTER_NAME_TAGS = ['name', 'headerStructName', 'alternateCluster'];
export const FIELD_NAME_TAGS = ['name'];
