import * as z from 'zod';

/**
 * The native hardware spec format, v1. zod is the source of truth: the loader validates with it and
 * `hardware-specs/schema/hardware.schema.json` is generated from it (see `emitJsonSchema`).
 */

import { HARDWARE_SPEC_ID } from '../formats.ts';

export { HARDWARE_SPEC_ID };

/**
 * Integers may be written as YAML numbers or as strings with `0x`/`0b` prefixes and `_` separators
 * (`0x4000_1000`, `48_000_000`): YAML 1.2 reads underscores as strings, and hardware people write them.
 */
const INTEGER_TEXT = /^(0x[0-9a-fA-F][0-9a-fA-F_]*|0b[01][01_]*|[0-9][0-9_]*)$/;
const integerOfAnyWidth = z.union([z.number().int().nonnegative(), z.string().regex(INTEGER_TEXT, 'expected an integer such as 42, 0x2A or 0b101010')]);
export type IntegerInput = z.infer<typeof integerOfAnyWidth>;

/**
 * Reset values and masks: exact at any width (a 64-bit all-ones mask is above 2^53). The YAML loader
 * keeps integers beyond 2^53 as their source text, so they arrive here as strings.
 */
export const wideInteger = integerOfAnyWidth;

/** Addresses, sizes, counts: JavaScript numbers in the IR, so at most 2^53 − 1. */
export const integer = integerOfAnyWidth.superRefine((v, ctx) => {
  if (typeof v === 'string' && INTEGER_TEXT.test(v) && integerBig(v) > BigInt(Number.MAX_SAFE_INTEGER)) {
    ctx.addIssue({
      code: 'too_big',
      origin: 'number',
      maximum: Number.MAX_SAFE_INTEGER,
      inclusive: true,
      input: v,
      message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`,
    });
  }
});

export function integerBig(input: IntegerInput): bigint {
  if (typeof input === 'number') return BigInt(input);
  return BigInt(input.replace(/_/g, ''));
}

export function integerValue(input: IntegerInput): number {
  return typeof input === 'number' ? input : Number(integerBig(input));
}

/** `5`, `"7..0"`, `"7:0"` (msb first, as in datasheets). */
export const bits = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\s*\d+\s*(\.\.|:)\s*\d+\s*$/, 'expected a bit (5) or a range written msb..lsb ("7..0") or msb:lsb ("7:0")'),
]);

export const swAccess = z.enum(['rw', 'r', 'w', 'rw1', 'w1', 'na', 'ro', 'wo']);
export const hwAccess = z.enum(['rw', 'r', 'w', 'na']);
export const onWrite = z.enum(['woclr', 'woset', 'wot', 'wzs', 'wzc', 'wzt', 'wclr', 'wset', 'wuser']);
/** `fifo` is shorthand for `external`: reading pops a queue. */
export const onRead = z.enum(['rclr', 'rset', 'ruser', 'external', 'fifo']);

/** SVD `protection`: secure, non-secure, privileged. */
export const protection = z.enum(['s', 'n', 'p']);

const dim = z.strictObject({
  count: integer,
  stride: integer,
  indices: z.array(z.string()).optional(),
  // Additions for imported maps (SVD names such as `CCR%s`, chiptool offset-list arrays).
  namePattern: z.string().optional(),
  offsets: z.array(integer).optional(),
  // SVD header naming: the element type name and an enum naming the indices.
  dimName: z.string().optional(),
  dimArrayIndex: z
    .strictObject({
      headerEnumName: z.string().optional(),
      values: z.record(z.string(), z.union([integer, z.strictObject({ value: integer, description: z.string().optional() })])),
    })
    .optional(),
});

/** An enum value: a number, or (imported maps) an object with a description, SVD isDefault or don't-care bits. */
const enumValue = z.union([
  integer,
  z.strictObject({
    value: integer.optional(),
    description: z.string().optional(),
    default: z.literal(true).optional(),
    dontCare: integer.optional(),
  }),
]);

/** The full enum form: several sets with SVD usage and names (the `enum` key is the one-set shorthand). */
const enumSet = z.strictObject({
  name: z.string().optional(),
  headerEnumName: z.string().optional(),
  usage: z.enum(['read', 'write', 'read-write']).optional(),
  values: z.record(z.string(), enumValue),
});

const counter = z.strictObject({
  incr: integer.optional(),
  decr: integer.optional(),
  saturate: z.union([integer, z.literal(true)]).optional(),
  threshold: z.union([integer, z.literal(true)]).optional(),
  overflow: z.boolean().optional(),
  underflow: z.boolean().optional(),
});

const interrupt = z.union([
  z.literal(true),
  z.strictObject({
    kind: z.enum(['level', 'posedge', 'negedge', 'bothedge']).optional(),
    sticky: z.enum(['stickybit', 'sticky', 'nonsticky']).optional(),
    enable: z.string().optional(),
    mask: z.string().optional(),
  }),
]);

const writeConstraint = z.union([z.literal('writeAsRead'), z.literal('useEnumeratedValues'), z.strictObject({ min: integer, max: integer })]);

export const fieldSchema = z.strictObject({
  bits,
  access: swAccess.optional(),
  hw: hwAccess.optional(),
  reset: wideInteger.optional(),
  onwrite: onWrite.optional(),
  onread: onRead.optional(),
  singlepulse: z.boolean().optional(),
  hwset: z.boolean().optional(),
  hwclr: z.boolean().optional(),
  precedence: z.enum(['sw', 'hw']).optional(),
  counter: counter.optional(),
  interrupt: interrupt.optional(),
  writeConstraint: writeConstraint.optional(),
  enum: z.record(z.string(), integer).optional(),
  enums: z.array(enumSet).optional(),
  dim: dim.optional(),
  description: z.string().optional(),
});

export const registerSchema = z.strictObject({
  offset: integer,
  // Imported maps (IP-XACT) may have any register width up to 64 bits.
  size: z.union([z.literal(8), z.literal(16), z.literal(32), z.literal(64), z.number().int().min(1).max(64)]).optional(),
  reset: wideInteger.optional(),
  /** Which bits of `reset` are defined (SVD resetMask); default all bits when `reset` is given. */
  resetMask: wideInteger.optional(),
  /** Bits of one bus access when narrower than the register (SystemRDL accesswidth). */
  accessWidth: z.union([z.literal(8), z.literal(16), z.literal(32)]).optional(),
  alternateGroup: z.string().optional(),
  description: z.string().optional(),
  dim: dim.optional(),
  alternateOf: z.string().optional(),
  /** Register-level access: the default of its fields, and the only access of a register without fields. */
  access: swAccess.optional(),
  /** Register-level SVD semantics (imported maps): write constraint, write and read side effects, protection. */
  writeConstraint: writeConstraint.optional(),
  onwrite: onWrite.optional(),
  onread: onRead.optional(),
  protection: protection.optional(),
  displayName: z.string().optional(),
  dataType: z.string().optional(),
  fields: z.record(z.string(), fieldSchema),
});

export interface ClusterInput {
  offset: IntegerInput;
  description?: string | undefined;
  alternateOf?: string | undefined;
  headerStructName?: string | undefined;
  dim?: z.infer<typeof dim> | undefined;
  size?: IntegerInput | undefined;
  registers: Record<string, z.infer<typeof registerSchema> | ClusterInput>;
}

/** A cluster groups registers (and clusters) under one offset; told apart by its `registers` key. */
export const clusterSchema: z.ZodType<ClusterInput> = z.lazy(() =>
  z.strictObject({
    offset: integer,
    description: z.string().optional(),
    alternateOf: z.string().optional(),
    headerStructName: z.string().optional(),
    dim: dim.optional(),
    size: integer.optional(),
    registers: registersSchema,
  }),
);

export const registersSchema = z.record(z.string(), z.union([registerSchema, clusterSchema]));

export const peripheralSchema = z.strictObject({
  kind: z.string().optional(),
  base: integer,
  description: z.string().optional(),
  version: z.string().optional(),
  irq: z.union([integer, z.record(z.string(), z.union([integer, z.strictObject({ value: integer, description: z.string().optional() })]))]).optional(),
  size: integer.optional(),
  groupName: z.string().optional(),
  /** SVD alternatePeripheral: shares its addresses with the named peripheral on purpose. */
  alternateOf: z.string().optional(),
  /** The bus interface (address space) of the peripheral when a block has several (OpenTitan core/dmi). */
  addressSpace: z.string().optional(),
  prependToName: z.string().optional(),
  appendToName: z.string().optional(),
  headerStructName: z.string().optional(),
  disableCondition: z.string().optional(),
  dim: dim.optional(),
  addressBlocks: z
    .array(z.strictObject({ offset: integer, size: integer, usage: z.enum(['registers', 'buffer', 'reserved']), protection: protection.optional() }))
    .optional(),
  registers: registersSchema,
  quantities: z.record(z.string(), z.union([z.string(), z.strictObject({ expr: z.string(), unit: z.string().optional() })])).optional(),
  behaviours: z.array(z.strictObject({ on: z.string(), do: z.array(z.string()) })).optional(),
});

/** The processor core (SVD `<cpu>`); see the Cpu type in src/ir/types.ts for the CMSIS defaults. */
export const cpuSchema = z.strictObject({
  name: z.string().min(1),
  // Not checked beyond being text: a YAML import must accept whatever its SVD source said (rNpM by the schema).
  revision: z.string().optional(),
  endian: z.enum(['little', 'big', 'selectable', 'other']).optional(),
  mpuPresent: z.boolean().optional(),
  fpuPresent: z.boolean().optional(),
  fpuDP: z.boolean().optional(),
  dspPresent: z.boolean().optional(),
  icachePresent: z.boolean().optional(),
  dcachePresent: z.boolean().optional(),
  itcmPresent: z.boolean().optional(),
  dtcmPresent: z.boolean().optional(),
  vtorPresent: z.boolean().optional(),
  nvicPrioBits: z.number().int().nonnegative().optional(),
  vendorSystickConfig: z.boolean().optional(),
  deviceNumInterrupts: z.number().int().nonnegative().optional(),
  sauNumRegions: z.number().int().nonnegative().optional(),
  sauRegionsConfig: z
    .strictObject({
      enabled: z.boolean().optional(),
      protectionWhenDisabled: protection.optional(),
      regions: z.array(
        z.strictObject({ name: z.string().optional(), enabled: z.boolean().optional(), base: integer, limit: integer, access: z.enum(['n', 'c']) }),
      ),
    })
    .optional(),
});

export const hardwareSpecSchema = z.strictObject({
  $schema: z.string().optional(),
  spec: z.literal(HARDWARE_SPEC_ID),
  board: z.string().min(1),
  // Imported maps (SVD, IP-XACT) may carry no revision; hand-written specs always name one.
  revision: z.string().min(1).optional(),
  /** The device name when it differs from the board (imported maps), and its own version. */
  name: z.string().optional(),
  version: z.string().optional(),
  addressUnitBits: z.number().int().positive().optional(),
  supersedes: z.string().optional(),
  description: z.string().optional(),
  vendor: z.string().optional(),
  width: z.union([z.literal(8), z.literal(16), z.literal(32), z.literal(64)]).optional(),
  usb: z.strictObject({ vendor: integer, product: integer }).optional(),
  cpu: cpuSchema.optional(),
  series: z.string().optional(),
  vendorID: z.string().optional(),
  licenseText: z.string().optional(),
  headerSystemFilename: z.string().optional(),
  headerDefinitionsPrefix: z.string().optional(),
  clocks: z.record(z.string(), integer).optional(),
  peripherals: z.record(z.string(), peripheralSchema),
});

export type HardwareSpecInput = z.infer<typeof hardwareSpecSchema>;
export type RegisterInput = z.infer<typeof registerSchema>;
export type FieldInput = z.infer<typeof fieldSchema>;
export type PeripheralInput = z.infer<typeof peripheralSchema>;

/** The JSON Schema published for editors (yaml-language-server) and checked against the loader with ajv. */
export function hardwareJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(hardwareSpecSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://specdrive.dev/schema/hardware.schema.json',
    title: 'specdrive hardware spec (one board revision)',
  };
}
