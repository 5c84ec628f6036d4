import { basename } from 'node:path';
import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { fileTooLarge, resolveLimits } from '../types.ts';
import { chiptoolFormat } from '../formats.ts';
import { locatedYamlValue } from '../../yaml/index.ts';
import { chiptoolToIr } from './to-ir.ts';

/**
 * Imports a chiptool YAML register file (embassy-rs/stm32-data). The device is named after the
 * file (`usart_v4.yaml` → `usart_v4`); see to-ir.ts for which blocks become peripherals.
 */
export function importChiptool(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const limits = resolveLimits(options);
  if (text.length > limits.maxBytes) return fileTooLarge(file, text.length, limits.maxBytes);
  const { value, diagnostics } = locatedYamlValue(text, file, limits.maxDepth, 'chiptool');
  if (!value) return { value: undefined, diagnostics };
  const name = basename(file).replace(/\.(ya?ml)$/i, '');
  const device = chiptoolToIr(value, name, limits, diagnostics);
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { value: failed ? undefined : device, diagnostics };
}

export const chiptoolImporter: Importer = { ...chiptoolFormat, import: importChiptool };
