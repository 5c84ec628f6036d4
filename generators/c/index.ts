import { packagePath } from '../../src/package/root.ts';
import * as z from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { analyseDevice } from '../framework/analysis.ts';
import { SymbolTable } from '../framework/identifiers.ts';
import { resolveOperations, runnerEntries } from '../framework/operations.ts';
import { render, renderChunks } from '../framework/templates.ts';
import type { GeneratorDefinition } from '../framework/types.ts';
import { fileStem } from './c-syntax.ts';
import { runnerView } from './runner-view.ts';
import { selfTestView } from './self-test-view.ts';
import { peripheralView } from './view-model.ts';
import { deviceView } from './device-view.ts';
import { hostLinkFiles } from './link.ts';
import { exampleOf, packageReadme } from '../framework/readme.ts';

const here = packagePath('generators', 'c');

export const cConfigSchema = z
  .object({
    /** Emit the POSIX host link (termios/sockets + wire protocol), the function-table glue and the op runner. */
    hostLink: z.boolean().default(true),
    /** Emit the layout self-test program. */
    selfTest: z.boolean().default(true),
  })
  .strict();
export type CConfig = z.infer<typeof cConfigSchema>;

/**
 * C target: one header per peripheral (macros, struct overlay with compile-time offset checks,
 * accessors and operations), a device header, the MMIO layer, a host link and a layout self-test.
 */
export const cGenerator: GeneratorDefinition<CConfig> = {
  name: 'c',
  version: '1.2.2',
  description: 'C register headers, MMIO layer, host link, op runner and layout self-test',
  configSchema: cConfigSchema,
  generate(model, config, emit) {
    const diagnostics: Diagnostic[] = [];
    const analysis = analyseDevice(model.device, diagnostics);
    const ops = resolveOperations(model.operations, analysis.peripherals, diagnostics);
    const fileNames = new SymbolTable('include/', diagnostics);
    for (const reserved of ['sd_mmio', 'sd_device', 'sd_link']) fileNames.claim(reserved, `(generated ${reserved}.h)`, undefined);
    // Only what later headers and the self-test need of each layout's header is kept: holding every
    // header's view until the end kept a whole device's macros alive (docs/performance.md).
    const overlays = new Map<string, ReadonlySet<string>>();
    for (const p of analysis.peripherals) {
      if (!fileNames.claim(fileStem(p.name), p.path, p.span)) continue;
      const view = peripheralView(p, ops.get(p.typeName) ?? [], `${fileStem(p.typeOwner)}.h`, diagnostics, overlays.has(p.typeName));
      const top = view.structs.find((s) => s.name === `${p.typeName}_Type`);
      if (view.ownsType && view.hasOverlay && top && !overlays.has(p.typeName)) overlays.set(p.typeName, top.offsetChecked);
      emit({ path: view.file, pieces: renderChunks(here, 'peripheral.h', view) });
    }
    emit({ path: 'include/sd_mmio.h', contents: render(here, 'sd_mmio.h', {}) });
    if (config.hostLink) emit({ path: 'README.md', contents: packageReadme(model, { target: 'c', packageName: 'c', ...exampleOf(analysis, ops) }) });
    emit({ path: 'include/sd_device.h', contents: render(here, 'sd_device.h', deviceView(model, analysis, diagnostics)) });
    if (config.selfTest) emit({ path: 'test/layout_selftest.c', pieces: renderChunks(here, 'layout_selftest.c', selfTestView(analysis, overlays)) });
    if (config.hostLink) {
      for (const file of hostLinkFiles(here)) emit(file);
      // The op runner needs the host link: it drives the operations over it (docs/generators.md).
      emit({ path: 'test/op_runner.c', contents: render(here, 'op_runner.c', runnerView(runnerEntries(model.operations, analysis.peripherals, ops))) });
    }
    return diagnostics;
  },
};
