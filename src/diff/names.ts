import { editDistance } from '../diagnostics/suggest.ts';
/**
 * Name and text similarity used by the matcher features. Register-map names are short upper-case
 * identifiers whose revisions differ by vendor abbreviation habits (CONTROL → CTRL), case
 * (XIP_SSI → xip_ssi), prefixes (USART_CR1 → CR1) and digits (CR1 vs CR2 are different registers),
 * so every measure here looks at one of those habits.
 */

/** Splits an identifier into lower-case tokens at `_`, case changes and letter/digit boundaries. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

/** Lower case without separators: `Xip_Ssi` and `XIPSSI` compare equal. */
export function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The one edit distance, shared with every "did you mean". */
export { editDistance };

/** 1 for equal strings, 0 for nothing in common, by edit distance over the longer length. */
export function editSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}

/**
 * True when `short` reads as an abbreviation of `long`: same first letter, and its letters appear
 * in order in `long` (CTRL in CONTROL, CFG in CONFIG, PSC in PRESCALER).
 */
export function isAbbreviation(short: string, long: string): boolean {
  if (short.length < 2 || short.length >= long.length || short[0] !== long[0]) return false;
  let j = 0;
  for (let i = 0; i < long.length && j < short.length; i++) if (long[i] === short[j]) j++;
  return j === short.length;
}

/**
 * Abbreviation on the whole squashed name, or token by token when both have the same token count.
 * Takes precomputed squashed names and token lists: this runs for every candidate pair.
 */
export function abbreviationScore(sa: string, sb: string, ta: readonly string[], tb: readonly string[]): number {
  if (sa === sb) return 1;
  if (isAbbreviation(sa, sb) || isAbbreviation(sb, sa)) return 1;
  if (ta.length !== tb.length || ta.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < ta.length; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y || isAbbreviation(x, y) || isAbbreviation(y, x)) hits++;
  }
  return hits / ta.length;
}

/** 1 when one squashed name is the other with a prefix or suffix added (USART_CR1 vs CR1). */
export function affixScore(sa: string, sb: string): number {
  if (sa === sb) return 1;
  const [short, long] = sa.length < sb.length ? [sa, sb] : [sb, sa];
  if (short.length < 2) return 0;
  return long.startsWith(short) || long.endsWith(short) ? short.length / long.length : 0;
}

/** The digit groups of a name (CR1 → ['1'], CH10_CTRL2 → ['10','2']). */
export function digitGroups(name: string): string {
  return (name.match(/[0-9]+/g) ?? []).join(',');
}

const STOP_WORDS = new Set([
  'the',
  'a',
  'an',
  'of',
  'to',
  'in',
  'is',
  'and',
  'or',
  'for',
  'this',
  'bit',
  'register',
  'field',
  'be',
  'when',
  'on',
  'by',
  'with',
  'it',
  'at',
]);

/** Word set of a description, for a cheap description similarity. */
export function descriptionWords(text: string | undefined): Set<string> {
  if (!text) return new Set();
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1 && !STOP_WORDS.has(w)),
  );
}
