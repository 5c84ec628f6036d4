import * as z from 'zod';
import { configSchema, driverContractSchema, profileSchema } from './schema.ts';
import { projectSchema } from '../project/schema.ts';

const publish = (schema: z.ZodType, id: string, title: string): Record<string, unknown> => ({
  ...(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>),
  $id: `https://specdrive.dev/schema/${id}`,
  title,
});

/** The JSON Schemas of the software-side formats, published under `software-specs/schema/`. */
export const softwareJsonSchemas: readonly { readonly file: string; readonly generate: () => Record<string, unknown> }[] = [
  { file: 'driver.schema.json', generate: () => publish(driverContractSchema, 'driver.schema.json', 'specdrive driver contract (layer 1)') },
  { file: 'config.schema.json', generate: () => publish(configSchema, 'config.schema.json', 'specdrive configuration (layer 3)') },
  { file: 'profile.schema.json', generate: () => publish(profileSchema, 'profile.schema.json', 'specdrive user profile (layer 4)') },
  { file: 'project.schema.json', generate: () => publish(projectSchema, 'project.schema.json', 'specdrive project (specdrive.yaml)') },
];
