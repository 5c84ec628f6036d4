import { hex } from '../../src/ir/bits.ts';
import type { ClusterView, NodeView, PeripheralView, RegisterView } from '../framework/analysis.ts';
import { cComment } from '../framework/escape.ts';
import { memberName, SymbolTable } from '../framework/identifiers.ts';
import { cType, lit } from './c-syntax.ts';

export interface StructMember {
  readonly decl: string;
  readonly comment: string;
}

export interface StructView {
  readonly name: string;
  readonly comment: string;
  readonly members: readonly StructMember[];
  readonly asserts: readonly string[];
  /** Members whose offset `asserts` checks (what the layout self-test may compare with offsetof). */
  readonly offsetChecked: ReadonlySet<string>;
}

/**
 * Struct overlays mirror the register layout with explicit reserved padding. A layout C cannot
 * express as plain members (misaligned registers, odd widths, array strides that are not the element
 * size) gets no overlay and says why; the macros above always work.
 */
export interface OverlayResult {
  readonly structs: StructView[];
  readonly note: string;
}

/**
 * CMSIS qualifier of a struct member: `__I` (const) when software cannot write the register, `__O`
 * when it cannot read it, `__IO` otherwise. A readable register with write-side-effect flags
 * (write-1-to-clear and friends) is `__I` too: `->REG |= x` would clear every pending flag, so the
 * overlay only reads it and writes go through the `_WRITE` / `_MODIFY` macros, which force them.
 */
function memberQualifier(reg: RegisterView, sym: string): { qualifier: '__I' | '__O' | '__IO'; note: string } {
  if (!reg.writable) return { qualifier: '__I', note: '' };
  if (!reg.readable) return { qualifier: '__O', note: '' };
  if (reg.neutralMask !== 0) return { qualifier: '__I', note: ` (write-side-effect flags: write with ${sym}_WRITE / ${sym}_MODIFY)` };
  return { qualifier: '__IO', note: '' };
}

function alignmentOf(node: NodeView): number {
  if (node.kind === 'register') return cType(node.size).width / 8;
  return Math.max(1, ...node.children.map(alignmentOf));
}

export function overlay(p: PeripheralView): OverlayResult {
  const structs: StructView[] = [];
  const problem = { text: '' };
  // Returns the struct's sizeof, or undefined when no overlay can express the layout. `size` is the
  // element stride of an array of clusters (fixed: the members must fit in it) or a single
  // cluster's extent (a floor: a nested array pads its last element to the stride, as C does).
  const build = (
    name: string,
    comment: string,
    nodes: readonly NodeView[],
    size: { bytes: number; fixed: boolean } | undefined,
    path: string,
  ): number | undefined => {
    const members: StructMember[] = [];
    const asserts: string[] = [];
    const offsetChecked = new Set<string>();
    const table = new SymbolTable(name, []);
    let position = 0;
    for (const node of nodes) {
      const memberSize = node.kind === 'register' ? cType(node.size).width / 8 : node.extent;
      const stride = node.dim?.stride ?? memberSize;
      if (node.kind === 'register' && (node.size % 8 !== 0 || cType(node.size).width !== node.size)) {
        problem.text = `${node.path} is ${node.size} bits wide`;
        return undefined;
      }
      if (node.offset < position) {
        members.push({ decl: '', comment: `${node.name} at ${hex(node.offset)} overlaps an earlier member: use the ${p.typeName}_${node.name} macros` });
        continue;
      }
      const align = alignmentOf(node);
      if (node.offset % align !== 0) {
        problem.text = `${node.path} at ${hex(node.offset)} is not aligned to ${align} bytes`;
        return undefined;
      }
      if (node.dim && stride !== memberSize && node.kind === 'register') {
        problem.text = `${node.path} is an array with stride ${stride} of ${memberSize}-byte registers`;
        return undefined;
      }
      if (node.offset > position) {
        members.push({ decl: `uint8_t reserved_${hex(position).slice(2)}[${node.offset - position}];`, comment: '' });
      }
      const member = memberName(node.name, 'c');
      if (!table.claim(member, node.path, undefined) || !table.claim(`reserved_${hex(node.offset).slice(2)}`, node.path, undefined)) {
        problem.text = `member ${member} collides with another member`;
        return undefined;
      }
      const dims = node.dim ? `[${node.dim.count}]` : '';
      if (node.kind === 'register') {
        const { qualifier, note } = memberQualifier(node, `${p.typeName}_${node.nameParts.join('_')}`);
        members.push({ decl: `${qualifier} ${cType(node.size).type} ${member}${dims};`, comment: `${hex(node.offset)} ${cComment(node.description)}${note}` });
        position = node.offset + (node.dim ? node.dim.count * stride : memberSize);
      } else {
        const clusterType = `${name.replace(/_Type$/, '')}_${node.name}_Type`;
        const elementSize = node.dim ? node.dim.stride : node.extent;
        if (elementSize < node.extent || elementSize % alignmentOf(node) !== 0) {
          problem.text = `${node.path} elements are ${elementSize} bytes apart but span ${node.extent}`;
          return undefined;
        }
        const built = build(
          clusterType,
          cComment(node.description),
          (node as ClusterView).children,
          { bytes: elementSize, fixed: node.dim !== undefined },
          `${path}.${node.name}`,
        );
        if (built === undefined) return undefined;
        members.push({ decl: `${clusterType} ${member}${dims};`, comment: hex(node.offset) });
        position = node.offset + (node.dim ? node.dim.count : 1) * built;
      }
      asserts.push(`SD_STATIC_ASSERT(offsetof(${name}, ${member}) == ${lit(node.offset)}, ${name}_${member});`);
      offsetChecked.add(member);
    }
    if (size?.fixed && position > size.bytes) {
      problem.text = `${path} elements are ${size.bytes} bytes apart but their members span ${position}`;
      return undefined;
    }
    const total = size === undefined ? undefined : Math.max(size.bytes, position);
    if (total !== undefined && total > position) members.push({ decl: `uint8_t reserved_${hex(position).slice(2)}[${total - position}];`, comment: '' });
    if (total !== undefined) asserts.push(`SD_STATIC_ASSERT(sizeof(${name}) == ${lit(total)}, ${name}_size);`);
    structs.push({ name, comment, members, asserts, offsetChecked });
    return total ?? position;
  };
  // ISO C has no empty structs; a peripheral without registers gets only its base address.
  if (p.nodes.length === 0) return { structs: [], note: `No struct overlay for ${p.typeName}: it has no registers.` };
  const ok = build(`${p.typeName}_Type`, `${p.typeName} register layout`, p.nodes, undefined, p.name) !== undefined;
  return ok ? { structs, note: '' } : { structs: [], note: `No struct overlay for ${p.typeName}: ${cComment(problem.text)}. Use the macros.` };
}
