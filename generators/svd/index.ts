import * as z from 'zod';
import { exportSvdPieces } from '../../src/exporters/index.ts';
import type { GeneratorDefinition } from '../framework/types.ts';

export const svdConfigSchema = z
  .object({
    fileName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\.svd$/, 'a plain file name ending in .svd')
      .optional(),
  })
  .strict();
export type SvdConfig = z.infer<typeof svdConfigSchema>;

/** CMSIS-SVD for debuggers and other tools: the SVD exporter (src/exporters/svd.ts) as a target. */
export const svdGenerator: GeneratorDefinition<SvdConfig> = {
  name: 'svd',
  version: '1.0.0',
  description: 'CMSIS-SVD for debuggers and other tools',
  configSchema: svdConfigSchema,
  generate(model, config, emit) {
    // In pieces: N657's export is 52 MB, and joining it (then adding the header) made two more copies.
    const result = exportSvdPieces(model.device);
    const stem = (model.device.board ?? model.device.name).replace(/[^A-Za-z0-9_.-]+/g, '_') || 'device';
    const revision = model.device.revision ? `-${model.device.revision.replace(/[^A-Za-z0-9_.-]+/g, '_')}` : '';
    // The runner iterates the pieces during emit, so the export's diagnostics are complete after it.
    emit({ path: config.fileName ?? `${stem}${revision}.svd`, pieces: result.pieces });
    return result.diagnostics;
  },
};
