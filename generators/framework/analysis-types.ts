import type { BitSegment, Device, OnRead, OnWrite, SourceSpan } from '../../src/ir/types.ts';
import type { ClearMethod, Neutral } from '../../src/ir/access.ts';

/**
 * What the language-neutral analysis gives every target's view-model (analysis.ts computes it):
 * names checked, arrays normalised, masks computed, and how each field must be treated by a
 * read-modify-write.
 */
export interface EnumValueView {
  readonly name: string;
  readonly value: number;
  readonly description?: string;
}

export type { Neutral, ClearMethod } from '../../src/ir/access.ts';

export interface FieldView {
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly lsb: number;
  readonly width: number;
  /** Register-relative mask (union of segments). */
  readonly mask: number;
  readonly segments: readonly BitSegment[];
  readonly readable: boolean;
  readonly writable: boolean;
  readonly onWrite?: OnWrite;
  readonly onRead?: OnRead;
  readonly singlePulse: boolean;
  readonly neutral: Neutral;
  readonly clear: ClearMethod;
  readonly reset?: bigint;
  /** Every enum value name of the field, read and write together (C macros, docs). */
  readonly enumValues: readonly EnumValueView[];
  /**
   * Values a read returns (SVD usage read / read-write) and values a write takes (write /
   * read-write), each its own namespace: nRF's INTENSET.TICK reads Disabled/Enabled and writes Set,
   * and `Set = 1` is no duplicate of `Enabled = 1`.
   */
  readonly readEnum: readonly EnumValueView[];
  readonly writeEnum: readonly EnumValueView[];
  /** True when the read enum names every value of the field's width (reads always map to a name). */
  readonly enumComplete: boolean;
  /** Short access summary for docs and comments (`rw`, `r/w1c`, `r/rclr`…). */
  readonly accessLabel: string;
  /** For an element of a field array (flattened to `P0..P7`): the array, for indexed `_Pos(n)` macros. */
  readonly array?: FieldArray;
}

export interface FieldArray {
  /** The array's name without the index (`P` of `P%s`). */
  readonly name: string;
  readonly index: number;
  readonly count: number;
  /** Bits between elements. */
  readonly stride: number;
  /** Position of element 0. */
  readonly firstLsb: number;
}

export interface ArrayLevel {
  readonly count: number;
  readonly stride: number;
}

export interface RegisterView {
  readonly kind: 'register';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  /** Byte offset from the parent node (peripheral or cluster element). */
  readonly offset: number;
  /** Byte offset from the peripheral base, every index 0. */
  readonly absOffset: number;
  /** Names from the peripheral down (`['CH', 'CTRL']`). */
  readonly nameParts: readonly string[];
  /** Array levels from the outermost cluster down to this register. */
  readonly arrayLevels: readonly ArrayLevel[];
  readonly dim?: ArrayLevel;
  readonly size: number;
  readonly byteSize: number;
  /** Exact (bigints, as in the IR): a 64-bit register's reset is emitted digit for digit. */
  readonly resetValue: bigint;
  readonly resetMask: bigint;
  readonly readable: boolean;
  readonly writable: boolean;
  /** A read changes state (read-to-clear, FIFO pop): never read implicitly, so no `modify`. */
  readonly readSideEffect: boolean;
  /** Bits a read-modify-write must force, and the values it forces them to. */
  readonly neutralMask: number;
  readonly neutralValue: number;
  /** Value a full `write` starts from: forced neutrals, reset values elsewhere. */
  readonly writeBase: number;
  readonly fields: readonly FieldView[];
  /** Deliberate overlap with another register (SVD alternates). */
  readonly alternateOf?: string;
}

export interface ClusterView {
  readonly kind: 'cluster';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly offset: number;
  readonly dim?: ArrayLevel;
  /** Bytes spanned by one element (children extent, or the declared size when larger). */
  readonly extent: number;
  readonly children: readonly NodeView[];
}

export type NodeView = RegisterView | ClusterView;

export interface PeripheralView {
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly baseAddress: number;
  readonly driverKind?: string;
  readonly interrupts: readonly { readonly name: string; readonly value: number }[];
  /**
   * Name of the layout this peripheral shares, stable across revisions: the SVD groupName when
   * that group has exactly this layout, else the instances' common stem (`USART1`, `USART2` →
   * `USART`), else the first instance name in natural order (`SPI1` of SPI1..SPI6). Never
   * "whichever instance has the lowest address", which an added peripheral would change.
   */
  readonly typeName: string;
  /** The instance whose header defines the shared layout (the first one with it). */
  readonly typeOwner: string;
  /** True for the peripheral that defines the shared layout. */
  readonly ownsType: boolean;
  readonly nodes: readonly NodeView[];
  /** Every register, depth first, in offset order. */
  readonly registers: readonly RegisterView[];
  /** Atomic set / clear / toggle alias distances (a board overlay's `aliases`), part of the layout. */
  readonly atomicAliases?: { readonly set?: number; readonly clear?: number; readonly toggle?: number };
}

export interface DeviceAnalysis {
  /** The device analysed, as given (the views are in canonical order). */
  readonly device: Device;
  readonly peripherals: readonly PeripheralView[];
  /** One entry per distinct layout, in first-use order. */
  readonly types: readonly PeripheralView[];
}
