import type { OnRead, OnWrite, Protection, SourceSpan, SwAccess, WriteConstraint } from '../../ir/types.ts';
import { child, childText, textRange, type XmlElement } from '../xml/index.ts';
import { NONSTANDARD_SVD_ACCESS, SVD_MODIFIED_WRITE, SVD_READ_ACTION, SW_TO_SVD, swAccessFromSvd } from '../xml/access-vocabulary.ts';
import type { SvdContext } from './context.ts';
import { svdProtection } from './cpu.ts';

/** The pass over CMSIS-SVD's registerPropertiesGroup, inherited device → peripheral → cluster → register → field. */

/** The property tags, a bit each. */
const BIT = { size: 1, access: 2, protection: 4, resetValue: 8, resetMask: 16, modifiedWriteValues: 32, readAction: 64, writeConstraint: 128 } as const;
const PROPERTY_BIT = new Map<string, number>(Object.entries(BIT));

/** registerPropertiesGroup as inherited at one element. */
export interface Props {
  readonly size?: number;
  readonly access?: SwAccess;
  readonly protection?: Protection;
  readonly resetValue?: bigint;
  readonly resetMask?: bigint;
  /** Register-level write/read semantics that fields inherit (SVD 1.3 allows them on registers). */
  readonly onWrite?: OnWrite | null;
  readonly onRead?: OnRead;
  readonly writeConstraint?: WriteConstraint;
}

type MutableProps = { -readonly [K in keyof Props]: Props[K] };

/** The property tags an element states, one bit each: the readers below look only for those (one pass instead of eight). */
function statedProperties(element: XmlElement): number {
  let stated = 0;
  const children = element.children;
  for (let i = 0; i < children.length; i++) stated |= PROPERTY_BIT.get((children[i] as XmlElement).local) ?? 0;
  return stated;
}

/** The properties in force at `element`: what it states over what it inherits. */
export function readProps(ctx: SvdContext, element: XmlElement, inherited: Props): Props {
  // Most registers and fields restate none of these; returning the inherited object as is saves
  // an allocation per node on 100 k-node files.
  const stated = statedProperties(element);
  if (stated === 0) return inherited;
  const out: MutableProps = { ...inherited };
  const size = stated & BIT.size ? ctx.int(element, 'size') : undefined;
  if (size !== undefined) out.size = size;
  const access = stated & BIT.access ? readAccess(ctx, element) : undefined;
  if (access !== undefined) out.access = access;
  const protection = stated & BIT.protection ? svdProtection(ctx.reader, element) : undefined;
  if (protection !== undefined) out.protection = protection;
  const resetValue = stated & BIT.resetValue ? ctx.big(element, 'resetValue') : undefined;
  if (resetValue !== undefined) out.resetValue = resetValue;
  const resetMask = stated & BIT.resetMask ? ctx.big(element, 'resetMask') : undefined;
  if (resetMask !== undefined) out.resetMask = resetMask;
  if (stated & (BIT.modifiedWriteValues | BIT.readAction | BIT.writeConstraint)) readSemantics(ctx, element, out);
  return out;
}

function readAccess(ctx: SvdContext, element: XmlElement): SwAccess | undefined {
  const accessText = childText(element, 'access');
  if (accessText === undefined) return undefined;
  const access = swAccessFromSvd(accessText);
  if (access !== undefined) return access;
  const where = (): SourceSpan => ctx.source.span(...textRange(child(element, 'access') as XmlElement));
  const nonstandard = NONSTANDARD_SVD_ACCESS[accessText];
  if (nonstandard !== undefined) {
    ctx.diagnostics.warning(
      'svd/nonstandard-access',
      `access ${JSON.stringify(accessText)} is not a CMSIS-SVD access; read as ${SW_TO_SVD[nonstandard]} (as cmsis-svd does)`,
      where(),
      { hint: 'write read-only, write-only, read-write, writeOnce or read-writeOnce' },
    );
    return nonstandard;
  }
  ctx.diagnostics.warning('svd/bad-access', `unknown access ${JSON.stringify(accessText)}; read-write assumed`, where());
  return 'rw';
}

/** modifiedWriteValues / readAction / writeConstraint of a register or field, into `out`. */
function readSemantics(ctx: SvdContext, element: XmlElement, out: MutableProps): void {
  const mwv = child(element, 'modifiedWriteValues');
  if (mwv) {
    const text = mwv.text.trim();
    if (text in SVD_MODIFIED_WRITE) out.onWrite = SVD_MODIFIED_WRITE[text] ?? null;
    else
      ctx.diagnostics.warning(
        'svd/bad-modified-write-values',
        `unknown modifiedWriteValues ${JSON.stringify(text)}; treated as a plain write`,
        ctx.source.span(...textRange(mwv)),
      );
  }
  const readAction = child(element, 'readAction');
  if (readAction) {
    const text = readAction.text.trim();
    const onRead = SVD_READ_ACTION[text];
    if (onRead) out.onRead = onRead;
    else ctx.diagnostics.warning('svd/bad-read-action', `unknown readAction ${JSON.stringify(text)}; ignored`, ctx.source.span(...textRange(readAction)));
  }
  const wc = child(element, 'writeConstraint');
  if (wc) {
    const range = child(wc, 'range');
    if (childText(wc, 'writeAsRead') === 'true') out.writeConstraint = { kind: 'writeAsRead' };
    else if (childText(wc, 'useEnumeratedValues') === 'true') out.writeConstraint = { kind: 'useEnumeratedValues' };
    else if (range) {
      const min = ctx.int(range, 'minimum');
      const max = ctx.int(range, 'maximum');
      if (min !== undefined && max !== undefined) out.writeConstraint = { kind: 'range', min, max };
      else ctx.diagnostics.warning('svd/bad-write-constraint', 'a writeConstraint range needs <minimum> and <maximum>', ctx.span(wc));
    }
  }
}
