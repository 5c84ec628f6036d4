/**
 * Name matching of svdtools patches. A spec is a glob (`*`, `?`, `[ABC]`, `[0-9]`, `[!x]`,
 * `{a,b}`, `\` escapes), or a comma-separated list of globs when it has no `{`. Matching is of the
 * whole name and case-sensitive. A leading `?~` marks a rule optional: matching nothing is then silent.
 */

const cache = new Map<string, RegExp>();

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function globToRegex(glob: string): RegExp {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i] as string);
    } else if (c === '*') {
      while (glob[i + 1] === '*') i++;
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      const close = glob.indexOf(']', glob[i + 1] === ']' || ((glob[i + 1] === '!' || glob[i + 1] === '^') && glob[i + 2] === ']') ? i + 3 : i + 1);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (x) => `\\${x}`)}]`;
      i = close;
    } else if (c === '{' && !inBraces) {
      inBraces = true;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) {
      out += '|';
    } else {
      out += escapeRegex(c);
    }
  }
  if (inBraces) out += ')';
  return new RegExp(`^${out}$`, 's');
}

const SPECIAL = /[*?[{\\]/;

export function globMatches(name: string, glob: string): boolean {
  // Most specs are plain names: compare them without a regex.
  if (!SPECIAL.test(glob)) return name === glob;
  let re = cache.get(glob);
  if (!re) {
    re = globToRegex(glob);
    cache.set(glob, re);
  }
  return re.test(name);
}

/** The first comma-separated alternative of `spec` that matches `name` (the whole spec when it uses `{}`). */
export function matchSubspec(name: string, spec: string): string | undefined {
  if (!spec.includes(',') || spec.includes('{')) return globMatches(name, spec) ? spec : undefined;
  for (const sub of spec.split(',')) if (globMatches(name, sub)) return sub;
  return undefined;
}

export function matchName(name: string, spec: string): boolean {
  return matchSubspec(name, spec) !== undefined;
}

/** Splits the optional marker: `?~TIM1` → { spec: 'TIM1', optional: true }. */
export function parseSpec(raw: string): { spec: string; optional: boolean } {
  return raw.startsWith('?~') ? { spec: raw.slice(2), optional: true } : { spec: raw, optional: false };
}

const INDEX_TOKEN = /^[\w%]*((?:[?*]|\[\d+(?:-\d+)?\]|\[[a-zA-Z]+(?:-[a-zA-Z]+)?\])+)[\w%]*$/;

/**
 * Where the varying part of an array spec is: characters before it and after it, e.g.
 * `TMR[1-57]_MUX` → [3, 4]. Undefined when the spec has no single wildcard token.
 */
export function indexToken(spec: string): [number, number] | undefined {
  const first = spec.split(',')[0] ?? spec;
  const m = INDEX_TOKEN.exec(first);
  if (!m || m[1] === undefined) return undefined;
  // The prefix `[\w%]*` stops at the first wildcard character, where the token starts.
  const tokenStart = /^[\w%]*/.exec(first)?.[0].length ?? 0;
  const tokenEnd = tokenStart + m[1].length;
  return [tokenStart, first.length - tokenEnd];
}
