import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../../src/cli/commands/index.ts';
import { createProgress } from '../../../src/cli/progress.ts';
import { CHANGE_SCALE, parseFailOn, VERDICT_SCALE } from '../../../src/cli/vocabulary.ts';
import { loadProject } from '../../../src/project/index.ts';
import { runCliIn } from '../../helpers/run-cli.ts';

/** Issue 17, "one CLI vocabulary": the same words, help and hints on every command. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = (args: string[], cwd = dir, isTTY = false): Promise<Run> => runCliIn(cwd, args, isTTY);

// Every command runs in this scaffolded project through the context's cwd (the process stays where it is).
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'specdrive-vocabulary-'));
  expect((await cli(['init', '--board', 'kit'], dir)).code).toBe(0);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('did you mean', () => {
  it('for an unknown command', async () => {
    const r = await cli(['valdiate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "valdiate"; did you mean validate?');
  });

  it('for an unknown option', async () => {
    const r = await cli(['check', '--fial-on', 'error']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--fial-on'; did you mean --fail-on?");
  });

  it('for an unknown enum value', async () => {
    const r = await cli(['check', '--format', 'sarf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, json, sarif, markdown (got sarf); did you mean sarif?');
    const target = await cli(['generate', 'hardware-specs/kit/rev-a.yaml', '--target', 'pyton']);
    expect(target.stderr).toContain('did you mean python?');
  });

  it('for a misspelt field in a contract', async () => {
    const file = join(dir, 'software-specs/uart.driver.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('field: STATUS.TXE,', 'field: STATUS.TXEE,'));
    try {
      const r = await cli(['check']);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('role tx_empty needs field STATUS.TXEE, which UART0 does not have; did you mean STATUS.TXE?');
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('configure/unknown-revision', () => {
  it('points at the revision: value and lists the valid revisions', async () => {
    const file = join(dir, 'software-specs/configs/kit-console.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('revision: rev-a', 'revision: rev-b'));
    try {
      const r = await cli(['check', '--format', 'json']);
      expect(r.code).toBe(1);
      const diagnostic = (
        JSON.parse(r.stdout) as { diagnostics: { code: string; message: string; span: { line: number; column: number }; hint?: string }[] }
      ).diagnostics.find((d) => d.code === 'configure/unknown-revision');
      expect(diagnostic?.message).toContain('which is not one of its revisions: rev-a');
      expect(diagnostic?.hint).toBe('did you mean rev-a?');
      const line = original.split('\n').findIndex((l) => l.startsWith('revision:')) + 1;
      expect(diagnostic?.span).toMatchObject({ line, column: 'revision: '.length + 1 });
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('target names', () => {
  it('ts and typescript name the same target on the command line', async () => {
    const out = join(dir, 'gen');
    const a = await cli(['generate', 'hardware-specs/kit/rev-a.yaml', '--target', 'ts', '-o', out, '--quiet']);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli(['generate', 'hardware-specs/kit/rev-a.yaml', '--target', 'typescript', '-o', out, '--check']);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('ts: up to date');
  });

  it('and in specdrive.yaml and profiles', () => {
    const project = join(dir, 'aliases.yaml');
    writeFileSync(project, readFileSync(join(dir, 'specdrive.yaml'), 'utf8').replace('targets: [c, typescript, python, docs]', 'targets: [c, ts, py]'));
    expect(loadProject(project, process.cwd()).value?.targets).toEqual(['c', 'typescript', 'python']);
  });
});

describe('--fail-on and --format', () => {
  it("one vocabulary, mapped onto each command's own grades, with their own words as aliases", () => {
    expect(parseFailOn('error', VERDICT_SCALE)).toBe('broken');
    expect(parseFailOn('warning', VERDICT_SCALE)).toBe('attention');
    expect(parseFailOn('attention', VERDICT_SCALE)).toBe('attention');
    expect(parseFailOn('never', VERDICT_SCALE)).toBe('never');
    expect(parseFailOn('error', CHANGE_SCALE)).toBe('breaking');
    expect(parseFailOn('info', CHANGE_SCALE)).toBe('documentation');
    expect(parseFailOn('compatible', CHANGE_SCALE)).toBe('compatible');
  });

  it('every command that grades findings takes the levels', async () => {
    expect((await cli(['validate', 'hardware-specs/kit/rev-a.yaml', '--fail-on', 'never'])).code).toBe(0);
    expect((await cli(['check', '--fail-on', 'warning'])).code).toBe(0);
    const diff = await cli(['diff', 'hardware-specs/kit/rev-a.yaml', 'hardware-specs/kit/rev-a.yaml', '--fail-on', 'info']);
    expect(diff.code, diff.stderr).toBe(0);
  });

  it('check writes SARIF', async () => {
    const r = await cli(['check', '--format', 'sarif']);
    expect(r.code).toBe(0);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { name: string } } }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.tool.driver.name).toBe('specdrive');
  });

  it('validate writes SARIF too', async () => {
    const r = await cli(['validate', 'hardware-specs/kit/rev-a.yaml', '--format', 'sarif']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { version: string }).version).toBe('2.1.0');
  });
});

describe('help', () => {
  it('every command shows its options, an example and its exit codes', async () => {
    for (const entry of commands) {
      const r = await cli([entry.name, '--help']);
      expect(r.code, entry.name).toBe(0);
      expect(r.stdout, entry.name).toMatch(new RegExp(`^usage: specdrive ${entry.name}`));
      const command = await entry.load();
      for (const option of Object.keys(command.options)) expect(r.stdout, `${entry.name} --${option}`).toContain(`--${option}`);
      expect(r.stdout, entry.name).toMatch(/\nexamples:\n {2}(specdrive|npx) /);
      expect(r.stdout, entry.name).toMatch(/\nexit codes:\n {2}0 /);
    }
  });

  it('the README command table lists every command', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const entry of commands) expect(readme, entry.name).toMatch(new RegExp(`\\| \`specdrive ${entry.name}[ \`]`));
  });
});

describe('progress', () => {
  it('rewrites one line on a terminal, prints finished steps plainly elsewhere, nothing when quiet', () => {
    const outputs = [true, false].map((isTTY) => {
      let text = '';
      const p = createProgress(
        { cwd: '.', stdout: () => {}, stderr: (t) => void (text += t), color: false, isTTY, signal: new AbortController().signal },
        false,
      );
      p.update('c: peripheral 1/2 UART0');
      p.step('c: 7 written');
      return text;
    });
    expect(outputs[0]).toBe('\r\u001b[2Kc: peripheral 1/2 UART0\r\u001b[2Kc: 7 written\n');
    expect(outputs[1]).toBe('c: 7 written\n');
    let quiet = '';
    const q = createProgress(
      { cwd: '.', stdout: () => {}, stderr: (t) => void (quiet += t), color: false, isTTY: true, signal: new AbortController().signal },
      true,
    );
    q.update('x');
    q.step('y');
    expect(quiet).toBe('');
  });

  it('generate shows per-target and per-peripheral progress on a terminal, and none with --quiet', async () => {
    const tty = await cli(['generate', 'hardware-specs/kit/rev-a.yaml', '--target', 'c', '-o', join(dir, 'gen-tty')], dir, true);
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stderr).toContain('c: peripheral 1/1 UART0');
    expect(tty.stderr).toMatch(/c: \d+ written, 0 unchanged/);
    const quiet = await cli(['generate', 'hardware-specs/kit/rev-a.yaml', '--target', 'c', '-o', join(dir, 'gen-quiet'), '--quiet'], dir, true);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});
