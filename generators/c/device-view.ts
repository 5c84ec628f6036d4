import type { Diagnostic } from '../../src/diagnostics/types.ts';
import type { Cpu } from '../../src/ir/types.ts';
import type { DeviceAnalysis } from '../framework/analysis.ts';
import { cComment, cString } from '../framework/escape.ts';
import { SymbolTable } from '../framework/identifiers.ts';
import type { GeneratorModel } from '../framework/types.ts';
import { fileStem, lit, type Define } from './c-syntax.ts';

/**
 * The device header (include/sd_device.h) at the level of a CMSIS device header: the `IRQn_Type`
 * enum with the core's exceptions, the core configuration from SVD `<cpu>` (`__NVIC_PRIO_BITS`,
 * `__FPU_PRESENT`, `__MPU_PRESENT`, ...), the choice of CMSIS core header, then every peripheral.
 */

export interface EnumMember {
  readonly name: string;
  readonly value: string;
  readonly comment: string;
  readonly last: boolean;
}

export interface CoreView {
  readonly name: string;
  readonly defines: readonly Define[];
  /** `core_cm4.h`, included when the build defines SD_CMSIS_CORE (CMSIS installed). */
  readonly header?: string;
}

export interface DeviceHeaderView {
  readonly comment: string;
  readonly board: string;
  readonly revision: string;
  readonly specHash: string;
  readonly includes: readonly string[];
  readonly irqs: readonly EnumMember[];
  readonly irqNote: string;
  /** Core configuration (empty without `<cpu>`); `coreHeader` is '' for a core CMSIS has no header for. */
  readonly coreName: string;
  readonly coreDefines: readonly Define[];
  readonly coreHeader: string;
  readonly config: readonly Define[];
}

/** CMSIS's canonical core name: `CM0+` and `CM0PLUS` are one core. */
function coreName(cpu: Cpu): string {
  return cpu.name.toUpperCase().replace(/\+$/, 'PLUS');
}

/** Cores of the ARMv6-M / ARMv8-M baseline family: no MemManage, BusFault, UsageFault or DebugMonitor. */
const BASELINE = new Set(['CM0', 'CM0PLUS', 'CM1', 'SC000', 'CM23']);
const MAINLINE = new Set(['CM3', 'SC300', 'CM4', 'CM7', 'CM33', 'CM35P', 'CM55', 'CM85']);
/** ARMv8-M mainline adds SecureFault. */
const SECURE = new Set(['CM33', 'CM35P', 'CM55', 'CM85']);

/** The core's exceptions as CMSIS numbers them (negative: before the device's interrupts). */
export function coreExceptions(cpu: Cpu | undefined): { name: string; value: number; comment: string }[] {
  const core = cpu ? coreName(cpu) : '';
  if (!BASELINE.has(core) && !MAINLINE.has(core)) return [];
  const full = MAINLINE.has(core);
  const list: [string, number, string, boolean][] = [
    ['NonMaskableInt_IRQn', -14, 'Non-maskable interrupt', true],
    ['HardFault_IRQn', -13, 'Hard fault', true],
    ['MemoryManagement_IRQn', -12, 'Memory management fault', full],
    ['BusFault_IRQn', -11, 'Bus fault', full],
    ['UsageFault_IRQn', -10, 'Usage fault', full],
    ['SecureFault_IRQn', -9, 'Secure fault', SECURE.has(core)],
    ['SVCall_IRQn', -5, 'Supervisor call', true],
    ['DebugMonitor_IRQn', -4, 'Debug monitor', full],
    ['PendSV_IRQn', -2, 'Pendable service request', true],
    ['SysTick_IRQn', -1, 'System tick timer', true],
  ];
  return list.filter(([, , , present]) => present).map(([name, value, comment]) => ({ name, value, comment: `${comment} (${core} core exception)` }));
}

/** `r1p2` → 0x0102 (CMSIS `__CMx_REV`). */
function revisionValue(revision: string | undefined): number {
  const m = /^r(\d+)p(\d+)$/i.exec(revision ?? 'r0p0');
  return m ? Number(m[1]) * 256 + Number(m[2]) : 0;
}

function coreView(cpu: Cpu | undefined): CoreView | undefined {
  if (!cpu) return undefined;
  const core = coreName(cpu);
  const known = BASELINE.has(core) || MAINLINE.has(core);
  const flag = (value: boolean | undefined): string => (value ? '1' : '0');
  const defines: Define[] = [];
  const id = core.replace(/[^A-Z0-9]/g, '');
  if (known)
    defines.push({
      name: `__${id}_REV`,
      value: `0x${revisionValue(cpu.revision).toString(16).toUpperCase().padStart(4, '0')}u`,
      comment: `core revision ${cComment(cpu.revision ?? 'r0p0')}`,
    });
  // svdconv defaults: booleans false, 4 priority bits.
  defines.push({ name: '__MPU_PRESENT', value: flag(cpu.mpuPresent) });
  defines.push({ name: '__FPU_PRESENT', value: flag(cpu.fpuPresent) });
  if (cpu.fpuDP !== undefined) defines.push({ name: '__FPU_DP', value: flag(cpu.fpuDP) });
  if (cpu.dspPresent !== undefined) defines.push({ name: '__DSP_PRESENT', value: flag(cpu.dspPresent) });
  if (cpu.icachePresent !== undefined) defines.push({ name: '__ICACHE_PRESENT', value: flag(cpu.icachePresent) });
  if (cpu.dcachePresent !== undefined) defines.push({ name: '__DCACHE_PRESENT', value: flag(cpu.dcachePresent) });
  if (cpu.itcmPresent !== undefined) defines.push({ name: '__ITCM_PRESENT', value: flag(cpu.itcmPresent) });
  if (cpu.dtcmPresent !== undefined) defines.push({ name: '__DTCM_PRESENT', value: flag(cpu.dtcmPresent) });
  if (cpu.vtorPresent !== undefined) defines.push({ name: '__VTOR_PRESENT', value: flag(cpu.vtorPresent) });
  defines.push({ name: '__NVIC_PRIO_BITS', value: `${cpu.nvicPrioBits ?? 4}u` });
  defines.push({ name: '__Vendor_SysTickConfig', value: flag(cpu.vendorSystickConfig) });
  return { name: cComment(cpu.name), defines, ...(known ? { header: `core_${id.toLowerCase()}.h` } : {}) };
}

export function deviceView(model: GeneratorModel, analysis: DeviceAnalysis, diagnostics: Diagnostic[]): DeviceHeaderView {
  const device = model.device;
  const symbols = new SymbolTable('include/sd_device.h', diagnostics);
  const members: Omit<EnumMember, 'last'>[] = [];
  for (const e of coreExceptions(device.cpu))
    if (symbols.claim(e.name, `cpu ${e.name}`, device.cpu?.span)) members.push({ name: e.name, value: String(e.value), comment: e.comment });
  // Vendors list one interrupt under several peripherals: emit each name once.
  for (const p of analysis.peripherals) {
    for (const irq of p.interrupts) {
      const name = `${irq.name}_IRQn`;
      const seen = members.find((d) => d.name === name);
      if (seen) {
        if (seen.value !== String(irq.value))
          diagnostics.push({
            code: 'generate/interrupt-conflict',
            severity: 'warning',
            message: `interrupt ${irq.name} of ${p.name} is ${irq.value} but ${seen.value} elsewhere; the first is kept`,
            span: p.span,
            path: p.path,
          });
        continue;
      }
      if (symbols.claim(name, `${p.path} interrupt ${irq.name}`, p.span)) members.push({ name, value: String(irq.value), comment: `${p.name}` });
    }
  }
  const config: Define[] = [];
  for (const v of model.config?.values ?? []) {
    const name = `SD_CONFIG_${v.path.replace(/\./g, '_')}`;
    if (/^[A-Za-z0-9_]+$/.test(name) && symbols.claim(name, v.path, v.span)) config.push({ name, value: lit(v.value) });
  }
  const core = coreView(device.cpu);
  const irqNote = device.cpu
    ? `core exceptions of the ${cComment(device.cpu.name)}, then the device's`
    : `the device's (no <cpu> in the spec: no core exceptions)`;
  return {
    comment: cComment(device.description),
    board: cString(device.board ?? device.name),
    revision: cString(device.revision ?? device.version ?? ''),
    specHash: model.specHash,
    includes: analysis.peripherals.map((p) => `${fileStem(p.name)}.h`),
    irqs: members.map((m, i) => ({ ...m, last: i === members.length - 1 })),
    irqNote,
    coreName: core?.name ?? '',
    coreDefines: core?.defines ?? [],
    coreHeader: core?.header ?? '',
    config,
  };
}
