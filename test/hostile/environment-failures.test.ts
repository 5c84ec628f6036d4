/**
 * Failures of the environment are never results (issue 18 §16): a tool killed by a signal, one that
 * runs past its time limit and one that is not installed are told apart from a tool that says no
 * (a compile error), reported with exit code, signal and the tail of stderr, and a revision with
 * such a step is never cached, so the next run tries again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCi } from '../../src/pipeline/ci.ts';
import { defaultCodeStages } from '../../src/pipeline/code-stages.ts';
import { describeEnvironmentFailure, runTool } from '../../src/pipeline/run-tool.ts';
import { loadProject } from '../../src/project/index.ts';
import { copyDemoProject, removeProject } from '../e2e/helpers/project-copy.ts';

describe('runTool', () => {
  it('a non-zero exit is the tool’s verdict, not an environment failure', async () => {
    const run = await runTool('sh', ['-c', 'echo bad input >&2; exit 3']);
    expect(run.environment).toBeUndefined();
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain('bad input');
  });

  it('a tool killed by a signal is an environment failure, reported with signal and stderr tail', async () => {
    const run = await runTool('sh', ['-c', 'echo dying >&2; kill -TERM $$']);
    expect(run.environment).toBe('signal');
    expect(run.signal).toBe('SIGTERM');
    const text = describeEnvironmentFailure(run);
    expect(text).toMatch(/killed by SIGTERM; exit code none, signal SIGTERM; stderr tail:\ndying/);
  });

  it('a tool past its time limit is killed and reported as a time-out', async () => {
    const run = await runTool('sleep', ['60'], { timeoutMs: 300 });
    expect(run.environment).toBe('timeout');
    expect(run.signal).toBe('SIGKILL');
    expect(describeEnvironmentFailure(run, 300)).toMatch(/time limit of 300 ms/);
  });

  it('a missing tool is reported as such', async () => {
    const run = await runTool('specdrive-no-such-tool', []);
    expect(run.environment).toBe('missing-tool');
    expect(describeEnvironmentFailure(run)).toMatch(/not installed/);
  });
});

describe('ci never caches an environment failure', () => {
  let project: string | undefined;
  afterAll(() => removeProject(project));

  it('a compile whose compiler is missing is reported as an error, not cached, and redone on the next run', async () => {
    project = copyDemoProject({ targets: ['c'], prefix: 'specdrive-envfail-' });
    const loaded = loadProject(join(project, 'specdrive.yaml'), process.cwd()).value!;
    let compiles = 0;
    const stages = {
      ...defaultCodeStages,
      scenarios: async () => [],
      // The real compile stage; for the first revision gcc cannot be found.
      async compile(...args: Parameters<typeof defaultCodeStages.compile>) {
        const path = process.env.PATH;
        if (++compiles === 1) process.env.PATH = '/nonexistent';
        try {
          return await defaultCodeStages.compile(...args);
        } finally {
          process.env.PATH = path;
        }
      },
    };
    const first = await runCi({ project: loaded, stages, jobs: 1 });
    const revisions = first.report.revisions;
    expect(first.report.summary.environmentErrors).toBe(1);
    expect(revisions[0]!.compiled[0]).toMatchObject({ status: 'error', output: expect.stringMatching(/gcc .* not installed/) });
    expect(revisions[1]!.compiled[0]!.status).toBe('passed');
    const cacheOf = (r: (typeof revisions)[number]): string => join(loaded.output, '.cache', r.board, `${r.revision}.json`);
    expect(existsSync(cacheOf(revisions[0]!))).toBe(false);
    expect(existsSync(cacheOf(revisions[1]!))).toBe(true);

    const second = await runCi({ project: loaded, stages, jobs: 1 });
    expect(second.report.revisions.map((r) => r.cached)).toEqual([false, ...revisions.slice(1).map(() => true)]);
    expect(second.report.summary.environmentErrors).toBe(0);
  });
});
