import { ones } from '../../ir/bits.ts';
import type { EnumSet, EnumValue, SourceSpan } from '../../ir/types.ts';
import { child, childText, normaliseText, SiblingNames, textRange, type XmlElement } from '../xml/index.ts';
import type { SvdContext } from './context.ts';
import { parseEnumValue } from './numbers.ts';

/** The pass over a field's `<enumeratedValues>`. */

export function readEnumSet(ctx: SvdContext, element: XmlElement, fieldPath: string, width: number): EnumSet | undefined {
  const usageText = childText(element, 'usage') ?? 'read-write';
  const usage = usageText === 'read' || usageText === 'write' || usageText === 'read-write' ? usageText : undefined;
  if (!usage)
    ctx.diagnostics.warning('svd/bad-enum-usage', `unknown enumeratedValues usage ${JSON.stringify(usageText)}; read-write assumed`, ctx.span(element));
  // Spans are made in document order (this element before its children): SourceText answers those
  // from a cursor, where a lookup behind it builds the line index.
  const span = ctx.span(element);
  const values: EnumValue[] = [];
  // Made once per set: each value's path is this and its name, one string object instead of two.
  const prefix = `${fieldPath}.`;
  // Names seen, by the values kept: a set of a few values is scanned (no index per set); a large one gets a map.
  let seen: SiblingNames<SourceSpan> | undefined;
  const children = element.children;
  for (let i = 0; i < children.length; i++) {
    const v = children[i] as XmlElement;
    if (v.local !== 'enumeratedValue') continue;
    const value = readEnumValue(ctx, v, prefix, width);
    if (!value) continue;
    if (seen === undefined && values.length >= SCAN_LIMIT) {
      seen = new SiblingNames<SourceSpan>();
      for (let j = 0; j < values.length; j++) seen.set((values[j] as EnumValue).name, (values[j] as EnumValue).span);
    }
    const first = seen ? seen.get(value.name) : firstNamed(values, value.name);
    if (first) {
      ctx.duplicateAt(value.span, first, value.name, 'enumerated value');
      continue;
    }
    seen?.set(value.name, value.span);
    values.push(value);
  }
  const setName = childText(element, 'name');
  const headerEnumName = childText(element, 'headerEnumName');
  // Built key by key in the IR's order (object spreads of optional keys cost an allocation each).
  const set: { -readonly [K in keyof EnumSet]: EnumSet[K] } = {} as EnumSet;
  if (setName) set.name = setName;
  if (headerEnumName) set.headerEnumName = headerEnumName;
  set.span = span;
  set.usage = usage ?? 'read-write';
  set.values = values;
  return set;
}

const SCAN_LIMIT = 16;

/** The span of the first kept value named `name`. */
function firstNamed(values: readonly EnumValue[], name: string): SourceSpan | undefined {
  for (let i = 0; i < values.length; i++) if ((values[i] as EnumValue).name === name) return (values[i] as EnumValue).span;
  return undefined;
}

/** `prefix` is the field's path and a dot. */
function readEnumValue(ctx: SvdContext, v: XmlElement, prefix: string, width: number): EnumValue | undefined {
  const name = childText(v, 'name');
  if (!name) {
    ctx.diagnostics.warning('svd/missing-name', 'an enumeratedValue without <name> is ignored', ctx.span(v));
    return undefined;
  }
  const description = normaliseText(child(v, 'description')?.text);
  const isDefault = childText(v, 'isDefault') === 'true';
  const valueEl = child(v, 'value');
  let value = 0;
  let dontCareMask = 0;
  if (valueEl) {
    const parsed = parseEnumValue(valueEl.text);
    if (!parsed) {
      ctx.diagnostics.error(
        'svd/bad-number',
        `enumerated value ${name}: ${JSON.stringify(valueEl.text.trim())} is not a number (decimal, 0x hex, #/0b binary with x for don't care)`,
        ctx.source.span(...textRange(valueEl)),
      );
      return undefined;
    }
    ({ value, dontCareMask } = parsed);
    if (value + dontCareMask > ones(width)) {
      ctx.diagnostics.warning(
        'svd/enum-value-too-wide',
        `enumerated value ${name} = ${valueEl.text.trim()} does not fit in ${width} bit(s)`,
        ctx.source.span(...textRange(valueEl)),
        {
          path: prefix + name,
        },
      );
    }
  } else if (!isDefault) {
    ctx.diagnostics.warning('svd/enum-without-value', `enumerated value ${name} has neither <value> nor <isDefault>; ignored`, ctx.span(v));
    return undefined;
  }
  // In the IR's key order. One literal per common shape: V8 keeps a literal's keys in the object
  // itself, while a key added afterwards goes to a property array of its own (an allocation more per
  // value, and one more object for the young-generation collector to copy).
  const path = prefix + name;
  const span = ctx.span(v);
  const numeric = isDefault ? 0 : value;
  const out: { -readonly [K in keyof EnumValue]: EnumValue[K] } =
    description === undefined ? { name, path, span, value: numeric } : { name, path, span, value: numeric, description };
  if (isDefault) out.isDefault = true;
  if (dontCareMask !== 0 && !isDefault) out.dontCareMask = dontCareMask;
  return out;
}
