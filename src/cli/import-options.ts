import { resolve } from 'node:path';
import type { ImportLimits, ImportOptions } from '../importers/index.ts';
import { UsageError, type ParsedArgs } from './command.ts';

/** The import limits as command-line options (docs/limits.md); each overrides one default. */
export const LIMIT_OPTIONS: Readonly<Record<string, keyof ImportLimits>> = {
  'max-bytes': 'maxBytes',
  'max-nodes': 'maxNodes',
  'max-dim': 'maxDim',
  'max-depth': 'maxDepth',
};

/**
 * `-I DIR` (repeatable): folders SystemRDL `` `include `` may read from, besides the including file's.
 * `--max-bytes N`, `--max-nodes N`, `--max-dim N`, `--max-depth N`: import limits.
 */
export const importCliOptions = {
  include: { type: 'string', short: 'I', multiple: true },
  'max-bytes': { type: 'string' },
  'max-nodes': { type: 'string' },
  'max-dim': { type: 'string' },
  'max-depth': { type: 'string' },
} as const;

/** The limits given on the command line (positive integers; `k`/`M`/`G` suffixes for bytes). */
export function limitsFrom(values: ParsedArgs['values']): Partial<ImportLimits> {
  const limits: Partial<Record<keyof ImportLimits, number>> = {};
  for (const [option, key] of Object.entries(LIMIT_OPTIONS)) {
    const raw = values[option];
    if (raw === undefined) continue;
    const m = /^(\d+)([kKmMgG]?)$/.exec(String(raw).replace(/_/g, ''));
    const n = m ? Number(m[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'] : NaN;
    if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${option} needs a positive whole number (got ${JSON.stringify(raw)})`);
    limits[key] = n;
  }
  return limits;
}

/** The import options a command line gives; relative files and `-I` folders are read from `cwd`, the command's directory. */
export function importOptionsFrom(values: ParsedArgs['values'], cwd: string): ImportOptions {
  const include = values.include;
  const paths = Array.isArray(include) ? include.filter((x): x is string => typeof x === 'string') : typeof include === 'string' ? [include] : [];
  const limits = limitsFrom(values);
  return { cwd, ...(paths.length ? { includePaths: paths.map((p) => resolve(cwd, p)) } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
}
