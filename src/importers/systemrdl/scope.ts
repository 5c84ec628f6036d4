import type { SourceSpan } from '../../ir/types.ts';
import type { ComponentDef, PropertyDef } from './ast.ts';
import type { Inst } from './instance.ts';
import { BUILTIN_PROPERTIES, type PropRule } from './properties.ts';
import type { EnumType, StructType, Value } from './values.ts';

/**
 * Lexical scopes of elaboration: the types, enums, structs, parameters and default property
 * assignments each component body declares, looked up innermost first.
 */

export interface TypeEntry {
  readonly def: ComponentDef;
  readonly scope: Scope;
  readonly defaults: ReadonlyMap<string, DefaultEntry>;
}

export interface DefaultEntry {
  readonly name: string;
  readonly value: Value | undefined;
  readonly span: SourceSpan;
}

export interface Scope {
  readonly parent?: Scope;
  readonly inst: Inst;
  readonly types: Map<string, TypeEntry>;
  readonly enums: Map<string, EnumType>;
  readonly structs: Map<string, StructType>;
  readonly params: Map<string, Value>;
  readonly defaults: Map<string, DefaultEntry>;
}

export interface UserProperty {
  readonly def: PropertyDef;
  readonly rule: PropRule;
}

export function newScope(parent: Scope | undefined, inst: Inst): Scope {
  return { ...(parent ? { parent } : {}), inst, types: new Map(), enums: new Map(), structs: new Map(), params: new Map(), defaults: new Map() };
}

export function flattenDefaults(scope: Scope): Map<string, DefaultEntry> {
  const chain: Scope[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) chain.unshift(s);
  const out = new Map<string, DefaultEntry>();
  for (const s of chain) {
    for (const [k, v] of s.defaults) {
      // A more specific default of a mutual-exclusion group hides the outer ones (woclr vs onwrite).
      const group = BUILTIN_PROPERTIES.get(k)?.group;
      if (group) for (const [other, r] of BUILTIN_PROPERTIES) if (other !== k && r.group === group) out.delete(other);
      out.set(k, v);
    }
  }
  return out;
}

/** Looks a name up through the enclosing scopes, innermost first, in one of their tables. */
export function lookup<T>(scope: Scope, table: (s: Scope) => ReadonlyMap<string, T>, name: string): T | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const found = table(s).get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}
export const lookupParam = (scope: Scope, name: string): Value | undefined => lookup(scope, (s) => s.params, name);
export const lookupType = (scope: Scope, name: string): TypeEntry | undefined => lookup(scope, (s) => s.types, name);
export const lookupEnum = (scope: Scope, name: string): EnumType | undefined => lookup(scope, (s) => s.enums, name);
export const lookupStruct = (scope: Scope, name: string): StructType | undefined => lookup(scope, (s) => s.structs, name);

export function* allTypeNames(scope: Scope): Iterable<string> {
  for (let s: Scope | undefined = scope; s; s = s.parent) yield* s.types.keys();
}
