import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { svdFormat } from '../formats.ts';
import { importXml } from '../xml/index.ts';
import { svdToIr } from './to-ir.ts';

export { svdToIr, SPECDRIVE_SVD_NAMESPACE } from './to-ir.ts';
export * from '../xml/access-vocabulary.ts';
export { parseSvdInteger, parseEnumValue, parseDimIndex, parseBitRange, stripDimPlaceholder } from './numbers.ts';

/** Imports a CMSIS-SVD file (1.0–1.3) into the IR. */
export function importSvd(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  return importXml(text, file, options, svdToIr);
}

export const svdImporter: Importer = { ...svdFormat, import: importSvd };
