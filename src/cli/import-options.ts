import type { ImportOptions } from '../importers/index.ts';
import type { ParsedArgs } from './command.ts';

/** `-I DIR` (repeatable): folders SystemRDL `` `include `` may read from, besides the including file's. */
export const importCliOptions = {
  include: { type: 'string', short: 'I', multiple: true },
} as const;

export function importOptionsFrom(values: ParsedArgs['values']): ImportOptions {
  const include = values.include;
  const paths = Array.isArray(include) ? include.filter((x): x is string => typeof x === 'string') : typeof include === 'string' ? [include] : [];
  return paths.length ? { includePaths: paths } : {};
}
