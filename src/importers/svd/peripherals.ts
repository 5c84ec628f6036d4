import type { AddressBlock, Interrupt, Peripheral } from '../../ir/types.ts';
import { child, childrenNamed, childText, optionalTexts, type XmlElement } from '../xml/index.ts';
import type { SvdContext } from './context.ts';
import { svdProtection } from './cpu.ts';
import { readDim } from './dim.ts';
import { type Props, readProps } from './properties.ts';
import { readNodes } from './registers.ts';

/** The pass over one `<peripheral>` (already resolved for `derivedFrom`): its blocks, interrupts and registers. */

export function readPeripheral(ctx: SvdContext, element: XmlElement, inherited: Props): Peripheral | undefined {
  const rawName = childText(element, 'name');
  if (!rawName) {
    ctx.diagnostics.error('svd/missing-name', 'a peripheral without <name>', ctx.span(element));
    return undefined;
  }
  // Spans are made in document order (this element before its children): SourceText answers those
  // from a cursor, where a lookup behind it builds the line index.
  const span = ctx.span(element);
  const { name, dim } = readDim(ctx, element, rawName, 'peripheral');
  const props = readProps(ctx, element, inherited);
  const baseAddress = ctx.int(element, 'baseAddress');
  if (baseAddress === undefined && !child(element, 'baseAddress')) {
    ctx.diagnostics.error('svd/missing-base-address', `peripheral ${name} has no <baseAddress>`, ctx.span(element));
  }
  const addressBlocks: AddressBlock[] = childrenNamed(element, 'addressBlock').map((b) => {
    const usage = childText(b, 'usage');
    const protection = svdProtection(ctx.reader, b);
    return {
      offset: ctx.int(b, 'offset') ?? 0,
      size: ctx.int(b, 'size') ?? 0,
      usage: usage === 'buffer' ? 'buffer' : usage === 'reserved' ? 'reserved' : 'registers',
      ...(protection !== undefined ? { protection } : {}),
    };
  });
  const seenInterrupts = new Map<string, XmlElement>();
  const interrupts: Interrupt[] = childrenNamed(element, 'interrupt').flatMap((i): Interrupt[] => {
    if (ctx.duplicate(seenInterrupts, childText(i, 'name') ?? '', i, 'interrupt')) return [];
    return [{ name: childText(i, 'name') ?? '', span: ctx.span(i), value: ctx.int(i, 'value') ?? 0, ...optionalTexts(i, ['description']) }];
  });
  const registers = readNodes(ctx, registerElements(ctx, element, name), [ctx.device, element], name, props, 1);
  const alternateOf = childText(element, 'alternatePeripheral');
  return {
    kind: 'peripheral',
    name,
    path: name,
    span,
    ...optionalTexts(element, ['description', 'groupName', 'version', 'prependToName', 'appendToName', 'headerStructName', 'disableCondition']),
    ...(alternateOf ? { alternateOf } : {}),
    baseAddress: baseAddress ?? 0,
    ...(dim ? { dim } : {}),
    addressBlocks,
    interrupts,
    registers,
    quantities: [],
    behaviours: [],
  };
}

/**
 * The register and cluster elements of a peripheral. The schema allows one `<registers>`; vendor
 * files (TI MSP432 SystemControlSpace has 7) repeat it. svd-rs and cmsis-svd read only the first;
 * dropping the rest silently loses registers, so all are kept (in document order) with a warning.
 */
function registerElements(ctx: SvdContext, peripheral: XmlElement, name: string): XmlElement[] {
  const blocks = childrenNamed(peripheral, 'registers');
  for (const extra of blocks.slice(1)) {
    ctx.diagnostics.warning(
      'svd/extra-registers-block',
      `peripheral ${name} has more than one <registers> block (the schema allows one); its registers are kept`,
      ctx.span(extra),
      {
        related: [{ message: 'first <registers>', span: ctx.span(blocks[0] as XmlElement) }],
        hint: 'merge the blocks into one <registers>',
      },
    );
  }
  return blocks.flatMap((b) => b.children);
}
