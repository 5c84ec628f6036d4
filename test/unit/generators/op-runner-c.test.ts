import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { GeneratorModel } from '../../../generators/index.ts';
import { C_FLAGS, materialise, render, run } from './helpers.ts';
import { RunnerProcess, runnerSuite } from './op-runner-helpers.ts';

/**
 * Builds the C op runner as docs/generators.md says (the runner plus the host link) with gcc
 * -std=c99, and checks that clang -std=c11 also takes it with warnings as errors.
 */
function buildRunner(model: GeneratorModel): string {
  const dir = materialise(render('c', model), 'sdrun-c-');
  const exe = join(dir, 'op_runner');
  const sources = ['-D_POSIX_C_SOURCE=200809L', '-Iinclude', 'test/op_runner.c', 'src/sd_link.c'];
  run('clang', ['-std=c11', ...C_FLAGS, ...sources, '-o', join(dir, 'op_runner_clang')], dir);
  run('gcc', ['-std=c99', ...C_FLAGS, ...sources, '-o', exe], dir);
  return exe;
}

runnerSuite({ title: 'C op runner over a real pty', prepare: buildRunner, start: (exe, link) => RunnerProcess.start(exe, [link]) }, (revB) => {
  it('reports a link it cannot open, and a wrong command line, with exit 2', async () => {
    const exe = buildRunner(revB());
    const missing = RunnerProcess.start(exe, ['unix:/nonexistent/specdrive.sock']);
    expect(await missing.next()).toMatch(/^error link-open /);
    expect(await missing.exited()).toBe(2);
    const usage = RunnerProcess.start(exe, []);
    expect(await usage.next()).toMatch(/^error usage/);
    expect(await usage.exited()).toBe(2);
  });
});
