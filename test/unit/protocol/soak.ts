import { Prng } from '../../../firmware-sim/prng.ts';
import { LinkError, ProtocolError, type Client } from '../../../src/protocol/index.ts';

/**
 * A soak: random READ / WRITE / MODIFY on plain read-write registers of the demo board (rev-b),
 * pipelined, checked against a model of what the registers must hold. Every transaction ends
 * `correct` (value as the model says), `error` (reported by the client) or `wrong` (silently
 * different: the one outcome that must never happen).
 */
export const SOAK_REGISTERS: readonly { readonly address: number; readonly mask: number; readonly reset: number }[] = [
  { address: 0x4000_1000, mask: 0x1f, reset: 0 }, // UART0.CTRL
  { address: 0x4000_100c, mask: 0xffff, reset: 0x1a0 }, // UART0.BAUD (DIV, FRAC)
  { address: 0x4000_2000, mask: 0xffff, reset: 0 }, // GPIOA.MODER
  { address: 0x4000_2008, mask: 0xffff, reset: 0 }, // GPIOA.ODR
  { address: 0x4000_3008, mask: 0xffff, reset: 0 }, // TIM0.PSC
  { address: 0x4000_300c, mask: 0xffff, reset: 0xffff }, // TIM0.ARR
];

export interface SoakResult {
  correct: number;
  errors: number;
  wrong: number;
  /** Reads of a register whose value was unknown after an error (re-learned, not judged). */
  relearned: number;
}

type Op = { kind: 'read'; reg: number } | { kind: 'write'; reg: number; value: number } | { kind: 'modify'; reg: number; value: number; mask: number };

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Keeps `inflight` transactions issued ahead of the one being checked (the client pipelines them;
 * the device executes them in issue order) and checks results in issue order against the model.
 */
export async function soak(client: Client, transactions: number, seed: number, inflight = 512): Promise<SoakResult> {
  const prng = new Prng(seed);
  // undefined = unknown (a failed write may or may not have happened).
  const model: (number | undefined)[] = SOAK_REGISTERS.map((r) => r.reset);
  const result: SoakResult = { correct: 0, errors: 0, wrong: 0, relearned: 0 };
  const ops: Op[] = [];
  const outcomes: Promise<Outcome>[] = [];
  const issue = (): void => {
    const reg = prng.below(SOAK_REGISTERS.length);
    const pick = prng.below(3);
    const op: Op =
      pick === 0
        ? { kind: 'read', reg }
        : pick === 1
          ? { kind: 'write', reg, value: prng.nextU32() }
          : { kind: 'modify', reg, value: prng.nextU32(), mask: prng.nextU32() };
    const address = SOAK_REGISTERS[reg]!.address;
    const promise: Promise<unknown> =
      op.kind === 'read' ? client.read(address) : op.kind === 'write' ? client.write(address, op.value) : client.modify(address, op.value, op.mask);
    ops.push(op);
    outcomes.push(
      promise.then(
        (value) => ({ ok: true, value }) as const,
        (error: unknown) => ({ ok: false, error }) as const,
      ),
    );
  };
  for (let head = 0; head < transactions; head++) {
    while (ops.length < transactions && ops.length - head < inflight) issue();
    const outcome = await outcomes[head]!;
    const op = ops[head]!;
    const { mask } = SOAK_REGISTERS[op.reg]!;
    const known = model[op.reg];
    if (!outcome.ok) {
      if (!(outcome.error instanceof LinkError) && !(outcome.error instanceof ProtocolError)) throw outcome.error;
      result.errors++;
      if (op.kind !== 'read') model[op.reg] = undefined;
      continue;
    }
    if (op.kind === 'write') {
      model[op.reg] = (op.value & mask) >>> 0;
      result.correct++;
    } else if (op.kind === 'read') {
      const value = outcome.value as number;
      if (known === undefined) {
        result.relearned++;
        model[op.reg] = value;
      } else if (value === known) result.correct++;
      else result.wrong++;
    } else {
      const { old, value } = outcome.value as { old: number; value: number };
      const expected = known === undefined ? undefined : (((known & ~op.mask) | (op.value & op.mask)) & mask) >>> 0;
      if (known === undefined) result.relearned++;
      else if (old === known && value === expected) result.correct++;
      else result.wrong++;
      model[op.reg] = value;
    }
    // Free what was checked: 100 000 settled promises are not worth keeping.
    delete outcomes[head];
  }
  return result;
}
