import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { ipxactFormat } from '../formats.ts';
import { importXml } from '../xml/index.ts';
import { ipxactToIr } from './to-ir.ts';

export { ipxactToIr, ipxactVersion, IPXACT_NAMESPACES } from './to-ir.ts';
export { evaluate as evaluateIpxactExpression } from './expr.ts';

/** Imports an IP-XACT component (SPIRIT 1.4/1.5, IEEE 1685-2009, -2014, -2022): its memory maps become peripherals. */
export function importIpxact(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  return importXml(text, file, options, ipxactToIr);
}

export const ipxactImporter: Importer = { ...ipxactFormat, import: importIpxact };
