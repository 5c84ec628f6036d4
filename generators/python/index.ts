import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../src/package/root.ts';
import * as z from 'zod';
import type { Diagnostic } from '../../src/diagnostics/types.ts';
import { analyseDevice } from '../framework/analysis.ts';
import { resolveOperations, runnerEntries } from '../framework/operations.ts';
import { render } from '../framework/templates.ts';
import type { GeneratorDefinition, GeneratorModel } from '../framework/types.ts';
import { pythonView, pyRunnerView } from './view-model.ts';
import { exampleOf, packageReadme } from '../framework/readme.ts';

const here = packagePath('generators', 'python');

export const pythonConfigSchema = z
  .object({
    /** Import name of the package; default derived from board and revision. */
    packageName: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case Python identifier')
      .optional(),
  })
  .strict();
export type PythonConfig = z.infer<typeof pythonConfigSchema>;

let runtime: string | undefined;

function defaultPackage(model: GeneratorModel): string {
  const raw = `${model.device.board ?? model.device.name}_${model.device.revision ?? ''}`
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(raw) ? raw : `sd_${raw}`;
}

export const pythonGenerator: GeneratorDefinition<PythonConfig> = {
  name: 'python',
  version: '1.3.1',
  description: 'Python SDK: typed register classes, operations, HELLO check, serial (termios or pyserial) and socket transports, op runner',
  configSchema: pythonConfigSchema,
  generate(model, config, emit) {
    const diagnostics: Diagnostic[] = [];
    const analysis = analyseDevice(model.device, diagnostics);
    const ops = resolveOperations(model.operations, analysis.peripherals, diagnostics);
    const view = pythonView(model, analysis, ops, diagnostics);
    const pkg = config.packageName ?? defaultPackage(model);
    runtime ??= readFileSync(join(here, 'runtime', '_runtime.py'), 'utf8');
    const pyproject = [
      '[project]',
      `name = "${pkg.replace(/_/g, '-')}"`,
      'version = "1.0.0"',
      'requires-python = ">=3.9"',
      // A serial port needs only termios on POSIX; pyserial is for other systems.
      'dependencies = []',
      '',
      '[project.optional-dependencies]',
      'serial = ["pyserial>=3.5"]',
      '',
      '[tool.setuptools.package-data]',
      `${pkg} = ["py.typed"]`,
      '',
    ].join('\n');
    emit({ path: 'pyproject.toml', contents: pyproject });
    emit({ path: 'README.md', contents: packageReadme(model, { target: 'python', packageName: pkg, ...exampleOf(analysis, ops) }) });
    emit({ path: `${pkg}/__init__.py`, contents: render(here, '__init__.py', { ...view, packageName: pkg }) });
    emit({ path: `${pkg}/_runtime.py`, contents: runtime });
    emit({ path: `${pkg}/device.py`, contents: render(here, 'device.py', view) });
    emit({ path: `${pkg}/_layouts/__init__.py`, contents: '"""One module per register layout, imported on first use (see the package docstring)."""\n' });
    for (const layout of view.layouts) emit({ path: `${pkg}/_layouts/${layout.file}.py`, contents: render(here, 'layout.py', layout) });
    emit({ path: `${pkg}/py.typed`, contents: '' });
    // Beside the package (not in it): a test tool, run as `python3 op_runner.py LINK` (docs/generators.md).
    emit({ path: 'op_runner.py', contents: render(here, 'op_runner.py', pyRunnerView(pkg, runnerEntries(model.operations, analysis.peripherals, ops))) });
    return diagnostics;
  },
};
