import type { DiagnosticCollector } from '../../diagnostics/collector.ts';
import type { SourceText } from '../../diagnostics/source-text.ts';
import type { Cpu, Protection, SauRegion } from '../../ir/types.ts';
import { attribute, child, childrenNamed, childText, elementRange, normaliseText, textRange, type XmlElement } from '../xml/index.ts';
import { parseSvdInteger } from './numbers.ts';

/**
 * CMSIS-SVD `<cpu>` and the other device-level header details. Values are kept as written where the
 * schema allows a choice; a value outside the schema's vocabulary is a located warning and left out
 * (the CMSIS default then applies), never an error: svdconv and cmsis-svd read such files too.
 */

export interface SvdReader {
  readonly source: SourceText;
  readonly diagnostics: DiagnosticCollector;
}

const ENDIAN = new Set(['little', 'big', 'selectable', 'other']);
/** The boolean and integer members of `<cpu>` (CMSIS-SVD 1.3), shared with the svdtools `_modify`. */
export const CPU_FLAGS = [
  'mpuPresent',
  'fpuPresent',
  'fpuDP',
  'dspPresent',
  'icachePresent',
  'dcachePresent',
  'itcmPresent',
  'dtcmPresent',
  'vtorPresent',
  'vendorSystickConfig',
] as const;
export const CPU_NUMBERS = ['nvicPrioBits', 'deviceNumInterrupts', 'sauNumRegions'] as const;

/** SVD booleans: `true`/`false`, also `1`/`0` (the XSD's xs:boolean). */
export function svdBoolean(reader: SvdReader, element: XmlElement, local: string): boolean | undefined {
  const c = child(element, local);
  if (c === undefined) return undefined;
  const text = c.text.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  reader.diagnostics.warning(
    'svd/bad-boolean',
    `<${local}> must be true or false, got ${JSON.stringify(c.text.trim())}; ignored`,
    reader.source.span(...textRange(c)),
  );
  return undefined;
}

function svdNumber(reader: SvdReader, element: XmlElement, local: string): number | undefined {
  const c = child(element, local);
  if (c === undefined) return undefined;
  const value = parseSvdInteger(c.text);
  if (value === undefined)
    reader.diagnostics.warning(
      'svd/bad-number',
      `<${local}> must be a number, got ${JSON.stringify(c.text.trim())}; ignored`,
      reader.source.span(...textRange(c)),
    );
  return value;
}

/** `s`, `n` or `p`; anything else is a located warning. */
export function svdProtection(reader: SvdReader, element: XmlElement, local = 'protection'): Protection | undefined {
  const c = child(element, local);
  if (c === undefined) return undefined;
  const text = c.text.trim();
  if (text === 's' || text === 'n' || text === 'p') return text;
  reader.diagnostics.warning('svd/bad-protection', `<${local}> must be s, n or p, got ${JSON.stringify(text)}; ignored`, reader.source.span(...textRange(c)));
  return undefined;
}

export function readCpu(reader: SvdReader, device: XmlElement): Cpu | undefined {
  const cpu = child(device, 'cpu');
  if (!cpu) return undefined;
  const span = reader.source.span(...elementRange(cpu));
  const name = childText(cpu, 'name');
  if (!name) {
    reader.diagnostics.warning('svd/missing-name', '<cpu> without <name> is ignored', span);
    return undefined;
  }
  const out: { -readonly [K in keyof Cpu]?: Cpu[K] } = { span, name };
  const revision = childText(cpu, 'revision');
  if (revision) out.revision = revision;
  const endian = childText(cpu, 'endian');
  if (endian !== undefined) {
    if (ENDIAN.has(endian)) out.endian = endian as Cpu['endian'];
    else
      reader.diagnostics.warning(
        'svd/bad-endian',
        `<endian> must be little, big, selectable or other, got ${JSON.stringify(endian)}; ignored`,
        reader.source.span(...textRange(child(cpu, 'endian') as XmlElement)),
      );
  }
  for (const flag of CPU_FLAGS) {
    const value = svdBoolean(reader, cpu, flag);
    if (value !== undefined) out[flag] = value;
  }
  for (const key of CPU_NUMBERS) {
    const value = svdNumber(reader, cpu, key);
    if (value !== undefined) out[key] = value;
  }
  const sau = child(cpu, 'sauRegionsConfig');
  if (sau) {
    const enabled = attribute(sau, 'enabled');
    const protection = attribute(sau, 'protectionWhenDisabled');
    const regions = childrenNamed(sau, 'region').map((r): SauRegion => {
      const regionEnabled = attribute(r, 'enabled');
      const regionName = attribute(r, 'name');
      const access = childText(r, 'access');
      return {
        ...(regionName !== undefined ? { name: regionName } : {}),
        ...(regionEnabled !== undefined ? { enabled: regionEnabled === 'true' || regionEnabled === '1' } : {}),
        base: svdNumber(reader, r, 'base') ?? 0,
        limit: svdNumber(reader, r, 'limit') ?? 0,
        access: access === 'c' ? 'c' : 'n',
      };
    });
    out.sauRegionsConfig = {
      ...(enabled !== undefined ? { enabled: enabled === 'true' || enabled === '1' } : {}),
      ...(protection === 's' || protection === 'n' || protection === 'p' ? { protectionWhenDisabled: protection } : {}),
      regions,
    };
  }
  return out as Cpu;
}

/**
 * Device header details (`series`, `vendorID`, `licenseText`, `headerSystemFilename`,
 * `headerDefinitionsPrefix`). licenseText keeps its line breaks (it becomes a comment block);
 * the others are single words.
 */
export function readDeviceHeader(device: XmlElement): {
  series?: string;
  vendorID?: string;
  licenseText?: string;
  headerSystemFilename?: string;
  headerDefinitionsPrefix?: string;
} {
  const out: { series?: string; vendorID?: string; licenseText?: string; headerSystemFilename?: string; headerDefinitionsPrefix?: string } = {};
  for (const key of ['series', 'vendorID', 'headerSystemFilename', 'headerDefinitionsPrefix'] as const) {
    const value = normaliseText(child(device, key)?.text);
    if (value !== undefined) out[key] = value;
  }
  const license = child(device, 'licenseText')?.text;
  if (license !== undefined && license.trim() !== '') out.licenseText = licenseLines(license);
  return out;
}

/** License text with each line trimmed (vendors indent it with the XML) and no blank lines at the ends. */
export function licenseLines(text: string): string {
  return text
    .split(/\r?\n|\\n/)
    .map((l) => l.trim())
    .join('\n')
    .trim();
}
