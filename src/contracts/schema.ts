import { sdkNameSchema } from '../project/targets.ts';
import * as z from 'zod';
import { ELEMENT_FIELD_PATH } from '../ir/element-path.ts';

/**
 * Software-side spec formats (layers 1, 3 and 4 of the four-layer model): driver contracts,
 * configurations and user profiles. zod is the source of truth; JSON Schemas for editors are emitted
 * to `software-specs/schema/`.
 */

export const DRIVER_SPEC_ID = 'specdrive/driver@1';
export const CONFIG_SPEC_ID = 'specdrive/config@1';
export const PROFILE_SPEC_ID = 'specdrive/profile@1';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an identifier (letters, digits, _)');
/** `REG.FIELD`, `CLUSTER.REG.FIELD` or an array element `REG[i].FIELD`, relative to the bound peripheral. */
const fieldRef = z.string().regex(ELEMENT_FIELD_PATH, 'expected REGISTER.FIELD or REGISTER[index].FIELD');
const integerLike = z.union([z.number().int(), z.string().regex(/^(0x[0-9a-fA-F_]+|0b[01_]+|\d[\d_]*)$/)]);
/** A value in a step: a number, a `$param` / variable expression, or an enum value name. */
const stepValue = z.union([z.number(), z.string()]);
/** `1%`, `0.25 %`, `500ppm` or a plain fraction. */
export const tolerance = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\s*\d+(\.\d+)?\s*(%|ppm)\s*$/, 'expected a tolerance such as 1%, 0.25% or 500ppm'),
]);

/** Side effects a driver may rely on or must avoid, in the vocabulary of the access model. */
export const sideEffect = z.enum([
  'read-clears',
  'read-sets',
  'read-pops',
  'write-1-clears',
  'write-1-sets',
  'write-0-clears',
  'write-clears',
  'write-toggles',
  'singlepulse',
  'write-once',
]);
export type SideEffect = z.infer<typeof sideEffect>;

export const roleSchema = z
  .object({
    field: fieldRef,
    /** Former names (paths relative to the peripheral) this role has had in earlier revisions. */
    was: z.array(fieldRef).optional(),
    read: z.boolean().optional(),
    write: z.boolean().optional(),
    /** Minimum width in bits. */
    width: z.number().int().positive().optional(),
    /** Enum values the driver writes (must exist with these names). */
    writes: z.array(identifier).optional(),
    /** Enum values the driver expects to read. */
    reads: z.array(identifier).optional(),
    relies: z.array(sideEffect).optional(),
    avoids: z.array(sideEffect).optional(),
    optional: z.boolean().optional(),
    description: z.string().optional(),
  })
  .strict();

const paramSchema = z
  .object({
    type: z.enum(['u8', 'u16', 'u32', 'bool', 'enum']),
    /** For enums: the role whose enum values are the allowed values. */
    role: identifier.optional(),
    description: z.string().optional(),
  })
  .strict();

const waitSchema = z.object({ role: identifier, equals: stepValue, timeout: z.number().int().positive() }).strict();

export const stepSchema = z.union([
  z.object({ write: z.record(identifier, stepValue) }).strict(),
  z.object({ modify: z.record(identifier, stepValue) }).strict(),
  z.object({ read: identifier, into: identifier }).strict(),
  z.object({ wait: waitSchema }).strict(),
  z.object({ clear: identifier }).strict(),
  z.object({ solve: z.object({ quantity: identifier, target: stepValue, tolerance }).strict() }).strict(),
  z.object({ call: identifier, with: z.record(identifier, stepValue).optional() }).strict(),
  z.object({ return: stepValue }).strict(),
]);
export type StepInput = z.infer<typeof stepSchema>;

export const operationSchema = z
  .object({
    description: z.string().optional(),
    params: z.record(identifier, paramSchema).optional(),
    returns: z.enum(['u8', 'u16', 'u32', 'bool']).optional(),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

const scenarioStepSchema = z.union([
  z.object({ call: identifier, with: z.record(identifier, stepValue).optional(), expect: stepValue.optional() }).strict(),
  z.object({ inject: z.object({ stream: identifier, bytes: z.array(z.number().int().min(0).max(255)) }).strict() }).strict(),
  z.object({ tick: z.number().int().positive() }).strict(),
  z.object({ expect_output: z.object({ stream: identifier, bytes: z.array(z.number().int().min(0).max(255)) }).strict() }).strict(),
  z.object({ expect_field: z.object({ role: identifier, equals: stepValue }).strict() }).strict(),
  z.object({ expect_irq: z.boolean() }).strict(),
]);
export type ScenarioStepInput = z.infer<typeof scenarioStepSchema>;

export const driverContractSchema = z
  .object({
    $schema: z.string().optional(),
    spec: z.literal(DRIVER_SPEC_ID),
    driver: identifier,
    /** The peripheral kind this driver binds to (`kind:` in hardware specs). */
    kind: identifier,
    /** The revision the contract was written against: `board/revision`. */
    written_for: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected BOARD/REVISION'),
    description: z.string().optional(),
    roles: z.record(identifier, roleSchema),
    /** Derived quantities of the peripheral the driver solves (e.g. baud). */
    quantities: z.array(identifier).optional(),
    operations: z.record(identifier, operationSchema),
    scenarios: z
      .array(z.object({ name: z.string().min(1), description: z.string().optional(), steps: z.array(scenarioStepSchema).min(1) }).strict())
      .optional(),
  })
  .strict();
export type DriverContractInput = z.infer<typeof driverContractSchema>;

const targetSchema = z
  .object({
    /** `PERIPHERAL.quantity`, e.g. `UART0.baud`. */
    quantity: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'expected PERIPHERAL.quantity'),
    value: z.number().positive(),
    tolerance: tolerance.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    spec: z.literal(CONFIG_SPEC_ID),
    name: z.string().min(1),
    board: z.string().min(1),
    revision: z.string().min(1),
    description: z.string().optional(),
    /** driver name → the peripheral instance it drives. */
    drivers: z.record(identifier, z.object({ peripheral: identifier }).strict()),
    targets: z.array(targetSchema).optional(),
    /** Fixed field values: `PERIPHERAL.REGISTER.FIELD: value or enum name`. */
    settings: z.record(z.string(), z.union([integerLike, identifier])).optional(),
    /** Clock frequencies overriding the hardware spec's. */
    clocks: z.record(identifier, z.number().positive()).optional(),
  })
  .strict();
export type ConfigInput = z.infer<typeof configSchema>;

export const profileSchema = z
  .object({
    $schema: z.string().optional(),
    spec: z.literal(PROFILE_SPEC_ID),
    name: z.string().min(1),
    description: z.string().optional(),
    /** Largest relative error accepted on every solved quantity (tightens configuration tolerances). */
    max_error: tolerance.optional(),
    /** What to optimise after the error: lower clocks (power) or higher (speed). */
    prefer: z.enum(['low-power', 'speed']).optional(),
    io: z.enum(['polling', 'interrupt']).optional(),
    naming: z.enum(['snake', 'camel', 'pascal']).optional(),
    sdk: z.array(sdkNameSchema).optional(),
  })
  .strict();
export type ProfileInput = z.infer<typeof profileSchema>;

/** `1%` → 0.01, `500ppm` → 0.0005, numbers are fractions already. */
export function toleranceValue(input: z.infer<typeof tolerance>): number {
  if (typeof input === 'number') return input;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|ppm)\s*$/.exec(input);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === '%' ? n / 100 : n / 1_000_000;
}
