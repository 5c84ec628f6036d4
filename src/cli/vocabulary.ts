import { suggest } from '../diagnostics/suggest.ts';
import { UsageError } from './command.ts';

/**
 * The CLI's shared words: one `--fail-on` vocabulary, one set of `--format` names, one list of
 * target names with their aliases. Every command parses its options through these, so an unknown
 * value gets the same message and the same "did you mean" wherever it is typed.
 */

/** Picks `value` from `allowed`, or throws a usage error listing them with the closest one. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], option: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const near = typeof value === 'string' ? suggest(value, allowed) : undefined;
  throw new UsageError(`${option} must be one of ${allowed.join(', ')} (got ${String(value)})${near ? `; did you mean ${near}?` : ''}`);
}

/**
 * `--fail-on LEVEL`: the least severe finding that makes the run exit 1. The levels are the same for
 * every command; each command maps its findings onto them (docs/cli.md has the table) and also
 * accepts its own words as aliases (check/ci: broken, attention; diff: breaking, behavioural,
 * compatible, documentation).
 */
export const FAIL_ON_LEVELS = ['error', 'warning', 'info', 'never'] as const;
export type FailOnLevel = (typeof FAIL_ON_LEVELS)[number];

/** A command's own finding grades, and which grade each level stands for. */
export interface FailOnScale<T extends string> {
  readonly native: readonly T[];
  readonly levels: Readonly<Record<Exclude<FailOnLevel, 'never'>, T>>;
}

/** Parses `--fail-on` into the command's own grade, or 'never'. */
export function parseFailOn<T extends string>(value: unknown, scale: FailOnScale<T>): T | 'never' {
  const allowed: string[] = [...FAIL_ON_LEVELS, ...scale.native.filter((n) => !(FAIL_ON_LEVELS as readonly string[]).includes(n))];
  const chosen: string = oneOf(value, allowed, '--fail-on');
  if (chosen === 'never') return 'never';
  if (chosen === 'error' || chosen === 'warning' || chosen === 'info') return scale.levels[chosen];
  return chosen as T;
}

/** validate, import: diagnostics have the levels' own severities. */
export const DIAGNOSTIC_SCALE: FailOnScale<'error' | 'warning' | 'info'> = { native: [], levels: { error: 'error', warning: 'warning', info: 'info' } };

/** check, ci: binding verdicts and unmet configurations (nothing below attention ever fails). */
export const VERDICT_SCALE: FailOnScale<'broken' | 'attention'> = {
  native: ['broken', 'attention'],
  levels: { error: 'broken', warning: 'attention', info: 'attention' },
};

/** diff: change severities. */
export const CHANGE_SCALE: FailOnScale<'breaking' | 'behavioural' | 'compatible' | 'documentation'> = {
  native: ['breaking', 'behavioural', 'compatible', 'documentation'],
  levels: { error: 'breaking', warning: 'behavioural', info: 'documentation' },
};

/**
 * `--format`: the same names everywhere. `text` for people, `json` for programs, `sarif` for code
 * scanning, `markdown` for pull-request comments, `html` for a standalone page.
 */
export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export { TARGETS, TARGET_ALIASES, canonicalTarget, type TargetName } from '../project/targets.ts';
