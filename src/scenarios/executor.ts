import type { Device, Field, Peripheral, Register } from '../ir/types.ts';
import { isElementPathError, resolveElementPath } from '../ir/element-path.ts';
import { bitMask, extractBits, placeBits } from '../ir/bits.ts';
import { clearMethod, fieldNeutral } from '../ir/access.ts';
import { isWritable } from '../bind/side-effects.ts';
import { ProtocolError, Status, type Client } from '../protocol/index.ts';
import { waitTimeoutMessage } from './wait-timeout.ts';
import type { GenOperation, GenStep, GenValue } from '../../generators/index.ts';

/** Runs contract operations on a device. Implemented in-process (below) and by generated code. */
export interface OperationExecutor {
  readonly name: string;
  call(operation: string, args: readonly number[]): Promise<number | undefined>;
  close(): Promise<void>;
}

/** The `select` step the lowering emits for `solve` (solved at generation time, selected at run time). */
export type SelectStep = Extract<GenStep, { kind: 'select' }>;

export class OperationError extends Error {}

interface Located {
  readonly register: Register;
  readonly address: number;
}

/**
 * Executes lowered operations in TypeScript over the wire protocol: the reference the generated
 * targets are compared with, and what checks a contract's scenarios against the simulator before
 * any code is generated. Its read-modify-write never sets write-1-to-clear bits it was not asked to.
 */
export class InterpretedExecutor implements OperationExecutor {
  readonly name = 'interpreted';

  constructor(
    private readonly device: Device,
    private readonly client: Client,
    private readonly operations: readonly GenOperation[],
  ) {}

  /** The register (or the array element, `CC[0]`) a lowered step names, and its address. */
  private locate(peripheral: Peripheral, register: string): Located {
    const element = resolveElementPath(peripheral, register, false);
    if (isElementPathError(element)) throw new OperationError(`no register ${register} in ${peripheral.name}: ${element.message}`);
    return { register: element.register, address: peripheral.baseAddress + element.offset };
  }

  private field(peripheral: Peripheral, register: string, name: string): Field {
    const node = this.locate(peripheral, register).register.fields.find((f) => f.name === name);
    if (!node) throw new OperationError(`no field ${register}.${name} in ${peripheral.name}`);
    return node;
  }

  /** The bits a plain write must force so that fields it does not name keep their state (no flag cleared by accident). */
  private neutral(register: Register, except: ReadonlySet<string>): { mask: number; value: number } {
    let mask = 0;
    let value = 0;
    for (const f of register.fields) {
      if (except.has(f.name)) continue;
      const n = fieldNeutral(f, isWritable(f));
      if (n.kind === 'keep') continue;
      mask += bitMask(f.lsb, f.width);
      value += placeBits(n.value, f.lsb, f.width);
    }
    return { mask, value };
  }

  async call(operation: string, args: readonly number[]): Promise<number | undefined> {
    const op = this.operations.find((o) => `${o.peripheral}.${o.name}` === operation) ?? this.operations.find((o) => o.name === operation);
    if (!op) throw new OperationError(`no operation ${operation}`);
    const peripheral = this.device.peripherals.find((p) => p.name === op.peripheral);
    if (!peripheral) throw new OperationError(`no peripheral ${op.peripheral}`);
    const params = new Map(op.params.map((p, i) => [p.name, args[i] ?? 0]));
    const locals = new Map<string, number>();
    const value = (v: GenValue): number => ('const' in v ? v.const : 'param' in v ? (params.get(v.param) ?? 0) : (locals.get(v.local) ?? 0));
    const writeFields = async (kind: 'write' | 'modify', register: string, fields: readonly { field: string; value: GenValue }[]): Promise<void> => {
      const { register: reg, address } = this.locate(peripheral, register);
      let mask = 0;
      let data = 0;
      for (const f of fields) {
        const field = this.field(peripheral, register, f.field);
        mask += bitMask(field.lsb, field.width);
        data += placeBits(value(f.value), field.lsb, field.width);
      }
      const neutral = this.neutral(reg, new Set(fields.map((f) => f.field)));
      if (kind === 'write') {
        await this.client.write(address, (data + neutral.value) >>> 0, { width: (reg.size / 8) as 1 | 2 | 4 });
      } else {
        // MODIFY is one masked write in the device: flags outside the mask are never touched.
        await this.client.modify(address, data >>> 0, mask >>> 0, { width: (reg.size / 8) as 1 | 2 | 4 });
      }
    };
    for (const step of op.steps) {
      switch (step.kind) {
        case 'write':
        case 'modify':
          await writeFields(step.kind, step.register, step.fields);
          break;
        case 'read': {
          const { register: reg, address } = this.locate(peripheral, step.register);
          const field = this.field(peripheral, step.register, step.field);
          const raw = await this.client.read(address, { width: (reg.size / 8) as 1 | 2 | 4 });
          locals.set(step.into, extractBits(raw, field.lsb, field.width));
          break;
        }
        case 'wait': {
          const { register: reg, address } = this.locate(peripheral, step.register);
          const field = this.field(peripheral, step.register, step.field);
          const width = { width: (reg.size / 8) as 1 | 2 | 4 };
          const reached = await this.client
            .waitFor(address, placeBits(value(step.equals), field.lsb, field.width), bitMask(field.lsb, field.width), value(step.timeoutMs), width)
            .then(
              (r) => r.value,
              (error: unknown) => {
                if (error instanceof ProtocolError && error.status === Status.TIMEOUT) return undefined;
                throw error;
              },
            );
          // On a time-out, the field is read once more, as the generated targets do.
          const now = extractBits(reached ?? (await this.client.read(address, width)), field.lsb, field.width);
          // The words every op runner uses (src/scenarios/wait-timeout.ts explains them).
          if (now !== value(step.equals))
            throw new OperationError(
              waitTimeoutMessage(`${op.peripheral}.${op.name}`, { field: `${step.register}.${step.field}`, value: now, expected: value(step.equals) }),
            );
          break;
        }
        case 'clear': {
          const { register: reg, address } = this.locate(peripheral, step.register);
          const field = this.field(peripheral, step.register, step.field);
          const fieldBits = bitMask(field.lsb, field.width);
          const others = this.neutral(reg, new Set([field.name])).value;
          switch (clearMethod(field)) {
            case 'read':
              await this.client.read(address);
              break;
            case 'write-one':
            case 'any-write':
              await this.client.write(address, (fieldBits + others) >>> 0);
              break;
            case 'write-zero':
              await this.client.write(address, others >>> 0);
              break;
            case 'plain':
              await this.client.modify(address, 0, fieldBits >>> 0);
              break;
          }
          break;
        }
        case 'return':
          return value(step.value);
        case 'select': {
          const wanted = value(step.on);
          const chosen = step.cases.find((c) => c.value === wanted);
          if (!chosen) throw new OperationError(`${op.name}: ${step.quantity} = ${wanted} is not among the solved values`);
          for (const w of chosen.writes) await writeFields('modify', w.register, w.fields);
          break;
        }
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    // The client belongs to the session.
  }
}
