import * as z from 'zod';
import { integer, onRead, onWrite, swAccess, wideInteger } from '../importers/native-yaml/schema.ts';

export const OVERLAY_SPEC_ID = 'specdrive/overlay@1';

/**
 * A board overlay (docs/real-chips.md#the-board-overlay): specdrive's own layer-2 annotations,
 * written once per board and applied to every revision after import (and after any patches),
 * whatever the revision's format. zod is the source of truth; the JSON Schema for editors is
 * generated from it (`hardware-specs/schema/overlay.schema.json`).
 */

/** Peripheral, register and field names may be globs: `*`, `?`, `[abc]` and `{a,b}` alternatives. */
const pattern = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_*?[\]{},.-]+$/, 'expected a name or a glob (letters, digits, _ and * ? [ ] { , })');

const fieldFix = z
  .object({
    /** Software access (`rw`, `r`, `w`, …, as in the hardware format). */
    access: swAccess.optional(),
    /** Read side effect, or `none` to remove a wrong one. */
    onread: z.union([onRead, z.literal('none')]).optional(),
    onwrite: z.union([onWrite, z.literal('none')]).optional(),
    /** Reset value of the field (the register's reset value follows). */
    reset: wideInteger.optional(),
    /** The values software may write, `[min, max]` (a write constraint): the solver keeps to them. */
    range: z.tuple([integer, integer]).optional(),
    description: z.string().optional(),
  })
  .strict();

const registerFix = z
  .object({
    /** Reset value of the whole register (every field's reset follows). */
    reset: wideInteger.optional(),
    description: z.string().optional(),
  })
  .strict();

/** RP2040-style atomic aliases: byte distances from a register to its set / clear / toggle alias. */
const aliases = z.object({ set: integer.optional(), clear: integer.optional(), toggle: integer.optional() }).strict();

const peripheralEntry = z
  .object({
    /** The driver family contracts bind to (`uart`, `gpio`, `timer`, …). */
    kind: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an identifier')
      .optional(),
    /** Interrupt lines: replace the revision's when given. */
    irq: z.union([integer, z.record(z.string(), integer)]).optional(),
    quantities: z.record(z.string(), z.union([z.string(), z.object({ expr: z.string(), unit: z.string().optional() }).strict()])).optional(),
    behaviours: z.array(z.object({ on: z.string(), do: z.array(z.string()) }).strict()).optional(),
    aliases: aliases.optional(),
    /** `REGISTER` (or a glob) → fixes to its reset value. */
    registers: z.record(pattern, registerFix).optional(),
    /** `REGISTER.FIELD` (globs in either part) → fixes to its access and reset. */
    fields: z.record(pattern, fieldFix).optional(),
  })
  .strict();

const waiver = z
  .object({
    /** The diagnostic code waived, e.g. `validate/read-effect-unreadable`. */
    rule: z.string().regex(/^[a-z-]+\/[a-z0-9-]+$/, 'expected a diagnostic code such as validate/register-overlap'),
    /** IR path glob the finding must be at, e.g. `USBD.EPSTALL.*`. */
    path: pattern,
    /** Why the finding is not a problem: printed with every waived finding. */
    reason: z.string().min(1),
  })
  .strict();

export const overlaySchema = z
  .object({
    $schema: z.string().optional(),
    spec: z.literal(OVERLAY_SPEC_ID),
    board: z.string().min(1).optional(),
    description: z.string().optional(),
    /** Clocks quantities refer to, added to (or replacing) each revision's. */
    clocks: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an identifier'), integer).optional(),
    /** Peripheral name or glob → what to add or fix on every peripheral it matches. */
    peripherals: z.record(pattern, peripheralEntry).optional(),
    waivers: z.array(waiver).optional(),
  })
  .strict();

export type OverlayInput = z.infer<typeof overlaySchema>;
export type PeripheralEntryInput = z.infer<typeof peripheralEntry>;
export type FieldFixInput = z.infer<typeof fieldFix>;

/** The JSON Schema published for editors. */
export function overlayJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(overlaySchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://specdrive.dev/schema/overlay.schema.json',
    title: 'specdrive board overlay (layer-2 annotations applied to every revision)',
  };
}
