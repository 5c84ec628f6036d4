import type { DeviceModel, FieldState, RegisterState } from './device-model.ts';

/** What a TypeScript peripheral model can do to the device. */
export interface HookContext {
  readonly model: DeviceModel;
  now(): number;
  /** A field by concrete path (`UART0.STATUS.TXE`); throws on an unknown path (a bug in the hook). */
  field(path: string): FieldState;
  get(path: string): number;
  /** A hardware write (interrupt fields take it as their input). */
  set(path: string, value: number): void;
  /** Sends bytes on an output stream (an EVENT to the host). */
  emit(stream: string, data: Uint8Array): void;
  /** Runs `run` after `delay` virtual ticks. */
  schedule(delay: number, run: () => void): void;
}

/**
 * A peripheral model for what declarations cannot express (a CRC engine, a DMA, an ADC with a
 * waveform). Every method is optional; declared behaviours run first, then the hook.
 */
export interface PeripheralModel {
  /** The peripheral this model drives (`UART0`). */
  readonly peripheral: string;
  attach?(context: HookContext): void;
  onWrite?(context: HookContext, register: RegisterState, data: number, enables: number): void;
  onRead?(context: HookContext, register: RegisterState, enables: number): void;
  /** Bytes injected into one of this peripheral's streams; returns how many it accepted. */
  onInput?(context: HookContext, stream: string, data: Uint8Array): number;
  onTick?(context: HookContext): void;
  onReset?(context: HookContext, kind: 'power-on' | 'soft'): void;
  /** `wuser` fields: the next value. */
  userWrite?(context: HookContext, field: FieldState, R: number, D: number, S: number): number;
  /** `ruser` / `external` fields: the value after the read. */
  userRead?(context: HookContext, field: FieldState, R: number): number;
  /** An extra source for the peripheral's interrupt line. */
  irq?(context: HookContext): boolean;
}
