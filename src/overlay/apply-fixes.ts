import type { Field, Peripheral, Register, RegisterNode } from '../ir/types.ts';
import { extractBig, onesBig, placeBig } from '../ir/bits.ts';
import { matchesGlob } from './glob.ts';
import type { FieldFix, PeripheralOverlay, RegisterFix } from './model.ts';

/** Applies `f` to every register of a node tree, with its peripheral-relative path (`CLUSTER.REG`). */
function mapRegisters(nodes: readonly RegisterNode[], prefix: string, f: (register: Register, relative: string) => Register): RegisterNode[] {
  return nodes.map((node) =>
    node.kind === 'cluster' ? { ...node, children: mapRegisters(node.children, `${prefix}${node.name}.`, f) } : f(node, `${prefix}${node.name}`),
  );
}

function fixField(field: Field, fix: FieldFix): Field {
  const access = { ...field.access };
  if (fix.access !== undefined) access.sw = fix.access;
  if (fix.onRead === null) delete access.onRead;
  else if (fix.onRead !== undefined) access.onRead = fix.onRead;
  if (fix.onWrite === null) delete access.onWrite;
  else if (fix.onWrite !== undefined) access.onWrite = fix.onWrite;
  if (fix.range !== undefined) access.writeConstraint = { kind: 'range', min: fix.range[0], max: fix.range[1] };
  return { ...field, access, ...(fix.reset !== undefined ? { reset: fix.reset } : {}) };
}

/** A new register reset value: the fields' resets follow it, and every bit becomes defined. */
function withRegisterReset(register: Register, reset: bigint): Register {
  const fields = register.fields.map((f) => ({ ...f, reset: extractBig(reset, f.lsb, f.width) }));
  return { ...register, resetValue: reset, resetMask: onesBig(register.size), fields };
}

/** A field's new reset placed into its register's reset value and mask. */
function placeFieldReset(register: Register, field: Field): Register {
  if (field.reset === undefined) return register;
  const mask = onesBig(field.width) << BigInt(field.lsb);
  const value = (register.resetValue & onesBig(register.size) & ~mask) | placeBig(field.reset, field.lsb, field.width);
  return { ...register, resetValue: value, resetMask: register.resetMask | mask };
}

/**
 * Fixes to resets and access (vendor bugs: a status flag that resets to the wrong value, a data
 * register without its FIFO read effect). Records which entries matched something.
 */
export function fixRegisters(peripheral: Peripheral, entry: PeripheralOverlay, matched: Set<string>): Peripheral {
  if (entry.registers.length === 0 && entry.fields.length === 0) return peripheral;
  const registers = mapRegisters(peripheral.registers, '', (register, relative) => {
    let out = register;
    for (const fix of entry.registers as readonly RegisterFix[]) {
      if (!matchesGlob(fix.register, relative)) continue;
      matched.add(fix.id);
      if (fix.reset !== undefined) out = withRegisterReset(out, fix.reset);
    }
    for (const fix of entry.fields) {
      if (!matchesGlob(fix.register, relative)) continue;
      const fields = out.fields.map((field) => {
        if (!matchesGlob(fix.field, field.name)) return field;
        matched.add(fix.id);
        return fixField(field, fix);
      });
      out = { ...out, fields };
      for (const field of fields) if (fix.reset !== undefined && matchesGlob(fix.field, field.name)) out = placeFieldReset(out, field);
    }
    return out;
  });
  return { ...peripheral, registers };
}
