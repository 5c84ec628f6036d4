import { specHash } from '../../src/ir/canonical.ts';
import type { Device, Field, Peripheral, Register, RegisterNode } from '../../src/ir/types.ts';
import { swReadable } from '../../src/ir/access.ts';
import type { GenConfig, GenOperation, GeneratorModel } from './types.ts';

export interface ModelInputs {
  /** Operations from contract binding; when absent, generic operations are derived from the IR. */
  readonly operations?: readonly GenOperation[];
  readonly config?: GenConfig;
  /** Also add the generic operations when contract operations are given. Default: only when none are. */
  readonly genericOperations?: boolean;
}

/** Builds the model every generator reads. */
export function buildGeneratorModel(device: Device, inputs: ModelInputs = {}): GeneratorModel {
  const contractOps = inputs.operations ?? [];
  const generic = inputs.genericOperations ?? contractOps.length === 0;
  return {
    device,
    specHash: specHash(device),
    operations: [...contractOps, ...(generic ? genericOperations(device) : [])],
    ...(inputs.config ? { config: inputs.config } : {}),
  };
}

function isFlag(field: Field): boolean {
  return field.width === 1 && !field.dim && (field.access.onWrite === 'woclr' || field.access.onWrite === 'wzc' || field.access.onRead === 'rclr');
}

/**
 * Operations every device gets without a contract: for each one-bit flag that has a clearing
 * semantics (write-1-to-clear, write-0-to-clear, read-to-clear), `clear_REG_FIELD` — the operation
 * naive read-modify-write code gets wrong — and `wait_REG_FIELD(timeout_ms)`, which polls until set.
 * Only top-level, non-array registers: array elements would need an index parameter.
 */
export function genericOperations(device: Device): GenOperation[] {
  const out: GenOperation[] = [];
  const visit = (peripheral: Peripheral, nodes: readonly RegisterNode[]): void => {
    for (const node of nodes) {
      if (node.kind !== 'register' || node.dim) continue;
      for (const field of node.fields) if (isFlag(field)) out.push(...flagOperations(peripheral, node, field));
    }
  };
  for (const p of device.peripherals) if (!p.dim) visit(p, p.registers);
  return out;
}

function flagOperations(peripheral: Peripheral, register: Register, field: Field): GenOperation[] {
  const base = `${register.name}_${field.name}`;
  const readable = swReadable(field.access.sw);
  const ops: GenOperation[] = [
    {
      name: `clear_${base}`,
      peripheral: peripheral.name,
      description: `Clears ${register.name}.${field.name} without disturbing other flags of the register.`,
      span: field.span,
      params: [],
      steps: [{ kind: 'clear', register: register.name, field: field.name }],
      origin: 'generic',
    },
  ];
  // Waiting on a read-to-clear flag would consume it; only flags that stay set are waited on.
  if (readable && field.access.onRead === undefined) {
    ops.push({
      name: `wait_${base}`,
      peripheral: peripheral.name,
      description: `Waits until ${register.name}.${field.name} is 1 (returns 1); a time-out is an error of the operation.`,
      span: field.span,
      params: [{ name: 'timeout_ms', type: 'u32' }],
      returns: 'bool',
      steps: [
        { kind: 'wait', register: register.name, field: field.name, equals: { const: 1 }, timeoutMs: { param: 'timeout_ms' } },
        { kind: 'read', register: register.name, field: field.name, into: 'flag' },
        { kind: 'return', value: { local: 'flag' } },
      ],
      origin: 'generic',
    });
  }
  return ops;
}
