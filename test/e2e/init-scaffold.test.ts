import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeRun, readJsonReport, removeProject, runSpecdrive } from './helpers/project-copy.ts';

/**
 * Issue 17: `init` scaffolds a project that works without edits (package.json, workflow, contract,
 * configuration and profile bound to the scaffolded revision), and `check`/`ci` on a project with
 * nothing in it say what to add and where instead of passing silently.
 */
const scratch: string[] = [];
afterAll(() => scratch.forEach(removeProject));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-scaffold-'));
  scratch.push(dir);
  return dir;
}

describe('init → check → ci on the scaffold', () => {
  let project: string;
  let initOutput: string;
  beforeAll(async () => {
    project = join(tempDir(), 'fw');
    const init = await runSpecdrive(['init', 'fw', '--board', 'dev-board'], join(project, '..'));
    expect(init.code, describeRun(init)).toBe(0);
    initOutput = init.stdout;
  });

  it('writes package.json with specdrive-cli as a devDependency, the workflows and a next-steps message', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      name: string;
      devDependencies: Record<string, string>;
      allowScripts: Record<string, boolean>;
    };
    expect(manifest.name).toBe('fw');
    expect(manifest.devDependencies['specdrive-cli']).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(manifest.allowScripts['@serialport/bindings-cpp']).toBe(true);
    for (const file of ['.github/workflows/specdrive.yml', '.github/workflows/specdrive-comment.yml']) {
      const workflow = parse(readFileSync(join(project, file), 'utf8')) as { jobs: Record<string, unknown> };
      expect(Object.keys(workflow.jobs).length, file).toBeGreaterThan(0);
    }
    expect(initOutput).toContain('Next steps:');
    expect(initOutput).toContain('npm install');
    expect(initOutput).toContain('npx specdrive ci');
  });

  it('check binds the example contract and solves the example configuration (exit 0)', async () => {
    const check = await runSpecdrive(['check', '--format', 'json'], project);
    expect(check.code, describeRun(check)).toBe(0);
    const result = JSON.parse(check.stdout) as {
      bindings: { driver: string; board: string; revision: string; verdict: string }[];
      configurations: { unsatisfiable: unknown[] }[];
    };
    expect(result.bindings.map((b) => `${b.driver} ${b.board} ${b.revision} ${b.verdict}`)).toEqual(['uart dev-board rev-a unchanged']);
    expect(result.configurations).toHaveLength(1);
    expect(result.configurations[0]?.unsatisfiable).toEqual([]);
  });

  it('ci is green without edits: every SDK compiles and passes the example scenario', async () => {
    const ci = await runSpecdrive(['ci'], project);
    expect(ci.code, describeRun(ci)).toBe(0);
    const report = readJsonReport(project);
    const revision = report.revisions[0];
    expect(revision?.compiled.map((c) => `${c.target}:${c.status}`).sort()).toEqual(['c:passed', 'python:passed', 'typescript:passed']);
    const targets = new Set(revision?.scenarios.filter((s) => s.status === 'passed').map((s) => s.target));
    for (const target of ['c', 'python', 'typescript']) expect(targets.has(target), `${target} scenario passed`).toBe(true);
    expect(revision?.scenarios.every((s) => s.status === 'passed')).toBe(true);
  }, 300_000);

  it('keeps an existing package.json and tells the user to add the dependency', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"mine","private":true}\n');
    const init = await runSpecdrive(['init'], dir);
    expect(init.code, describeRun(init)).toBe(0);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{"name":"mine","private":true}\n');
    expect(init.stdout).toContain('npm install --save-dev specdrive-cli');
  });
});

describe('an empty project says what to add and where', () => {
  it('check and ci without a contract: the contracts: line, a hint, exit 1 (0 with --fail-on never)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'hardware-specs/b'), { recursive: true });
    const init = await runSpecdrive(['init', 'scratch', '--board', 'b'], dir);
    expect(init.code).toBe(0);
    const project = join(dir, 'scratch');
    writeFileSync(
      join(project, 'specdrive.yaml'),
      'spec: specdrive/project@1\nname: e\nboards:\n  b: hardware-specs/b\ncontracts: [contracts/*.driver.yaml]\ntargets: [c]\n',
    );
    for (const args of [['check'], ['ci']]) {
      const run = await runSpecdrive(args, project);
      expect(run.code, describeRun(run)).toBe(1);
      expect(run.stderr).toMatch(/specdrive\.yaml:5:1: warning\[project\/no-contracts\]/);
      expect(run.stderr).toContain('add a contract such as software-specs/uart.driver.yaml');
    }
    const lenient = await runSpecdrive(['check', '--fail-on', 'never'], project);
    expect(lenient.code, describeRun(lenient)).toBe(0);
  }, 120_000);

  it('check and ci without any revision: exit 2 pointing at boards:', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'specdrive.yaml'), 'spec: specdrive/project@1\nname: e\nboards: {}\n');
    for (const args of [['check'], ['ci']]) {
      const run = await runSpecdrive(args, dir);
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toMatch(/specdrive\.yaml:3:1: error\[project\/no-revisions\]/);
      expect(run.stderr).toContain('hardware-specs/my-board/rev-a.yaml');
      expect(existsSync(join(dir, 'out'))).toBe(false);
    }
  });
});
