/**
 * The engine on the command line: a missing or corrupt wasm core stops `check` and `ci` loudly
 * (exit 2, `solve/wasm-unavailable`) instead of changing engine behind the user's back; `--engine ts`
 * is the explicit fallback and gives the same verdicts; any other `--engine` value is refused.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDemoProject, removeProject, runSpecdrive } from './helpers/project-copy.ts';

const run = runSpecdrive;

describe('--engine and a missing wasm core', () => {
  let project: string;
  let missing: string;
  let corrupt: string;
  beforeAll(() => {
    project = copyDemoProject({ targets: ['c'], prefix: 'specdrive-engine-' });
    missing = join(project, 'no-such-core.wasm');
    corrupt = join(project, 'corrupt.wasm');
    writeFileSync(corrupt, 'not a wasm module');
  });
  afterAll(() => removeProject(project));

  it('check: a missing or corrupt core is a loud error (exit 2), not a quiet switch of engine', async () => {
    const normal = await run(['check'], project);
    expect(normal.code).toBe(1); // the demo's rev-c breaks set_loopback
    for (const core of [missing, corrupt]) {
      const broken = await run(['check'], project, { SPECDRIVE_CORE_WASM: core });
      expect(broken.code, broken.stderr).toBe(2);
      expect(broken.stderr).toContain('solve/wasm-unavailable');
      expect(broken.stderr).toContain('--engine ts');
      expect(broken.stdout).toBe('');
    }
  });

  it('check --engine ts works without the core and reaches the same verdicts', async () => {
    const normal = await run(['check', '--format', 'json'], project);
    const ts = await run(['check', '--format', 'json', '--engine', 'ts'], project, { SPECDRIVE_CORE_WASM: missing });
    expect(ts.code).toBe(normal.code);
    const verdicts = (out: string): unknown => (JSON.parse(out) as { bindings: unknown }).bindings;
    expect(verdicts(ts.stdout)).toEqual(verdicts(normal.stdout));
  });

  it('an unknown --engine value is a usage error', async () => {
    const bad = await run(['check', '--engine', 'fast'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--engine must be wasm or ts (got fast)');
    const badCi = await run(['ci', '--engine', 'wasm2'], project);
    expect(badCi.code).toBe(2);
  });

  it('ci: a missing core stops before any work', async () => {
    const broken = await run(['ci'], project, { SPECDRIVE_CORE_WASM: missing });
    expect(broken.code, broken.stderr).toBe(2);
    expect(broken.stderr).toContain('solve/wasm-unavailable');
  });
});
