import { basename } from 'node:path';
import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { resolveLimits } from '../types.ts';
import { chiptoolFormat } from '../formats.ts';
import { locatedYamlValue } from './from-yaml.ts';
import { chiptoolToIr } from './to-ir.ts';

export { locatedYamlValue } from './from-yaml.ts';

/**
 * Imports a chiptool YAML register file (embassy-rs/stm32-data). The device is named after the
 * file (`usart_v4.yaml` → `usart_v4`); see to-ir.ts for which blocks become peripherals.
 */
export function importChiptool(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const limits = resolveLimits(options);
  if (text.length > limits.maxBytes) {
    return {
      value: undefined,
      diagnostics: [
        {
          code: 'limits/file-too-large',
          severity: 'error',
          message: `${file} is ${text.length} bytes; the limit is ${limits.maxBytes}`,
          span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 },
        },
      ],
    };
  }
  const { value, diagnostics } = locatedYamlValue(text, file, limits.maxDepth);
  if (!value) return { value: undefined, diagnostics };
  const name = basename(file).replace(/\.(ya?ml)$/i, '');
  const device = chiptoolToIr(value, name, limits, diagnostics);
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { value: failed ? undefined : device, diagnostics };
}

export const chiptoolImporter: Importer = { ...chiptoolFormat, import: importChiptool };
