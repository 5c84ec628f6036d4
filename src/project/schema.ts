import { z } from 'zod';

export const PROJECT_SPEC_ID = 'specdrive/project@1';

/** `specdrive.yaml`: what a project holds and what `specdrive ci` does with it. */
export const projectSchema = z
  .object({
    $schema: z.string().optional(),
    spec: z.literal(PROJECT_SPEC_ID),
    name: z.string().min(1),
    /** board name → folder of revision files (ordered by `supersedes`) or an explicit ordered list. */
    boards: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), z.union([z.string(), z.array(z.string()).min(1)])),
    contracts: z.array(z.string()).default([]),
    configs: z.array(z.string()).default([]),
    profiles: z.array(z.string()).default([]),
    targets: z.array(z.enum(['c', 'typescript', 'python', 'docs', 'svd'])).default(['c', 'typescript', 'python', 'docs']),
    output: z.string().default('out'),
    /** Diff policy file (severity overrides and waivers). */
    policy: z.string().optional(),
    fail_on: z.enum(['broken', 'attention', 'never']).default('broken'),
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
