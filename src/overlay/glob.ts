/**
 * Name globs of overlay entries: `*` (any run within one name), `**` (across dots, for paths), `?` (one character), `[abc]` / `[a-z]` (one of),
 * `{a,b}` (alternatives, not nested). Matched against whole names, case-sensitively, as vendor
 * register maps spell them.
 */
const cache = new Map<string, RegExp>();

export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let source = '';
  let inAlternatives = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^.]*';
    else if (c === '?') source += '[^.]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{' && !inAlternatives) {
      inAlternatives = true;
      source += '(?:';
    } else if (c === '}' && inAlternatives) {
      inAlternatives = false;
      source += ')';
    } else if (c === ',' && inAlternatives) source += '|';
    else source += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
  }
  if (inAlternatives) source += ')';
  const re = new RegExp(`^${source}$`);
  cache.set(pattern, re);
  return re;
}

export function matchesGlob(pattern: string, name: string): boolean {
  return isGlob(pattern) ? globToRegExp(pattern).test(name) : pattern === name;
}
