import type { SourceSpan } from '../../src/ir/types.ts';

/**
 * The behaviour mini-language (docs/simulator.md). A behaviour is a trigger and a list of actions,
 * each written as one string in the hardware spec:
 *
 *   - on: write DATA
 *     do: [emit tx DATA.DATA, set STATUS.TXE 0, after 10 ticks set STATUS.TXE 1]
 *
 * Parsing resolves every register and field name against the device, so a typo is a located
 * diagnostic at load time rather than a silent no-op while a driver test runs.
 */

/** A field reference as written (`STATUS.TXE`, `TIM0.CR.UIE`) and where. */
export interface FieldRefText {
  readonly text: string;
  readonly span: SourceSpan;
}

export type Trigger =
  /** `task REG`: a software write that sets any bit of REG (a task or strobe register: writing 0 does nothing). */
  | { readonly kind: 'write' | 'read' | 'task'; readonly register: string }
  | { readonly kind: 'input'; readonly stream: string }
  | { readonly kind: 'tick' | 'reset' | 'always' };

export type Value =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'field'; readonly field: string }
  /** The byte being delivered by an `input` trigger. */
  | { readonly kind: 'input' }
  /** `V << W` (binary prescalers: `1 << PRESCALER.PRESCALER`); the result is taken modulo 2^32. */
  | { readonly kind: 'shift'; readonly value: Value; readonly by: Value };

export interface Term {
  readonly field: string;
  readonly negate: boolean;
  readonly compare?: { readonly op: '==' | '!='; readonly value: Value };
}
/** Terms joined by `and`. */
export type Condition = readonly Term[];

export type Action =
  | { readonly kind: 'set'; readonly field: string; readonly value: Value }
  | { readonly kind: 'pulse' | 'toggle'; readonly field: string }
  | { readonly kind: 'setbits' | 'clearbits' | 'togglebits'; readonly field: string; readonly value: Value }
  | { readonly kind: 'emit'; readonly stream: string; readonly value: Value }
  | { readonly kind: 'push'; readonly field: string; readonly value: Value }
  | { readonly kind: 'after'; readonly ticks: Value; readonly action: Action }
  | { readonly kind: 'irq'; readonly condition: Condition }
  | {
      readonly kind: 'count';
      readonly field: string;
      readonly when?: Condition;
      /** Counts once every (prescale + 1) calls, or once every `divide` calls (0 counts as 1). */
      readonly prescale?: Value;
      readonly divide?: Value;
      readonly wrap?: Value;
      readonly down: boolean;
    }
  /** After a `count`/`incr`/`decr` in the same list: `on-wrap` when it wrapped, `on-count` when it counted. */
  | { readonly kind: 'on-wrap' | 'on-count'; readonly action: Action }
  /** `hidden NAME [width N]`: declares hidden state of the peripheral (a declaration; does nothing when run). */
  | { readonly kind: 'hidden'; readonly name: string; readonly path: string; readonly width: number }
  | { readonly kind: 'step'; readonly field: string; readonly direction: 1 | -1; readonly by: Value }
  | { readonly kind: 'if'; readonly condition: Condition; readonly action: Action };

/** FIFO declared by a `push` action's options. */
export interface FifoDeclaration {
  readonly field: string;
  readonly depth: number;
  readonly overrun?: string;
  readonly nonEmpty?: string;
  readonly level?: string;
  readonly span: SourceSpan;
}

/** Hidden state declared by a `hidden` action: a variable no register holds, path `PERIPHERAL.NAME`. */
export interface HiddenDeclaration {
  readonly peripheral: string;
  readonly name: string;
  readonly path: string;
  readonly width: number;
  readonly span: SourceSpan;
}

export interface ParsedBehaviour {
  readonly peripheral: string;
  readonly trigger: Trigger;
  readonly actions: readonly Action[];
  readonly span: SourceSpan;
}
