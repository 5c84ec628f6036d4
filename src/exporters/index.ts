import type { StageResult } from '../diagnostics/types.ts';
import type { Device } from '../ir/types.ts';
import { exportNativeYaml } from './native-yaml.ts';
import { exportSvd } from './svd.ts';

export { exportSvd, exportSvdPieces } from './svd.ts';
export { exportNativeYaml } from './native-yaml.ts';

export type ExportFormat = 'svd' | 'yaml';

/** Every exporter: a pure function from the IR to text (diagnostics say what the format could not hold). */
export const exporters: Readonly<Record<ExportFormat, (device: Device) => StageResult<string>>> = {
  svd: exportSvd,
  yaml: exportNativeYaml,
};

export function exportDevice(device: Device, format: ExportFormat): StageResult<string> {
  return exporters[format](device);
}

/** The export format a file name implies (`.svd` → svd, `.yaml`/`.yml` → yaml), or undefined. */
export function exportFormatFor(file: string): ExportFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.svd')) return 'svd';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}
