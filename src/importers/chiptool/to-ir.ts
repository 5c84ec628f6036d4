import type { Diagnostic } from '../../diagnostics/types.ts';
import type { Cluster, Device, Field, Peripheral, Register, RegisterNode } from '../../ir/types.ts';
import type { ImportLimits } from '../types.ts';
import { valueOf, ValueReader, type LocatedValue } from '../../yaml/index.ts';
import { ChiptoolFields } from './fields.ts';
import { collect, type Definition, itemKeys, type Member } from './model.ts';

/**
 * chiptool YAML (embassy-rs/stm32-data `data/registers/*.yaml`) → IR.
 *
 * - Top-level keys are `block/NAME`, `fieldset/NAME`, `enum/NAME`.
 * - `extends` (blocks and fieldsets) is resolved as chiptool's ExpandExtends does: the parent's
 *   items/fields whose names the child does not define are appended after the child's own, along
 *   the whole chain.
 * - Which blocks become peripherals: every block that no other block of the file uses as a sub-block
 *   (`block:` item). Those are the register blocks chips instantiate (USART and LPUART, TIM_BASIC…
 *   TIM_ADV, including extends bases such as TIM_CORE); each becomes a peripheral at base 0, since
 *   a register-block file carries no addresses. Sub-blocks become clusters.
 * - Registers without a `fieldset` are plain `bit_size` registers with no fields.
 * - `access: Read|Write` makes every field read-only / write-only; chiptool says nothing about
 *   hardware access, so fields are `hw: rw` (hardware may read and update them), and nothing about
 *   reset values, so registers have resetMask 0.
 * - A register that starts at the same offset as an earlier one of its block (CCMR_Input and
 *   CCMR_Output) is marked `alternateOf` that register: a deliberate overlap, as SVD says it.
 */
export function chiptoolToIr(root: LocatedValue, deviceName: string, limits: ImportLimits, diagnostics: Diagnostic[]): Device | undefined {
  const reader = new ValueReader('chiptool', diagnostics);
  const top = reader.object(root, 'a chiptool file');
  if (!top) return undefined;
  const model = collect(top, reader);
  const converter = new Converter(model, reader, limits);
  const peripherals: Peripheral[] = [];
  for (const [name, block] of model.blocks) {
    if (model.subBlocks.has(name)) continue;
    peripherals.push(converter.peripheral(name, block));
  }
  if (converter.nodeCount > limits.maxNodes) {
    reader.error('too-many-nodes', `the file describes ${converter.nodeCount} registers and fields; the limit is ${limits.maxNodes}`, top.span);
  }
  return {
    kind: 'device',
    name: deviceName,
    span: top.span,
    width: 32,
    addressUnitBits: 8,
    clocks: [],
    peripherals,
    sourceFormat: 'chiptool',
  };
}

class Converter extends ChiptoolFields {
  peripheral(name: string, block: Definition): Peripheral {
    const description = this.text(valueOf(block.body, 'description'));
    return {
      kind: 'peripheral',
      name,
      path: name,
      span: block.keySpan,
      ...(description !== undefined ? { description } : {}),
      baseAddress: 0,
      addressBlocks: [],
      interrupts: [],
      registers: this.blockItems(block, name, [name]),
      quantities: [],
      behaviours: [],
    };
  }

  /** `stack` holds the blocks being expanded, to refuse a block that contains itself. */
  private blockItems(block: Definition, parentPath: string, stack: readonly string[]): RegisterNode[] {
    if (stack.length > this.limits.maxDepth) {
      this.reader.error('too-deep', `blocks nest deeper than ${this.limits.maxDepth} levels`, block.keySpan);
      return [];
    }
    const nodes: RegisterNode[] = [];
    const firstAtOffset = new Map<number, string>();
    for (const member of this.members('block', block)) {
      const node = this.item(member, parentPath, stack, firstAtOffset);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  private item(member: Member, parentPath: string, stack: readonly string[], firstAtOffset: Map<number, string>): RegisterNode | undefined {
    const { value: item, name } = member;
    const where = `item ${name} of ${parentPath}`;
    this.reader.unknownKeys(item, itemKeys, where);
    const offset = this.reader.integer(this.reader.required(item, 'byte_offset', where), 'byte_offset');
    const description = this.text(valueOf(item, 'description'));
    const arrayValue = valueOf(item, 'array');
    const dim = arrayValue === undefined ? undefined : this.dim(arrayValue, where, 'bytes');
    const fieldsetValue = valueOf(item, 'fieldset');
    const blockValue = valueOf(item, 'block');
    const span = valueOf(item, 'name')?.span ?? item.span;
    const path = `${parentPath}.${name}`;
    if (offset === undefined || (arrayValue !== undefined && dim === undefined)) return undefined;
    if (fieldsetValue !== undefined && blockValue !== undefined) {
      this.reader.error('bad-item', `${where} has both fieldset and block; an item is either a register or a sub-block`, span);
      return undefined;
    }
    if (blockValue !== undefined) {
      const subName = this.reader.string(blockValue, 'block');
      if (subName === undefined) return undefined;
      const sub = this.model.blocks.get(subName);
      if (!sub) {
        this.reader.error('unknown-block', `${where} uses block ${subName}, which this file does not define`, blockValue.span);
        return undefined;
      }
      if (stack.includes(subName)) {
        this.reader.error('block-cycle', `block ${subName} contains itself (${[...stack, subName].join(' → ')})`, blockValue.span);
        return undefined;
      }
      const children = this.blockItems(sub, path, [...stack, subName]);
      const cluster: Cluster = {
        kind: 'cluster',
        name,
        path,
        span,
        ...(description !== undefined ? { description } : {}),
        offset,
        byteSize: extentOf(children),
        ...(dim ? { dim } : {}),
        children,
      };
      return cluster;
    }
    const sizeValue = valueOf(item, 'bit_size');
    const size = sizeValue === undefined ? 32 : this.reader.integer(sizeValue, 'bit_size');
    if (size === undefined) return undefined;
    if (size === 0 || size > 64 || size % 8 !== 0) {
      this.reader.error('bad-size', `${where} has bit_size ${size}; registers are 8, 16, 32 or 64 bits`, sizeValue?.span ?? span);
      return undefined;
    }
    const accessValue = valueOf(item, 'access');
    const accessText = accessValue === undefined ? 'ReadWrite' : this.reader.string(accessValue, 'access');
    const sw = accessText === 'Read' ? 'r' : accessText === 'Write' ? 'w' : accessText === 'ReadWrite' ? 'rw' : undefined;
    if (sw === undefined) {
      if (accessText !== undefined)
        this.reader.error('bad-access', `access ${JSON.stringify(accessText)} of ${where} must be Read, Write or ReadWrite`, accessValue?.span ?? span);
      return undefined;
    }
    let fields: Field[] = [];
    if (fieldsetValue !== undefined) {
      const fsName = this.reader.string(fieldsetValue, 'fieldset');
      const fieldset = fsName === undefined ? undefined : this.model.fieldsets.get(fsName);
      if (!fieldset) {
        if (fsName !== undefined)
          this.reader.error('unknown-fieldset', `${where} uses fieldset ${fsName}, which this file does not define`, fieldsetValue.span);
        return undefined;
      }
      fields = this.fields(fieldset, path, size, { sw, hw: 'rw' });
    }
    const alternate = firstAtOffset.get(offset);
    if (alternate === undefined) firstAtOffset.set(offset, name);
    this.nodeCount += 1 + fields.length;
    const register: Register = {
      kind: 'register',
      name,
      path,
      span,
      ...(description !== undefined ? { description } : {}),
      offset,
      size,
      resetValue: 0n,
      resetMask: 0n,
      ...(dim ? { dim } : {}),
      ...(alternate !== undefined ? { alternateOf: alternate } : {}),
      fields,
    };
    return register;
  }
}

/** Bytes covered by a cluster's children (first element to the end of the last array element). */
function extentOf(children: readonly RegisterNode[]): number {
  let end = 0;
  for (const child of children) {
    const one = child.kind === 'register' ? child.size / 8 : (child.byteSize ?? 0);
    const last = child.dim ? (child.dim.offsets ? Math.max(...child.dim.offsets) : (child.dim.count - 1) * child.dim.stride) : 0;
    end = Math.max(end, child.offset + last + one);
  }
  return end;
}
