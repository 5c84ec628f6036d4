import type { Cpu } from '../ir/types.ts';
import { hex } from '../ir/bits.ts';
import type { XmlWriter } from './svd.ts';
import { htmlText } from '../formats/escape/index.ts';

/** The core names the CMSIS-SVD schema knows (cpuNameType); others are written `other`. */
const CMSIS_CPU_NAMES = new Set([
  'CM0',
  'CM0PLUS',
  'CM0+',
  'CM1',
  'CM3',
  'CM4',
  'CM7',
  'CM23',
  'CM33',
  'CM35P',
  'CM55',
  'CM85',
  'SC000',
  'SC300',
  'ARMV8MML',
  'ARMV8MBL',
  'ARMV81MML',
  'CA5',
  'CA7',
  'CA8',
  'CA9',
  'CA15',
  'CA17',
  'CA53',
  'CA57',
  'CA72',
  'SMC1',
  'other',
]);

const FLAGS = ['mpuPresent', 'fpuPresent', 'fpuDP', 'dspPresent', 'icachePresent', 'dcachePresent', 'itcmPresent', 'dtcmPresent', 'vtorPresent'] as const;

/**
 * Writes `<cpu>` in schema order. The schema requires name (from a fixed list), revision, endian,
 * nvicPrioBits and vendorSystickConfig; what the IR lacks is written with the CMSIS default and, like a
 * name outside the list (ESP32 `RV32IMC`), recorded in the returned `<specdrive:cpu>` attributes so the
 * import restores the IR exactly.
 */
export function writeCpu(w: XmlWriter, cpu: Cpu): string {
  const extras: string[] = [];
  const absent: string[] = [];
  w.open('cpu');
  const known = CMSIS_CPU_NAMES.has(cpu.name);
  if (!known) extras.push(` name="${htmlText(cpu.name)}"`);
  w.leaf('name', known ? cpu.name : 'other');
  const required = <T>(key: string, value: T | undefined, fallback: T): T => {
    if (value === undefined) absent.push(key);
    return value ?? fallback;
  };
  w.leaf('revision', required('revision', cpu.revision, 'r0p0'));
  w.leaf('endian', required('endian', cpu.endian, 'little'));
  for (const flag of FLAGS) if (cpu[flag] !== undefined) w.leaf(flag, String(cpu[flag]));
  w.leaf('nvicPrioBits', required('nvicPrioBits', cpu.nvicPrioBits, 4));
  w.leaf('vendorSystickConfig', String(required('vendorSystickConfig', cpu.vendorSystickConfig, false)));
  w.leaf('deviceNumInterrupts', cpu.deviceNumInterrupts);
  w.leaf('sauNumRegions', cpu.sauNumRegions);
  const sau = cpu.sauRegionsConfig;
  if (sau) {
    const attributes = `${sau.enabled !== undefined ? ` enabled="${sau.enabled}"` : ''}${sau.protectionWhenDisabled !== undefined ? ` protectionWhenDisabled="${sau.protectionWhenDisabled}"` : ''}`;
    w.open('sauRegionsConfig', attributes);
    for (const r of sau.regions) {
      w.open('region', `${r.enabled !== undefined ? ` enabled="${r.enabled}"` : ''}${r.name !== undefined ? ` name="${htmlText(r.name)}"` : ''}`);
      w.leaf('base', hex(r.base, 8));
      w.leaf('limit', hex(r.limit, 8));
      w.leaf('access', r.access);
      w.close('region');
    }
    w.close('sauRegionsConfig');
  }
  w.close('cpu');
  if (absent.length > 0) extras.push(` absent="${absent.join(' ')}"`);
  return extras.join('');
}
