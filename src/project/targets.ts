import * as z from 'zod';

/**
 * Target names: `ts` and `typescript` (and `py`/`python`) name the same target on the command line,
 * in specdrive.yaml and in profiles. Canonical names are the project's: c, typescript, python, docs, svd.
 */
export const TARGETS = ['c', 'typescript', 'python', 'docs', 'svd'] as const;
export type TargetName = (typeof TARGETS)[number];
export const TARGET_ALIASES: Readonly<Record<string, TargetName>> = { ts: 'typescript', py: 'python' };

/** The canonical name of a target or alias, or undefined. */
export function canonicalTarget(name: string): TargetName | undefined {
  if ((TARGETS as readonly string[]).includes(name)) return name as TargetName;
  return TARGET_ALIASES[name];
}

/** A zod schema for a target name that accepts the aliases (editors see both) and yields the canonical name. */
export const targetNameSchema = z
  .enum([...TARGETS, ...(Object.keys(TARGET_ALIASES) as ['ts', 'py'])])
  .transform((name): TargetName => canonicalTarget(name) as TargetName);

/** The SDK languages of a profile, aliases accepted. */
export const sdkNameSchema = z.enum(['c', 'typescript', 'python', 'ts', 'py']).transform((name) => canonicalTarget(name) as 'c' | 'typescript' | 'python');
