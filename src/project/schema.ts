import * as z from 'zod';
import { targetNameSchema } from './targets.ts';

export const PROJECT_SPEC_ID = 'specdrive/project@1';

/** A revision file, optionally named (vendor files often carry no usable version: RP2040's SVDs all say 0.1). */
const revisionFile = z.union([
  z.string(),
  z.object({ file: z.string(), revision: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'revision names hold letters, digits, _ . and -') }).strict(),
]);

/** A board: a folder or list of revisions, and the board overlay applied to every one of them. */
const boardEntry = z
  .object({
    revisions: z.union([z.string(), z.array(revisionFile).min(1)]),
    /** Board overlay (specdrive/overlay@1), relative to the project file. */
    overlay: z.string().optional(),
  })
  .strict();

/** `specdrive.yaml`: what a project holds and what `specdrive ci` does with it. */
export const projectSchema = z
  .object({
    $schema: z.string().optional(),
    spec: z.literal(PROJECT_SPEC_ID),
    name: z.string().min(1),
    /** board name → folder of revision files (ordered by `supersedes`), an explicit ordered list, or `{ revisions, overlay }`. */
    boards: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), z.union([z.string(), z.array(z.string()).min(1), boardEntry])),
    contracts: z.array(z.string()).default([]),
    configs: z.array(z.string()).default([]),
    profiles: z.array(z.string()).default([]),
    targets: z.array(targetNameSchema).default(['c', 'typescript', 'python', 'docs']),
    output: z.string().default('out'),
    /** Diff policy file (severity overrides and waivers). */
    policy: z.string().optional(),
    /** The CLI's --fail-on vocabulary (error, warning, info, never) or check/ci's own words (broken, attention). */
    fail_on: z.enum(['error', 'warning', 'info', 'never', 'broken', 'attention']).default('broken'),
    /** Import limits for every revision (docs/limits.md); each overrides one default. */
    limits: z
      .object({
        max_bytes: z.number().int().positive().optional(),
        max_nodes: z.number().int().positive().optional(),
        max_dim: z.number().int().positive().optional(),
        max_depth: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ProjectInput = z.infer<typeof projectSchema>;
