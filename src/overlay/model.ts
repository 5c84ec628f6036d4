import type { Behaviour, Clock, FieldAccess, Interrupt, Quantity, SourceSpan } from '../ir/types.ts';

/** One entry of an overlay, tracked so that an entry matching nothing can be reported where it is written. */
export interface OverlayEntry {
  /** Stable id within the overlay (what "matched" is recorded against). */
  readonly id: string;
  /** How the entry is named in messages: `peripheral UART*`, `field UART*.UARTDR.DATA`. */
  readonly what: string;
  readonly span: SourceSpan;
}

export interface FieldFix extends OverlayEntry {
  readonly register: string;
  readonly field: string;
  readonly access?: FieldAccess['sw'];
  /** `null` removes the side effect. */
  readonly onRead?: FieldAccess['onRead'] | null;
  readonly onWrite?: FieldAccess['onWrite'] | null;
  readonly reset?: bigint;
  /** Write constraint: the values software may write. */
  readonly range?: readonly [number, number];
}

export interface RegisterFix extends OverlayEntry {
  readonly register: string;
  readonly reset?: bigint;
}

/** Byte distances from a register to its atomic set / clear / toggle aliases. */
export interface AtomicAliases {
  readonly set?: number;
  readonly clear?: number;
  readonly toggle?: number;
}

export interface PeripheralOverlay extends OverlayEntry {
  readonly pattern: string;
  readonly kind?: string;
  readonly interrupts?: readonly Interrupt[];
  readonly quantities: readonly Quantity[];
  readonly behaviours: readonly Behaviour[];
  readonly aliases?: AtomicAliases;
  readonly registers: readonly RegisterFix[];
  readonly fields: readonly FieldFix[];
}

export interface Waiver extends OverlayEntry {
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

export interface Overlay {
  readonly file: string;
  readonly board?: string;
  readonly clocks: readonly Clock[];
  readonly peripherals: readonly PeripheralOverlay[];
  readonly waivers: readonly Waiver[];
}
