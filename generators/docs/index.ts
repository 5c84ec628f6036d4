import { packagePath } from '../../src/package/root.ts';
import * as z from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { analyseDevice, type DeviceAnalysis } from '../framework/analysis.ts';
import { render } from '../framework/templates.ts';
import type { GeneratorDefinition } from '../framework/types.ts';
import { type DocFormat, type DocsView, docPeripherals, docsView } from './view-model.ts';

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
    // Each file is made a layout at a time while the runner writes it (pieces iterated once, during
    // emit): N657's page is 24 MB of text, its views several times that.
    if (config.markdown) emit({ path: 'registers.md', pieces: sections(page, 'md', analysis) });
    if (config.html) emit({ path: 'registers.html', pieces: sections(page, 'html', analysis) });
    return diagnostics;
  },
};

function* sections(page: DocsView, format: DocFormat, analysis: DeviceAnalysis): Generator<string> {
  yield render(here, `registers.${format}`, page);
  // One call per format: the overloads of docPeripherals give each template its own register view.
  const views = format === 'md' ? docPeripherals(analysis, 'md') : docPeripherals(analysis, 'html');
  for (const section of views) yield render(here, `peripheral.${format}`, section);
  if (format === 'html') yield render(here, 'registers-end.html', page);
}
