import type { Field, Peripheral, Register } from '../src/ir/types.ts';
import type { CounterStep } from './semantics.ts';

/** What unreset fields (no reset value, SVD resetMask 0 bits) hold after a power-on reset. */
export type UnresetPolicy = 'zero' | 'random' | 'poison';
/**
 * Writes that touch only read-only fields: `ignore` (what silicon does; the trace notes it) or
 * `error` (answer ACCESS_ERROR, for strict driver tests). Read-only bits inside a register that also
 * has writable fields are always ignored: drivers write whole words.
 */
export type ReadOnlyWritePolicy = 'ignore' | 'error';

export interface ModelOptions {
  readonly unreset?: UnresetPolicy;
  readonly seed?: number;
  readonly readOnlyWrites?: ReadOnlyWritePolicy;
}

/** The value unreset fields get under the `poison` policy (masked to the field). */
export const POISON = 0xdeadbeef;

export interface FifoOptions {
  readonly depth: number;
  readonly overrun?: FieldState;
  readonly nonEmpty?: FieldState;
  readonly level?: FieldState;
}

/** A receive FIFO behind a field: reads pop it, `push` behaviours fill it. */
export interface Fifo extends FifoOptions {
  readonly items: number[];
  /** Value read when empty (hardware usually returns the last byte). */
  last: number;
}

export interface FieldState {
  readonly field: Field;
  /** Concrete path, arrays indexed: `UART0.CTRL.EN`, `DMA.CH[1].CR.EN`; hidden state: `TIMER0.COUNTER`. */
  readonly path: string;
  readonly register: RegisterState;
  readonly lsb: number;
  readonly width: number;
  value: number;
  /** Write-once latch (w1 / rw1): set by the first write after reset. */
  latched: boolean;
  /** Interrupt fields: the hardware input and its previous sample (edge detection). */
  input: number;
  previousInput: number;
  /** Singlepulse fields set by the current access, cleared when it ends. */
  pulsing: boolean;
  fifo?: Fifo;
  /** Overflow / underflow pulse of the last counter step. */
  counterEvent?: CounterStep;
}

export interface RegisterState {
  /** Concrete path: `UART0.STATUS`, `DMA.CH[1].CR`. */
  readonly path: string;
  readonly peripheral: Peripheral;
  readonly register: Register;
  readonly address: number;
  readonly bytes: number;
  readonly fields: readonly FieldState[];
}

/** One change made by an access or by hardware, for traces and VCD. */
export interface FieldChange {
  readonly field: string;
  readonly old: number;
  readonly new: number;
  /** Why, when it is not a plain store: `rclr`, `woclr`, `ignored: read-only`, `fifo pop`, … */
  readonly effect?: string;
}

/** Extension points for what declarations cannot express (SystemRDL wuser/ruser, external reads). */
export interface FieldHooks {
  /** `wuser` fields: return the next value. */
  userWrite?(field: FieldState, R: number, D: number, S: number): number;
  /** `ruser` / `external` fields without a FIFO: return the value after the read side effect. */
  userRead?(field: FieldState, R: number): number;
}

export interface AccessOutcome {
  readonly status: number;
  readonly value: number;
}

/** A new field state at its pre-reset values (the reset pass gives it its value). */
export function newFieldState(field: Field, path: string, register: RegisterState, lsb: number): FieldState {
  return { field, path, register, lsb, width: field.width, value: 0, latched: false, input: 0, previousInput: 0, pulsing: false };
}
