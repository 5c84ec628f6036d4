import { ones } from '../../ir/bits.ts';
import type { EnumSet, EnumValue } from '../../ir/types.ts';
import { child, childText, normaliseText, SiblingNames, textRange, type XmlElement } from '../xml/index.ts';
import type { SvdContext } from './context.ts';
import { parseEnumValue } from './numbers.ts';

/** The pass over a field's `<enumeratedValues>`. */

export function readEnumSet(ctx: SvdContext, element: XmlElement, fieldPath: string, width: number): EnumSet | undefined {
  const usageText = childText(element, 'usage') ?? 'read-write';
  const usage = usageText === 'read' || usageText === 'write' || usageText === 'read-write' ? usageText : undefined;
  if (!usage)
    ctx.diagnostics.warning('svd/bad-enum-usage', `unknown enumeratedValues usage ${JSON.stringify(usageText)}; read-write assumed`, ctx.span(element));
  const values: EnumValue[] = [];
  const seen = new SiblingNames();
  const children = element.children;
  for (let i = 0; i < children.length; i++) {
    const v = children[i] as XmlElement;
    if (v.local !== 'enumeratedValue') continue;
    const value = readEnumValue(ctx, v, fieldPath, width);
    if (value && !ctx.duplicate(seen, value.name, v, 'enumerated value')) values.push(value);
  }
  const setName = childText(element, 'name');
  const headerEnumName = childText(element, 'headerEnumName');
  return {
    ...(setName ? { name: setName } : {}),
    ...(headerEnumName ? { headerEnumName } : {}),
    span: ctx.span(element),
    usage: usage ?? 'read-write',
    values,
  };
}

function readEnumValue(ctx: SvdContext, v: XmlElement, fieldPath: string, width: number): EnumValue | undefined {
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
          path: `${fieldPath}.${name}`,
        },
      );
    }
  } else if (!isDefault) {
    ctx.diagnostics.warning('svd/enum-without-value', `enumerated value ${name} has neither <value> nor <isDefault>; ignored`, ctx.span(v));
    return undefined;
  }
  // Built key by key in the IR's order (object spreads of optional keys cost an allocation each).
  const out: { -readonly [K in keyof EnumValue]: EnumValue[K] } = { name, path: `${fieldPath}.${name}`, span: ctx.span(v), value: isDefault ? 0 : value };
  if (description !== undefined) out.description = description;
  if (isDefault) out.isDefault = true;
  if (dontCareMask !== 0 && !isDefault) out.dontCareMask = dontCareMask;
  return out;
}
