import { packagePath } from '../../src/package/root.ts';
import * as z from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { analyseDevice } from '../framework/analysis.ts';
import { render } from '../framework/templates.ts';
import type { GeneratorDefinition } from '../framework/types.ts';
import { docPeripherals, docsView } from './view-model.ts';

const here = packagePath('generators', 'docs');

export const docsConfigSchema = z.object({ html: z.boolean().default(true), markdown: z.boolean().default(true) }).strict();
export type DocsConfig = z.infer<typeof docsConfigSchema>;

/** Register reference: Markdown, and one self-contained HTML page with bit layouts and search. */
export const docsGenerator: GeneratorDefinition<DocsConfig> = {
  name: 'docs',
  version: '1.0.0',
  description: 'Markdown and self-contained HTML register reference',
  configSchema: docsConfigSchema,
  generate(model, config, emit) {
    const diagnostics: Diagnostic[] = [];
    const analysis = analyseDevice(model.device, diagnostics);
    const page = docsView(model);
    // Rendered a layout at a time, each section a piece of the file (never joined: N657's page is 24 MB).
    const md = [render(here, 'registers.md', page)];
    const html = [render(here, 'registers.html', page)];
    for (const section of docPeripherals(analysis)) {
      if (config.markdown) md.push(render(here, 'peripheral.md', section));
      if (config.html) html.push(render(here, 'peripheral.html', section));
    }
    html.push(render(here, 'registers-end.html', page));
    if (config.markdown) emit({ path: 'registers.md', pieces: md });
    if (config.html) emit({ path: 'registers.html', pieces: html });
    return diagnostics;
  },
};
