import { onesBig } from '../../ir/bits.ts';
import type { Cluster, Field, Register, RegisterNode } from '../../ir/types.ts';
import { child, childText, normaliseText, optionalTexts, SiblingNames, type XmlElement } from '../xml/index.ts';
import type { SvdContext } from './context.ts';
import { readDim } from './dim.ts';
import { expandCollidingArrays } from './expand.ts';
import { type FieldParent, readField } from './fields.ts';
import { type Props, readProps } from './properties.ts';

/** The pass over the registers and clusters of a peripheral (recursively through clusters). */

export function readNodes(
  ctx: SvdContext,
  elements: readonly XmlElement[],
  scopes: readonly XmlElement[],
  parentPath: string,
  props: Props,
  depth: number,
): RegisterNode[] {
  const out: RegisterNode[] = [];
  // The element each node of `out` was read from, as written (before derivedFrom): only a finding needs it.
  const raws: XmlElement[] = [];
  const seen = new SiblingNames();
  const derived = new Set<RegisterNode>();
  const resolvedElements: XmlElement[] = [];
  // The element as written, for the few that a derivedFrom replaced (a map per level was one entry per register).
  let writtenAs: Map<XmlElement, XmlElement> | undefined;
  for (let i = 0; i < elements.length; i++) {
    const raw = elements[i] as XmlElement;
    if (raw.local !== 'register' && raw.local !== 'cluster') continue;
    const element = ctx.deriver.resolve(raw, scopes, raw.local === 'register' ? 'register' : 'cluster');
    resolvedElements.push(element);
    if (element !== raw) (writtenAs ??= new Map()).set(element, raw);
  }
  const { elements: members, expanded, created } = expandCollidingArrays(resolvedElements, ctx.expansionBudget);
  ctx.expansionBudget -= created;
  for (const array of expanded) {
    ctx.diagnostics.info(
      'svd/array-expanded',
      `${array.local} array ${childText(array, 'name')} shares its base name with a sibling; its elements are imported one by one, with the names CMSIS-SVD gives them`,
      ctx.span(array),
      { path: `${parentPath}.${childText(array, 'name')}` },
    );
  }
  // A child's path is this and its name (one string object per path instead of two).
  const prefix = `${parentPath}.`;
  for (let i = 0; i < members.length; i++) {
    const element = members[i] as XmlElement;
    if (ctx.tooMany) break;
    const raw = writtenAs?.get(element) ?? element;
    const node = raw.local === 'register' ? readRegister(ctx, element, scopes, prefix, props) : readCluster(ctx, element, scopes, prefix, props, depth);
    if (!node) continue;
    if (ctx.duplicate(seen, node.name, raw, raw.local)) continue;
    if (ctx.deriver.derivedElements.has(element)) derived.add(node);
    out.push(node);
    raws.push(raw);
  }
  checkDerivedOverlap(ctx, out, raws, derived);
  return out;
}

/**
 * A derived register placed over the bytes of another register is almost always a copy-paste
 * mistake (the offset was not changed). Plain overlaps are left to validation, since vendors
 * overlap read-only/write-only pairs on purpose.
 */
function checkDerivedOverlap(ctx: SvdContext, nodes: readonly RegisterNode[], raws: readonly XmlElement[], derived: ReadonlySet<RegisterNode>): void {
  if (derived.size === 0) return;
  const extent = (n: RegisterNode): [number, number] => {
    const one = n.kind === 'register' ? Math.max(1, n.size / 8) : (n.byteSize ?? 1);
    const count = n.dim ? (n.dim.count - 1) * n.dim.stride + one : one;
    return [n.offset, n.offset + count];
  };
  for (let i = 0; i < nodes.length; i++) {
    const d = nodes[i] as RegisterNode;
    if (!derived.has(d) || d.kind !== 'register' || d.alternateOf !== undefined || d.alternateGroup !== undefined) continue;
    const [a0, a1] = extent(d);
    for (let j = 0; j < nodes.length; j++) {
      const other = nodes[j] as RegisterNode;
      if (other === d || other.kind !== 'register' || other.alternateOf !== undefined || other.alternateGroup !== undefined) continue;
      const [b0, b1] = extent(other);
      if (a0 < b1 && b0 < a1) {
        ctx.diagnostics.error(
          'svd/derived-overlap',
          `derived register ${d.name} overlaps register ${other.name} (bytes ${a0}..${a1 - 1} and ${b0}..${b1 - 1})`,
          ctx.span(raws[i] as XmlElement),
          {
            path: d.path,
            related: [{ message: `${other.name} is here`, span: ctx.span(raws[j] as XmlElement) }],
            hint: 'give the derived register its own <addressOffset>, or mark the overlap with <alternateRegister>',
          },
        );
        break;
      }
    }
  }
}

function readCluster(
  ctx: SvdContext,
  element: XmlElement,
  scopes: readonly XmlElement[],
  /** The parent's path and a dot. */
  prefix: string,
  inherited: Props,
  depth: number,
): Cluster | undefined {
  const rawName = childText(element, 'name');
  if (!rawName) {
    ctx.diagnostics.error('svd/missing-name', 'a cluster without <name>', ctx.span(element));
    return undefined;
  }
  if (depth > ctx.limits.maxDepth) {
    ctx.diagnostics.error('limits/too-deep', `clusters nest deeper than ${ctx.limits.maxDepth} levels`, ctx.span(element));
    return undefined;
  }
  // Spans are made in document order (this element before its children): SourceText answers those
  // from a cursor, where a lookup behind it builds the line index.
  const span = ctx.span(element);
  const { name, dim } = readDim(ctx, element, rawName, 'cluster');
  const path = prefix + name;
  const offset = ctx.int(element, 'addressOffset');
  if (offset === undefined && !child(element, 'addressOffset'))
    ctx.diagnostics.error('svd/missing-offset', `cluster ${name} has no <addressOffset>`, ctx.span(element));
  const props = readProps(ctx, element, inherited);
  const children = readNodes(ctx, element.children, [...scopes, element], path, props, depth + 1);
  const alternateOf = childText(element, 'alternateCluster');
  return {
    kind: 'cluster',
    name,
    path,
    span,
    ...optionalTexts(element, ['description', 'headerStructName']),
    ...(alternateOf ? { alternateOf } : {}),
    offset: offset ?? 0,
    ...(ctx.clusterSizes.has(path) ? { byteSize: ctx.clusterSizes.get(path) } : {}),
    ...(dim ? { dim } : {}),
    children,
  };
}

/** `prefix` is the parent's path and a dot. */
function readRegister(ctx: SvdContext, element: XmlElement, scopes: readonly XmlElement[], prefix: string, inherited: Props): Register | undefined {
  const rawName = childText(element, 'name');
  if (!rawName) {
    ctx.diagnostics.error('svd/missing-name', 'a register without <name>', ctx.span(element));
    return undefined;
  }
  if (!ctx.countNode(element)) return undefined;
  // Spans are made in document order (this element before its children): SourceText answers those
  // from a cursor, where a lookup behind it builds the line index.
  const span = ctx.span(element);
  const { name, dim } = readDim(ctx, element, rawName, 'register');
  const path = prefix + name;
  const offset = ctx.int(element, 'addressOffset');
  if (offset === undefined && !child(element, 'addressOffset'))
    ctx.diagnostics.error('svd/missing-offset', `register ${name} has no <addressOffset>`, ctx.span(element), { path });
  const props = readProps(ctx, element, inherited);
  const size = props.size ?? 32;
  const resetValue = props.resetValue ?? 0n;
  // No reset value anywhere means the reset is unknown; a value without a mask defines every bit.
  const resetMask = props.resetValue === undefined && props.resetMask === undefined ? 0n : (props.resetMask ?? onesBig(size));
  const fields: Field[] = [];
  const fieldsEl = child(element, 'fields');
  if (fieldsEl) {
    const seen = new SiblingNames();
    const parent: FieldParent = { childPrefix: `${path}.`, size, props, resetValue, resetMask, outerScopes: scopes, element, fieldsElement: fieldsEl };
    const children = fieldsEl.children;
    for (let i = 0; i < children.length; i++) {
      const raw = children[i] as XmlElement;
      if (raw.local !== 'field') continue;
      if (ctx.tooMany) break;
      const f = readField(ctx, raw.attributes?.['derivedFrom'] === undefined ? raw : ctx.deriver.resolve(raw, [...scopes, element], 'field'), parent);
      if (!f || ctx.duplicate(seen, f.name, raw, 'field')) continue;
      fields.push(f);
    }
  }
  const alternateOf = childText(element, 'alternateRegister');
  const alternateGroup = childText(element, 'alternateGroup');
  const description = normaliseText(child(element, 'description')?.text);
  const displayName = normaliseText(child(element, 'displayName')?.text);
  const dataType = normaliseText(child(element, 'dataType')?.text);
  const plain =
    description !== undefined &&
    displayName !== undefined &&
    dataType === undefined &&
    dim === undefined &&
    !alternateOf &&
    !alternateGroup &&
    props.writeConstraint === undefined &&
    !props.onWrite &&
    props.onRead === undefined &&
    props.protection === undefined;
  if (plain) {
    // The common shape as one literal in the IR's key order: V8 keeps a literal's keys in the object,
    // where keys added one by one go to a property array that grows by copying (three for a register).
    const resetValueOrZero = resetMask === 0n ? 0n : resetValue;
    const access = props.access;
    return access === undefined
      ? { kind: 'register', name, path, span, description, displayName, offset: offset ?? 0, size, resetValue: resetValueOrZero, resetMask, fields }
      : { kind: 'register', name, path, span, description, displayName, offset: offset ?? 0, size, resetValue: resetValueOrZero, resetMask, access, fields };
  }
  // Built key by key in the IR's order (object spreads of optional keys cost an allocation each).
  const register: { -readonly [K in keyof Register]: Register[K] } = { kind: 'register', name, path, span } as Register;
  if (description !== undefined) register.description = description;
  if (displayName !== undefined) register.displayName = displayName;
  if (dataType !== undefined) register.dataType = dataType;
  register.offset = offset ?? 0;
  register.size = size;
  register.resetValue = resetMask === 0n ? 0n : resetValue;
  register.resetMask = resetMask;
  if (dim) register.dim = dim;
  if (alternateOf) register.alternateOf = alternateOf;
  if (alternateGroup) register.alternateGroup = alternateGroup;
  // Register-level properties as stated here or inherited: what a register without fields has.
  if (props.access !== undefined) register.access = props.access;
  if (props.writeConstraint !== undefined) register.writeConstraint = props.writeConstraint;
  if (props.onWrite) register.onWrite = props.onWrite;
  if (props.onRead !== undefined) register.onRead = props.onRead;
  if (props.protection !== undefined) register.protection = props.protection;
  register.fields = fields;
  return register;
}
