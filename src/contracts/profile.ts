/**
 * Layer 4, the profile: what the user wants of every deployment — the largest error accepted, what
 * to optimise, interrupt or polling I/O, naming and SDK languages.
 */
import type { StageResult } from '../diagnostics/types.ts';
import type { SourceSpan } from '../ir/types.ts';
import { loadYamlWithSchema } from '../yaml/index.ts';
import { profileSchema, toleranceValue } from './schema.ts';

/** What a user wants (layer 4). */
export interface Profile {
  readonly file: string;
  readonly span: SourceSpan;
  readonly name: string;
  readonly maxError?: { readonly value: number; readonly span: SourceSpan };
  readonly prefer?: 'low-power' | 'speed';
  readonly io?: { readonly value: 'polling' | 'interrupt'; readonly span: SourceSpan };
  readonly naming?: 'snake' | 'camel' | 'pascal';
  readonly sdk?: readonly ('c' | 'typescript' | 'python')[];
}

/** Loads a user profile (layer 4). */
export function loadProfile(text: string, file: string): StageResult<Profile> {
  const loaded = loadYamlWithSchema(text, file, profileSchema, 'profile');
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const input = loaded.value;
  const value: Profile = {
    file,
    span: loaded.located.span(['name']),
    name: input.name,
    ...(input.max_error !== undefined ? { maxError: { value: toleranceValue(input.max_error), span: loaded.located.span(['max_error']) } } : {}),
    ...(input.prefer !== undefined ? { prefer: input.prefer } : {}),
    ...(input.io !== undefined ? { io: { value: input.io, span: loaded.located.span(['io']) } } : {}),
    ...(input.naming !== undefined ? { naming: input.naming } : {}),
    ...(input.sdk !== undefined ? { sdk: input.sdk } : {}),
  };
  return { value, diagnostics: loaded.diagnostics };
}
