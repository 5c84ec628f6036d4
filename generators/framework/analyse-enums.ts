import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { sortEnums } from '../../src/ir/canonical.ts';
import type { EnumSet, Field } from '../../src/ir/types.ts';
import type { EnumValueView } from './analysis-types.ts';
import { isSafeIdentifier, unsafeNameDiagnostic } from './identifiers.ts';

/**
 * One namespace of enum values (read or write): unsafe names and values beyond the field are left
 * out, and a second name for a value or a second value for a name is dropped with a warning.
 */
function enumNamespace(field: Field, sets: readonly EnumSet[], usage: 'read' | 'write', diagnostics: Diagnostic[]): EnumValueView[] {
  const byName = new Map<string, EnumValueView>();
  const byValue = new Set<number>();
  const limit = 2 ** field.width;
  for (const set of sets) {
    if (set.usage !== usage && set.usage !== 'read-write') continue;
    for (const v of set.values) {
      if (v.isDefault || v.dontCareMask) continue;
      if (!isSafeIdentifier(v.name)) {
        diagnostics.push({
          ...unsafeNameDiagnostic('enum value', v.name, v.path, v.span),
          code: 'generate/unsafe-enum-name',
          severity: 'warning',
          message: `enum value ${JSON.stringify(v.name)} of ${field.path} is left out of generated enums: not an identifier`,
        });
        continue;
      }
      if (v.value >= limit || v.value < 0) continue; // validation reports it; generated code must still compile
      if (byName.has(v.name) || byValue.has(v.value)) {
        const first = byName.get(v.name);
        if (first && first.value === v.value) continue; // same value listed in two sets
        diagnostics.push({
          code: 'generate/duplicate-enum',
          severity: 'warning',
          message: `${usage} enum value ${v.name} = ${v.value} of ${field.path} duplicates an earlier name or value and is left out of generated enums`,
          span: v.span,
          path: v.path,
        });
        continue;
      }
      byName.set(v.name, { name: v.name, value: v.value, description: v.description });
      byValue.add(v.value);
    }
  }
  return [...byName.values()].sort((a, b) => a.value - b.value);
}

export interface FieldEnums {
  readonly all: readonly EnumValueView[];
  readonly read: readonly EnumValueView[];
  readonly write: readonly EnumValueView[];
  readonly complete: boolean;
}

/** Most fields have no enum values: they share one answer instead of building empty maps and lists. */
const NO_ENUMS: FieldEnums = { all: [], read: [], write: [], complete: false };

export function mergeEnums(field: Field, diagnostics: Diagnostic[]): FieldEnums {
  if (field.enums === undefined || field.enums.length === 0) return NO_ENUMS;
  // Canonical order (the first of two names for a value wins, so the order is part of the result).
  const sets = sortEnums(field.enums);
  // A read-write set lands in both namespaces: warn about it once, from the read side.
  const read = enumNamespace(field, sets, 'read', diagnostics);
  const writeOnly: Diagnostic[] = [];
  const write = enumNamespace(field, sets, 'write', writeOnly);
  if (writeOnly.length > 0) {
    // Built only when there is something to filter: every field walking the run's whole list was quadratic.
    const seen = new Set(diagnostics.map((d) => `${d.code} ${d.path} ${d.span?.line}:${d.span?.column}`));
    diagnostics.push(...writeOnly.filter((d) => !seen.has(`${d.code} ${d.path} ${d.span?.line}:${d.span?.column}`)));
  }
  const all = [...read];
  for (const w of write) {
    const same = all.find((a) => a.name === w.name);
    if (!same) all.push(w);
    else if (same.value !== w.value)
      diagnostics.push({
        code: 'generate/duplicate-enum',
        severity: 'warning',
        message: `enum value ${w.name} of ${field.path} is ${same.value} when read and ${w.value} when written; C gets the read value`,
        path: `${field.path}.${w.name}`,
        span: field.span,
      });
  }
  all.sort((a, b) => a.value - b.value || (a.name < b.name ? -1 : 1));
  return { all, read, write, complete: read.length > 0 && read.length === 2 ** field.width };
}
