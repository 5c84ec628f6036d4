import type { Dim, DimArrayIndex } from '../../ir/types.ts';
import { child, childrenNamed, childText, normaliseText, optionalTexts, textRange, type XmlElement } from '../xml/index.ts';
import type { SvdContext } from './context.ts';
import { parseDimIndex, stripDimPlaceholder } from './numbers.ts';

/** The pass over SVD's dimElementGroup: arrays of peripherals, clusters, registers and fields. */

/** The dim group of an element, checked against its name. Returns the IR name and dim. */
export function readDim(ctx: SvdContext, element: XmlElement, rawName: string, kind: string): { name: string; dim?: Dim } {
  const name = stripDimPlaceholder(rawName);
  const dimEl = child(element, 'dim');
  if (!dimEl) {
    if (rawName.includes('%s')) {
      ctx.diagnostics.warning(
        'svd/placeholder-without-dim',
        `${kind} name ${JSON.stringify(rawName)} has %s but no <dim>; the placeholder is dropped`,
        ctx.span(element),
      );
    }
    return { name };
  }
  const count = ctx.intOf(dimEl, 'dim');
  const stride = ctx.int(element, 'dimIncrement');
  if (count === undefined) return { name };
  if (count > ctx.limits.maxDim) {
    ctx.diagnostics.error('limits/dim-too-large', `dim ${count} is larger than the limit ${ctx.limits.maxDim}`, ctx.source.span(...textRange(dimEl)));
    return { name };
  }
  if (stride === undefined) {
    ctx.diagnostics.warning('svd/missing-dim-increment', `<dim> without <dimIncrement>; a stride of 0 is assumed`, ctx.span(dimEl));
  }
  const indexEl = child(element, 'dimIndex');
  let indices: string[] | undefined;
  if (indexEl) {
    indices = parseDimIndex(indexEl.text);
    if (!indices) {
      ctx.diagnostics.warning(
        'svd/bad-dim-index',
        `dimIndex ${JSON.stringify(indexEl.text.trim())} is not a range (0-3, A-D) or a list (A,B,C); 0..${count - 1} used`,
        ctx.source.span(...textRange(indexEl)),
      );
    } else if (indices.length !== count) {
      ctx.diagnostics.warning(
        'svd/dim-index-count',
        `dimIndex has ${indices.length} entries but dim is ${count}; 0..${count - 1} used`,
        ctx.source.span(...textRange(indexEl)),
      );
      indices = undefined;
    }
  }
  if (!rawName.includes('%s')) {
    ctx.diagnostics.warning('svd/dim-without-placeholder', `${kind} ${JSON.stringify(rawName)} has <dim> but no %s in its name`, ctx.span(element));
  }
  // The default shapes (0..n-1 indices, `NAME[%s]`) are not stored, so every importer gives the same IR for the same array.
  const defaultIndices = indices?.every((s, i) => s === String(i)) ?? true;
  const keepPattern = rawName !== `${name}[%s]`;
  const dimName = normaliseText(child(element, 'dimName')?.text);
  const dimArrayIndex = readDimArrayIndex(ctx, element);
  return {
    name,
    dim: {
      count,
      stride: stride ?? 0,
      ...(indices && !defaultIndices ? { indices } : {}),
      ...(keepPattern ? { namePattern: rawName } : {}),
      ...(dimName !== undefined ? { dimName } : {}),
      ...(dimArrayIndex ? { dimArrayIndex } : {}),
    },
  };
}

/** SVD `dimArrayIndex`: an enumeration naming the indices of an array. */
function readDimArrayIndex(ctx: SvdContext, element: XmlElement): DimArrayIndex | undefined {
  const el = child(element, 'dimArrayIndex');
  if (!el) return undefined;
  const headerEnumName = normaliseText(child(el, 'headerEnumName')?.text);
  const values = childrenNamed(el, 'enumeratedValue').flatMap((v) => {
    const name = childText(v, 'name');
    const value = ctx.int(v, 'value');
    if (!name || value === undefined) {
      ctx.diagnostics.warning('svd/bad-dim-array-index', 'a dimArrayIndex value needs <name> and <value>; ignored', ctx.span(v));
      return [];
    }
    return [{ name, value, ...optionalTexts(v, ['description']) }];
  });
  return { ...(headerEnumName !== undefined ? { headerEnumName } : {}), values };
}
