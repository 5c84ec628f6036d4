import { fieldResetFromRegister } from '../../ir/bits.ts';
import type { EnumSet, Field } from '../../ir/types.ts';
import { child, childText, normaliseText, textRange, type XmlElement } from '../xml/index.ts';
import { fieldAccess } from '../../ir/access.ts';
import type { SvdContext } from './context.ts';
import { readDim } from './dim.ts';
import { readEnumSet } from './enums.ts';
import { parseBitRange } from './numbers.ts';
import { readProps, type Props } from './properties.ts';

/** The pass over a register's `<field>`s: bit positions, access, reset and enumerations. */

/** The register a field belongs to, as the field pass needs it. */
export interface FieldParent {
  /** The register's path and a dot, made once per register: a field's path is this and its name. */
  readonly childPrefix: string;
  readonly size: number;
  readonly props: Props;
  readonly resetValue: bigint;
  readonly resetMask: bigint;
  /**
   * Where a field's `derivedFrom` and its enumerations' are looked up: the register's scopes, the
   * register and its `<fields>`. Kept apart, so the list is made only for the few that derive.
   */
  readonly outerScopes: readonly XmlElement[];
  readonly element: XmlElement;
  readonly fieldsElement: XmlElement;
}

function readBits(ctx: SvdContext, element: XmlElement, name: string, path: string): { lsb: number; width: number } | undefined {
  const bitOffset = ctx.int(element, 'bitOffset');
  if (bitOffset !== undefined) return { lsb: bitOffset, width: ctx.int(element, 'bitWidth') ?? 1 };
  const lsb = ctx.int(element, 'lsb');
  const msb = ctx.int(element, 'msb');
  if (lsb !== undefined && msb !== undefined) {
    if (msb < lsb) ctx.diagnostics.warning('svd/msb-below-lsb', `field ${name}: msb ${msb} is below lsb ${lsb}; swapped`, ctx.span(element), { path });
    return { lsb: Math.min(lsb, msb), width: Math.abs(msb - lsb) + 1 };
  }
  const rangeEl = child(element, 'bitRange');
  if (rangeEl) {
    const range = parseBitRange(rangeEl.text);
    if (range && range.msb >= range.lsb) return { lsb: range.lsb, width: range.msb - range.lsb + 1 };
    ctx.diagnostics.error(
      'svd/bad-bit-range',
      `bitRange ${JSON.stringify(rangeEl.text.trim())} must be [msb:lsb] with msb ≥ lsb`,
      ctx.source.span(...textRange(rangeEl)),
      {
        path,
      },
    );
    return undefined;
  }
  if (!child(element, 'bitOffset') && !child(element, 'lsb')) {
    ctx.diagnostics.error('svd/missing-bits', `field ${name} has no bit position (bitOffset/bitWidth, lsb/msb or bitRange)`, ctx.span(element), { path });
  }
  return undefined;
}

export function readField(ctx: SvdContext, element: XmlElement, register: FieldParent): Field | undefined {
  const rawName = childText(element, 'name');
  if (!rawName) {
    ctx.diagnostics.error('svd/missing-name', 'a field without <name>', ctx.span(element));
    return undefined;
  }
  if (!ctx.countNode(element)) return undefined;
  // Spans are made in document order (this element before its children): SourceText answers those
  // from a cursor, where a lookup behind it builds the line index.
  const span = ctx.span(element);
  const { name, dim } = readDim(ctx, element, rawName, 'field');
  const path = register.childPrefix + name;
  const bits = readBits(ctx, element, name, path);
  if (!bits) return undefined;
  const top = bits.lsb + (dim ? (dim.count - 1) * dim.stride : 0) + bits.width;
  if (top > register.size) {
    ctx.diagnostics.warning(
      'svd/field-outside-register',
      `field ${name} (bits ${bits.lsb}..${top - 1}) does not fit in the ${register.size}-bit register`,
      ctx.span(element),
      {
        path,
      },
    );
  }
  // A field reads only access and the write/read semantics from the properties (never size or reset).
  const props = readProps(ctx, element, register.props);
  const access = fieldAccess(props.access ?? 'rw', props.onWrite ?? undefined, props.onRead, props.writeConstraint);
  let enums: EnumSet[] | undefined;
  const children = element.children;
  for (let i = 0; i < children.length; i++) {
    const raw = children[i] as XmlElement;
    if (raw.local !== 'enumeratedValues') continue;
    // The scopes are only needed (and only built) for a derivedFrom.
    const resolved =
      raw.attributes?.['derivedFrom'] === undefined
        ? raw
        : ctx.deriver.resolve(raw, [...register.outerScopes, register.element, register.fieldsElement, element], 'enumeratedValues');
    const set = readEnumSet(ctx, resolved, path, bits.width);
    if (set) (enums ??= []).push(set);
  }
  const description = normaliseText(child(element, 'description')?.text);
  const reset = fieldResetFromRegister(register.resetValue, register.resetMask, bits.lsb, bits.width);
  // In the IR's key order, one literal per common shape (as `readEnumValue`): a key added after the
  // literal goes to a property array, which grows by copying (two allocations for a field's six keys).
  const { lsb, width } = bits;
  let field: { -readonly [K in keyof Field]: Field[K] };
  if (description === undefined)
    field = reset === undefined ? { kind: 'field', name, path, span, lsb, width, access } : { kind: 'field', name, path, span, lsb, width, access, reset };
  else
    field =
      reset === undefined
        ? { kind: 'field', name, path, span, description, lsb, width, access }
        : { kind: 'field', name, path, span, description, lsb, width, access, reset };
  if (enums) field.enums = enums;
  if (dim) field.dim = dim;
  return field;
}
