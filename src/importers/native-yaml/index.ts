import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import { loadYamlWithSchema } from '../../yaml/index.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { resolveLimits } from '../types.ts';
import { hardwareSpecSchema, HARDWARE_SPEC_ID } from './schema.ts';
import { nativeToIr } from './to-ir.ts';

export { hardwareSpecSchema, hardwareJsonSchema, HARDWARE_SPEC_ID, integerValue } from './schema.ts';
export { parseBits } from './to-ir.ts';

export function importNativeYaml(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const limits = resolveLimits(options);
  const loaded = loadYamlWithSchema(text, file, hardwareSpecSchema, 'hardware', {
    maxBytes: limits.maxBytes,
    maxAliasCount: 100,
    maxDepth: limits.maxDepth,
  });
  if (!loaded.value) return { value: undefined, diagnostics: loaded.diagnostics };
  const diagnostics = [...loaded.diagnostics];
  const device = nativeToIr(loaded.value, loaded.located, diagnostics);
  return { value: device, diagnostics };
}

export const nativeYamlImporter: Importer = {
  format: 'specdrive-yaml',
  extensions: ['.yaml', '.yml'],
  sniff: (text) => text.includes(HARDWARE_SPEC_ID),
  import: importNativeYaml,
};
