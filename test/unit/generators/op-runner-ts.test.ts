import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorModel } from '../../../generators/index.ts';
import { ROOT, materialise, render, run } from './helpers.ts';
import { RunnerProcess, runnerSuite } from './op-runner-helpers.ts';

/**
 * The generated SDK package in a fresh folder with the project's node_modules linked in (the SDK
 * imports serialport for `serial:` links), type-checked: the package with its own tsconfig, and the
 * runner (outside src/, not published) on its own with the same strictness. The runner is started
 * with `node --import tsx` from the project root, where tsx is installed.
 */
function prepare(model: GeneratorModel): string {
  const dir = materialise(render('ts', model), 'sdrun-ts-');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  run(tsc, ['-p', '.', '--noEmit'], dir);
  run(
    tsc,
    [
      '--ignoreConfig',
      '--strict',
      '--noUncheckedIndexedAccess',
      '--noEmit',
      '--target',
      'ES2022',
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--skipLibCheck',
      '--types',
      'node',
      '--allowImportingTsExtensions',
      'op-runner.ts',
    ],
    dir,
  );
  return dir;
}

runnerSuite({
  title: 'TypeScript op runner over a real pty',
  prepare,
  start: (dir, link) => RunnerProcess.start(process.execPath, ['--import', 'tsx', join(dir, 'op-runner.ts'), link], ROOT),
});
