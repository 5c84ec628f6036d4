/**
 * The specdrive IR: one typed, read-only model of a device, fed by every importer and read by every
 * later stage (validate, diff, bind, generators, firmware-sim).
 *
 * Why a plain-data tree: every stage must be able to serialise, hash and compare it, and nothing may
 * mutate it behind another stage's back. Transforms return new trees.
 *
 * Conventions:
 * - Offsets and addresses are byte addresses; widths are in bits.
 * - Values are JavaScript numbers. Registers of up to 32 bits are exact everywhere; wider registers
 *   are accepted, but values above 2^53 lose precision (importers warn). See docs/decisions.md.
 * - Every node carries `path` (stable, dot separated, e.g. `UART0.CTRL.ENABLE`) and `span`.
 * - Arrays are kept as arrays (`dim`), never flattened, so generators can emit loops and indices.
 */

import type { SourceSpan } from '../diagnostics/span.ts';

// The span type lives with the diagnostics (the lowest layer); re-exported for the IR's users.
export type { SourceSpan };

/** Software access (SystemRDL `sw`; SVD access incl. writeOnce / read-writeOnce). */
export type SwAccess = 'rw' | 'r' | 'w' | 'rw1' | 'w1' | 'na';
/** Hardware access (SystemRDL `hw`). */
export type HwAccess = 'rw' | 'r' | 'w' | 'na';

/**
 * Write side effect (SystemRDL `onwrite`, SVD `modifiedWriteValues`). Absent means a plain write.
 * Bit equations (R stored, D data, S enable mask) live in docs/access-semantics.md.
 */
export type OnWrite = 'woclr' | 'woset' | 'wot' | 'wzs' | 'wzc' | 'wzt' | 'wclr' | 'wset' | 'wuser';

/**
 * Read side effect (SystemRDL `onread`, SVD `readAction`). `external` is SVD `modifyExternal`
 * (the read changes other state, e.g. a FIFO pop) which SystemRDL cannot say.
 */
export type OnRead = 'rclr' | 'rset' | 'ruser' | 'external';

export type InterruptKind = 'level' | 'posedge' | 'negedge' | 'bothedge';
/** SystemRDL: stickybit (default for interrupts), sticky (whole value), nonsticky. */
export type Stickiness = 'stickybit' | 'sticky' | 'nonsticky';

export interface CounterSemantics {
  /** Increment step (constant); absent when the field only counts down. */
  readonly incrValue?: number;
  readonly decrValue?: number;
  /** Saturation limits; `true` means the natural limit of the width. */
  readonly incrSaturate?: number | true;
  readonly decrSaturate?: number | true;
  readonly incrThreshold?: number | true;
  readonly decrThreshold?: number | true;
  /** Whether an overflow / underflow pulse exists. */
  readonly overflow?: boolean;
  readonly underflow?: boolean;
}

export interface InterruptSemantics {
  readonly kind: InterruptKind;
  readonly sticky: Stickiness;
  /** Path of the field enabling this interrupt, or of the field masking it. */
  readonly enable?: string;
  readonly mask?: string;
  readonly nonMaskable?: boolean;
}

export type WriteConstraint =
  | { readonly kind: 'writeAsRead' }
  | { readonly kind: 'useEnumeratedValues' }
  | { readonly kind: 'range'; readonly min: number; readonly max: number };

/** One access model covering SystemRDL field properties and CMSIS-SVD access attributes. */
export interface FieldAccess {
  readonly sw: SwAccess;
  readonly hw: HwAccess;
  readonly onRead?: OnRead;
  readonly onWrite?: OnWrite;
  readonly singlePulse?: boolean;
  /** Hardware set / clear inputs (hwset wins over hwclr). */
  readonly hwSet?: boolean;
  readonly hwClr?: boolean;
  /** Which side wins when software and hardware update in the same cycle. Default `sw`. */
  readonly precedence?: 'sw' | 'hw';
  /** SystemRDL swmod / swacc strobes. */
  readonly swMod?: boolean;
  readonly swAcc?: boolean;
  readonly counter?: CounterSemantics;
  readonly interrupt?: InterruptSemantics;
  readonly writeConstraint?: WriteConstraint;
}

export interface EnumValue {
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly value: number;
  readonly description?: string;
  /** SVD `isDefault`: the name for every value not listed. `value` is then meaningless (0). */
  readonly isDefault?: boolean;
  /** SVD don't-care bits (`#1xx0`): bits set here match any value. */
  readonly dontCareMask?: number;
}

export interface EnumSet {
  readonly name?: string;
  /** SVD `headerEnumName`: the C enum name a header generator should use. */
  readonly headerEnumName?: string;
  readonly span: SourceSpan;
  /** SVD `usage`; native enums are read-write. */
  readonly usage: 'read' | 'write' | 'read-write';
  readonly values: readonly EnumValue[];
}

/** A contiguous run of bits. */
export interface BitSegment {
  readonly lsb: number;
  readonly width: number;
}

/** Array shape, kept instead of flattening (SVD dim, SystemRDL arrays, chiptool arrays). */
export interface Dim {
  readonly count: number;
  /** Byte stride for registers/clusters/peripherals; bit stride for field arrays. */
  readonly stride: number;
  /** SVD dimIndex names (e.g. ['A','B','C']); absent means 0..count-1. */
  readonly indices?: readonly string[];
  /** The original name pattern (`CCR%s`, `ARR[%s]`), kept so exporters can give it back. */
  readonly namePattern?: string;
  /**
   * Explicit per-element offsets (chiptool offset-list arrays). When present `stride` is 0 and
   * these are added to the element's own offset.
   */
  readonly offsets?: readonly number[];
  /** SVD `dimName`: the C type name of one element of a cluster array (`headerStructName` of the element). */
  readonly dimName?: string;
  /** SVD `dimArrayIndex`: names for the array's indices (an enum the header may emit). */
  readonly dimArrayIndex?: DimArrayIndex;
}

/** SVD `dimArrayIndex`: an enumeration naming each index of an array. */
export interface DimArrayIndex {
  readonly headerEnumName?: string;
  readonly values: readonly { readonly name: string; readonly value: number; readonly description?: string }[];
}

/** SVD `protection`: secure, non-secure, or privileged access only (CMSIS-SVD 1.3). */
export type Protection = 's' | 'n' | 'p';

export interface Field {
  readonly kind: 'field';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  /** Lowest bit and total width. For split fields, `segments` says where the bits are. */
  readonly lsb: number;
  readonly width: number;
  /** Only for fields split over several bit ranges (low logical bits first). */
  readonly segments?: readonly BitSegment[];
  readonly access: FieldAccess;
  /** Reset value of the field; absent means not reset. A bigint: fields up to 64 bits stay exact. */
  readonly reset?: bigint;
  readonly enums?: readonly EnumSet[];
  readonly dim?: Dim;
}

export interface Register {
  readonly kind: 'register';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  /** Byte offset from the parent (peripheral or cluster). */
  readonly offset: number;
  /** Width in bits. */
  readonly size: number;
  /**
   * Register reset value and which bits of it are defined (SVD resetMask). Bigints, so a 64-bit
   * register's all-ones mask (2^64 − 1) is exact; helpers in bits.ts.
   */
  readonly resetValue: bigint;
  readonly resetMask: bigint;
  /**
   * Width in bits of one bus access when narrower than the register (SystemRDL accesswidth): a
   * 64-bit register read as two 32-bit halves needs only 4-byte alignment.
   */
  readonly accessWidth?: number;
  readonly dim?: Dim;
  /** SVD alternateRegister / alternateGroup: a deliberate overlap. */
  readonly alternateOf?: string;
  readonly alternateGroup?: string;
  /**
   * Register-level access as the source states it (SVD `<access>` on the register or inherited from
   * its cluster, peripheral or device). Fields without their own access take it; a register without
   * fields has no other access at all (ATSAMD21 DSU.ENTRY1 is read-only). Absent: not stated.
   */
  readonly access?: SwAccess;
  /** Register-level SVD `writeConstraint`, `modifiedWriteValues`, `readAction` (stated or inherited). */
  readonly writeConstraint?: WriteConstraint;
  readonly onWrite?: OnWrite;
  readonly onRead?: OnRead;
  /** SVD `protection` (stated or inherited). */
  readonly protection?: Protection;
  /** SVD `displayName` (a name for documentation) and `dataType` (the C type a header should use). */
  readonly displayName?: string;
  readonly dataType?: string;
  readonly fields: readonly Field[];
}

export interface Cluster {
  readonly kind: 'cluster';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly offset: number;
  /** Byte size of one element, when known (needed to check array strides). */
  readonly byteSize?: number;
  readonly dim?: Dim;
  /** SVD alternateCluster: another view of the named sibling cluster (a deliberate overlap). */
  readonly alternateOf?: string;
  /** SVD `headerStructName`: the C struct name a header generator should use. */
  readonly headerStructName?: string;
  readonly children: readonly RegisterNode[];
}

export type RegisterNode = Register | Cluster;

export interface Interrupt {
  readonly name: string;
  readonly span: SourceSpan;
  readonly value: number;
  readonly description?: string;
}

export interface AddressBlock {
  readonly offset: number;
  readonly size: number;
  readonly usage: 'registers' | 'buffer' | 'reserved';
  readonly protection?: Protection;
}

/** A derived quantity, e.g. `baud = HCLK / (16 * BAUD.DIV + BAUD.FRAC)`. */
export interface Quantity {
  readonly name: string;
  readonly span: SourceSpan;
  readonly expression: string;
  readonly unit?: string;
}

/** A simulator behaviour as written in the spec; firmware-sim parses `actions`. */
export interface Behaviour {
  readonly span: SourceSpan;
  readonly trigger: string;
  readonly actions: readonly string[];
}

export interface Peripheral {
  readonly kind: 'peripheral';
  readonly name: string;
  readonly path: string;
  readonly span: SourceSpan;
  readonly description?: string;
  /** What driver contracts bind to (`uart`, `gpio`, `timer`); absent for imported maps. */
  readonly driverKind?: string;
  readonly groupName?: string;
  /** SVD alternatePeripheral: shares its addresses with the named peripheral (a deliberate overlap). */
  readonly alternateOf?: string;
  /**
   * The bus interface the peripheral's addresses belong to, when a block has several (reggen's
   * `registers: { core: [...], dmi: [...] }`): each is its own address space, based at 0 in the
   * IP's description; absent means the one system bus. Peripherals on different interfaces never overlap.
   */
  readonly addressSpace?: string;
  /** SVD header naming: `prependToName`/`appendToName` for register names, `headerStructName` for the struct. */
  readonly prependToName?: string;
  readonly appendToName?: string;
  readonly headerStructName?: string;
  /** SVD `disableCondition`: a C expression under which the peripheral must not be accessed (kept as text). */
  readonly disableCondition?: string;
  readonly version?: string;
  readonly baseAddress: number;
  readonly dim?: Dim;
  readonly addressBlocks: readonly AddressBlock[];
  readonly interrupts: readonly Interrupt[];
  readonly registers: readonly RegisterNode[];
  readonly quantities: readonly Quantity[];
  readonly behaviours: readonly Behaviour[];
  /**
   * Atomic alias windows (RP2040 and others): writing a register's address plus `set` sets the
   * written bits, plus `clear` clears them, plus `toggle` flips them, without a read. Byte
   * distances from each register; declared by a board overlay.
   */
  readonly atomicAliases?: { readonly set?: number; readonly clear?: number; readonly toggle?: number };
}

export interface Clock {
  readonly name: string;
  readonly span: SourceSpan;
  readonly hz: number;
}

/** One SVD `sauRegionsConfig/region`: a Security Attribution Unit region preset. */
export interface SauRegion {
  readonly name?: string;
  readonly enabled?: boolean;
  readonly base: number;
  readonly limit: number;
  /** `n` non-secure, `c` secure non-secure-callable. */
  readonly access: 'n' | 'c';
}

/**
 * The processor core (CMSIS-SVD `<cpu>`), what a CMSIS device header configures (`__CM4_REV`,
 * `__MPU_PRESENT`, `__NVIC_PRIO_BITS`, ...). Every member but `name` is optional because vendor files
 * omit some; the CMSIS defaults (svdconv) then apply: revision r0p0, little endian, booleans false,
 * nvicPrioBits 4 (see docs/hardware-format.md).
 */
export interface Cpu {
  readonly span: SourceSpan;
  /** CMSIS core name as written: CM0, CM0PLUS, CM0+, CM3, CM4, CM7, CM23, CM33, CM35P, CM55, CM85, other... */
  readonly name: string;
  /** Core revision `rNpM` (e.g. r0p1). */
  readonly revision?: string;
  readonly endian?: 'little' | 'big' | 'selectable' | 'other';
  readonly mpuPresent?: boolean;
  readonly fpuPresent?: boolean;
  readonly fpuDP?: boolean;
  readonly dspPresent?: boolean;
  readonly icachePresent?: boolean;
  readonly dcachePresent?: boolean;
  readonly itcmPresent?: boolean;
  readonly dtcmPresent?: boolean;
  readonly vtorPresent?: boolean;
  readonly nvicPrioBits?: number;
  readonly vendorSystickConfig?: boolean;
  readonly deviceNumInterrupts?: number;
  readonly sauNumRegions?: number;
  readonly sauRegionsConfig?: {
    readonly enabled?: boolean;
    readonly protectionWhenDisabled?: Protection;
    readonly regions: readonly SauRegion[];
  };
}

export type SourceFormat = 'specdrive-yaml' | 'svd' | 'ipxact' | 'hjson' | 'chiptool' | 'systemrdl';

export interface Device {
  readonly kind: 'device';
  readonly name: string;
  readonly span: SourceSpan;
  readonly description?: string;
  readonly vendor?: string;
  readonly version?: string;
  /** Board and revision (native specs); importers fill `board` from the device name. */
  readonly board?: string;
  readonly revision?: string;
  readonly supersedes?: string;
  /** Bus width in bits (SVD `width`) and default register size. */
  readonly width: number;
  readonly addressUnitBits: number;
  readonly usb?: { readonly vendorId: number; readonly productId: number };
  /** SVD `<cpu>`; absent when the source does not say. */
  readonly cpu?: Cpu;
  /** SVD device header details: `series`, `vendorID`, `licenseText`, `headerSystemFilename`, `headerDefinitionsPrefix`. */
  readonly series?: string;
  readonly vendorID?: string;
  readonly licenseText?: string;
  readonly headerSystemFilename?: string;
  readonly headerDefinitionsPrefix?: string;
  readonly clocks: readonly Clock[];
  readonly peripherals: readonly Peripheral[];
  readonly sourceFormat: SourceFormat;
}

export type IrNode = Device | Peripheral | Cluster | Register | Field;
