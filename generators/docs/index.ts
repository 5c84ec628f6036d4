import { packagePath } from '../../src/package/root.ts';
import * as z from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { analyseDevice } from '../framework/analysis.ts';
import { render } from '../framework/templates.ts';
import type { GeneratedFile, GeneratorDefinition } from '../framework/types.ts';
import { docsView } from './view-model.ts';

const here = packagePath('generators', 'docs');

export const docsConfigSchema = z.object({ html: z.boolean().default(true), markdown: z.boolean().default(true) }).strict();
export type DocsConfig = z.infer<typeof docsConfigSchema>;

/** Register reference: Markdown, and one self-contained HTML page with bit layouts and search. */
export const docsGenerator: GeneratorDefinition<DocsConfig> = {
  name: 'docs',
  version: '1.0.0',
  description: 'Markdown and self-contained HTML register reference',
  configSchema: docsConfigSchema,
  generate(model, config) {
    const diagnostics: Diagnostic[] = [];
    const view = docsView(model, analyseDevice(model.device, diagnostics));
    const files: GeneratedFile[] = [];
    if (config.markdown) files.push({ path: 'registers.md', contents: render(here, 'registers.md', view) });
    if (config.html) files.push({ path: 'registers.html', contents: render(here, 'registers.html', view) });
    return { value: files, diagnostics };
  },
};
