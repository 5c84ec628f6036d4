import type { SourceText } from '../../diagnostics/source-text.ts';
import type { Diagnostic, StageResult } from '../../diagnostics/types.ts';
import type { Device, Peripheral } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { attribute, child, childrenNamed, childText, elementRange, optionalTexts, type XmlElement } from '../xml/index.ts';
import { SvdContext } from './context.ts';
import { readCpu, readDeviceHeader } from './cpu.ts';
import { readExtensions, restoreCpu } from './extensions.ts';
import { readPeripheral } from './peripherals.ts';
import { readProps } from './properties.ts';

/**
 * CMSIS-SVD `<device>` → IR. One pass per file: the device here; peripherals.ts, registers.ts
 * (registers and clusters), fields.ts, enums.ts; and the element groups every level shares:
 * properties.ts (registerPropertiesGroup), dim.ts (arrays), extensions.ts (specdrive's own
 * `<vendorExtensions>`), derive.ts (`derivedFrom`), expand.ts (colliding arrays).
 */

export { SPECDRIVE_SVD_NAMESPACE } from './extensions.ts';

function readDevice(ctx: SvdContext): Device {
  const device = ctx.device;
  // The device's span first: spans are made in document order, which SourceText answers from a
  // cursor (a lookup behind it builds the line index, 540 000 lines for STM32N657).
  const span = ctx.span(device);
  const extras = readExtensions(ctx);
  const name = extras.name ?? childText(device, 'name') ?? '';
  if (name === '') ctx.diagnostics.error('svd/missing-name', 'the device has no <name>', ctx.span(device));
  const width = ctx.int(device, 'width') ?? 32;
  const cpu = restoreCpu(readCpu(ctx.reader, device), extras);
  const props = readProps(ctx, device, { size: width });
  const peripherals: Peripheral[] = [];
  const seen = new Map<string, XmlElement>();
  const peripheralsEl = child(device, 'peripherals');
  for (const raw of peripheralsEl ? childrenNamed(peripheralsEl, 'peripheral') : []) {
    if (ctx.tooMany) break;
    const element = ctx.deriver.resolvePeripheral(raw);
    const p = readPeripheral(ctx, element, props);
    if (!p) continue;
    if (ctx.duplicate(seen, p.name, raw, 'peripheral')) continue;
    peripherals.push(p);
  }
  return {
    kind: 'device',
    name,
    span,
    ...optionalTexts(device, ['vendor', ...(extras.noDescription ? [] : ['description' as const]), ...(extras.noVersion ? [] : ['version' as const])]),
    board: name,
    width,
    addressUnitBits: ctx.int(device, 'addressUnitBits') ?? 8,
    ...(cpu ? { cpu } : {}),
    ...readDeviceHeader(device),
    clocks: [],
    peripherals,
    sourceFormat: 'svd',
  };
}

export function svdToIr(root: XmlElement, source: SourceText, limits: ImportLimits): StageResult<Device> {
  const ctx = new SvdContext(root, source, limits);
  if (root.local !== 'device') {
    ctx.diagnostics.error('svd/not-svd', `the root element is <${root.name}>, expected <device>`, source.span(...elementRange(root)));
    return { value: undefined, diagnostics: ctx.diagnostics.diagnostics };
  }
  if (attribute(root, 'derivedFrom') !== undefined) {
    ctx.diagnostics.warning('svd/unexpected-attribute', 'derivedFrom on <device> means nothing and is ignored', source.span(...elementRange(root)));
  }
  const device = readDevice(ctx);
  return { value: device, diagnostics: uniqueDiagnostics(ctx.diagnostics.diagnostics) };
}

/**
 * Derived registers and peripherals re-read their base's XML, so a mistake in the base would be
 * reported once per copy at the same place; one report per place and message is enough.
 */
function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.span?.line}:${d.span?.column}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
