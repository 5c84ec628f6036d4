import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/demo.ts';
import { runCliIn, type CliRun } from '../../helpers/run-cli.ts';

/**
 * Issue 19, "the working directory": a command works in `CommandContext.cwd`, never in the process's
 * own directory. Each run here has a cwd that differs from process.cwd(), and the process never moves.
 */
async function cli(args: string[], cwd: string): Promise<CliRun> {
  expect(cwd).not.toBe(process.cwd());
  return runCliIn(cwd, args);
}

describe('check from a sub-folder of the demo project', () => {
  const cwd = join(repoRoot, 'test');

  it('names every file relative to its own working directory, as the golden does from the root', async () => {
    const r = await cli(['check', '--project', '../specdrive.yaml'], cwd);
    expect(r.code, r.stderr).toBe(1);
    const golden = readFileSync(join(repoRoot, 'test/golden/check/demo-board.txt'), 'utf8');
    expect(golden).toMatch(/ software-specs\//);
    expect(r.stdout).toBe(golden.replace(/ (software|hardware)-specs\//g, ' ../$1-specs/'));
  });

  it('reads the profile it is given there, and draws the code frame of the file it blames', async () => {
    const r = await cli(['check', '--project', '../specdrive.yaml', '--profile', '../software-specs/profiles/precise.yaml'], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/blocked by layer 2/);
    const at = /\.\.\/software-specs\/configs\/fast-console\.yaml:(\d+):\d+: error\[configure\/unsatisfiable\]/.exec(r.stderr);
    expect(at, r.stderr).not.toBeNull();
    // The code frame quotes the configuration's own line, so the file was read from the context's cwd.
    const line = readFileSync(join(repoRoot, 'software-specs/configs/fast-console.yaml'), 'utf8').split('\n')[Number(at![1]) - 1]!;
    expect(r.stderr).toContain(line.trim());
  });

  it('validate reads a spec named relative to it and keeps the name in its findings', async () => {
    const r = await cli(['validate', '../hardware-specs/demo-board/rev-a.yaml', '--format', 'json', '--fail-on', 'never'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const missing = await cli(['validate', 'hardware-specs/demo-board/rev-a.yaml'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('hardware-specs/demo-board/rev-a.yaml');
  });
});

describe('ci in a scaffolded project elsewhere', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'specdrive-cwd-'));
    expect((await cli(['init', '--board', 'kit'], dir)).code).toBe(0);
    // Only the docs target: the stages that read and write files run, without a compiler.
    const file = join(dir, 'specdrive.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('targets: [c, typescript, python, docs]', 'targets: [docs]'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes its outputs, cache and report under the context cwd, and a second run is served from that cache', async () => {
    const first = await cli(['ci', '--format', 'json', '--quiet'], dir);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { revisions: { generated: { target: string; dir: string }[]; cached: boolean }[] };
    const generated = report.revisions.flatMap((r) => r.generated);
    expect(generated.map((g) => g.dir)).toEqual(['out/kit/rev-a/docs']);
    expect(existsSync(join(dir, 'out/kit/rev-a/docs'))).toBe(true);
    expect(existsSync(join(dir, 'out/report/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'out/.cache/kit/rev-a.json'))).toBe(true);
    const second = await cli(['ci', '--format', 'json', '--quiet'], dir);
    expect(second.code, second.stderr).toBe(0);
    expect((JSON.parse(second.stdout) as typeof report).revisions.map((r) => r.cached)).toEqual([true]);
  });
});
