/**
 * "Did you mean" for every unknown name a user can type: commands, options, enum values, field and
 * register paths in contracts and overlays. One edit distance and one closeness rule, so the same
 * typo gets the same suggestion wherever it is made.
 */

/** Levenshtein distance with one rolling row (names are short). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * How far a typo may be from the name meant: one edit for short names, about a third of the
 * length for longer ones. Farther than that, a suggestion is more often wrong than helpful.
 */
export function maxSuggestDistance(name: string): number {
  return Math.max(1, Math.floor(name.length / 3));
}

/**
 * The candidate closest to `name` (compared case-insensitively), or undefined when none is close
 * enough. Ties go to the earliest candidate, so the answer does not depend on anything but the input order.
 * A candidate that differs only in case is always suggested.
 */
export function suggest(name: string, candidates: Iterable<string>, maxDistance = maxSuggestDistance(name)): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    // A prefix typed in full ("--fail" for "--fail-on") is as good a hint as a one-letter typo.
    const distance = lower === wanted ? 0 : lower.startsWith(wanted) && wanted.length >= 3 ? 1 : editDistance(wanted, lower);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean X?` for a diagnostic hint or a usage message, or undefined when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const near = suggest(name, candidates);
  return near === undefined ? undefined : `did you mean ${near}?`;
}
