import type { StageResult } from '../../diagnostics/types.ts';
import type { Device } from '../../ir/types.ts';
import type { Importer, ImportOptions } from '../types.ts';
import { resolveLimits } from '../types.ts';
import { hjsonFormat } from '../formats.ts';
import { parseHjson } from './parser.ts';
import { reggenToIr } from './reggen.ts';

export { parseHjson, type HjsonParseOptions, type HjsonParseResult } from './parser.ts';
export { evaluateExpression, parameterResolver, type ExpressionResult, type NameResolver } from './expression.ts';
export { swAccessMap, hwAccessMap } from './access.ts';
export { mubiValue, resetOf } from './reggen.ts';
export {
  toPlain,
  entryOf,
  valueOf,
  parseIntegerText,
  ValueReader,
  type LocatedValue,
  type LocatedObject,
  type LocatedArray,
  type LocatedScalar,
  type LocatedEntry,
} from '../../yaml/index.ts';

/** Imports an OpenTitan reggen register description (`<ip>.hjson`) as a device with one peripheral. */
export function importHjson(text: string, file: string, options?: ImportOptions): StageResult<Device> {
  const limits = resolveLimits(options);
  const parsed = parseHjson(text, file, { maxDepth: limits.maxDepth, maxBytes: limits.maxBytes });
  if (!parsed.value) return { value: undefined, diagnostics: parsed.diagnostics };
  const diagnostics = [...parsed.diagnostics];
  const device = reggenToIr(parsed.value, limits, diagnostics);
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { value: failed ? undefined : device, diagnostics };
}

export const hjsonImporter: Importer = { ...hjsonFormat, import: importHjson };
