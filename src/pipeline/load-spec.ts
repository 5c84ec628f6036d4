import type { Diagnostic } from '../diagnostics/types.ts';
import { hasErrors } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { importFileLazily } from '../importers/lazy.ts';
import type { ImportOptions } from '../importers/types.ts';
import { validateDevice, validationRules } from '../validate/index.ts';
import { representableRule } from '../validate/rules/representable.ts';

export interface LoadedSpec {
  readonly device: Device | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the file could not be turned into a device at all (syntax, schema, unreadable). */
  readonly unusable: boolean;
}

/** The import already refused what is not representable (src/importers/read-spec.ts): not checked twice. */
const RULES_AFTER_IMPORT = validationRules.filter((rule) => rule !== representableRule);

/**
 * Import then validate: what every command that reads a hardware spec does first. Only the importer
 * of the file's format is loaded (src/importers/lazy.ts), so a small spec starts fast.
 */
export async function loadAndValidate(file: string, options?: ImportOptions): Promise<LoadedSpec> {
  const imported = await importFileLazily(file, options);
  if (!imported.value || hasErrors(imported.diagnostics)) {
    return { device: imported.value, diagnostics: imported.diagnostics, unusable: true };
  }
  const diagnostics = [...imported.diagnostics, ...validateDevice(imported.value, RULES_AFTER_IMPORT)];
  return { device: imported.value, diagnostics, unusable: false };
}
