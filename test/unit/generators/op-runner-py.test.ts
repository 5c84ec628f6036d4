import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorModel } from '../../../generators/index.ts';
import { materialise, render, run } from './helpers.ts';
import { RunnerProcess, runnerSuite } from './op-runner-helpers.ts';

/**
 * The generated package in a fresh folder, checked with mypy --strict, plus a `serial` module that
 * fails to import placed first on the path when the runner starts: it must reach the pty with the
 * standard library alone, as on a machine where pyserial was never installed.
 */
function prepare(model: GeneratorModel): string {
  const dir = materialise(render('python', model), 'sdrun-py-');
  const pkg = `demo_board_${(model.device.revision ?? '').replace('-', '_')}`;
  run('python3', ['-m', 'mypy', '--strict', '--no-incremental', pkg, 'op_runner.py'], dir);
  const blocker = join(dir, 'no-pyserial', 'serial');
  mkdirSync(blocker, { recursive: true });
  writeFileSync(join(blocker, '__init__.py'), 'raise ImportError("pyserial is not installed here")\n');
  return dir;
}

runnerSuite({
  title: 'Python op runner over a real pty (no pyserial)',
  prepare,
  start: (dir, link) => RunnerProcess.start('python3', [join(dir, 'op_runner.py'), link], dir, { ...process.env, PYTHONPATH: join(dir, 'no-pyserial') }),
});
