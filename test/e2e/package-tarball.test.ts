import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeRun, removeProject, repoRoot, type CliRun } from './helpers/project-copy.ts';
import type { CiReport } from '../../src/pipeline/ci-types.ts';

/**
 * Issue 17: the package as a user gets it. `npm pack` builds the tarball, which is installed into an
 * empty folder outside the repository (from npm's cache where it can: the repository's own
 * `npm ci`/`npm install` filled it; the registry otherwise). From there the installed `specdrive`
 * command scaffolds a project, checks it, runs ci (generation, gcc/tsc/python compile, scenarios of
 * every generated SDK against the simulator) and starts the simulator: nothing may reach back into
 * the repository or a nested node_modules.
 */
const scratch: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  scratch.forEach(removeProject);
});

function run(command: string, args: readonly string[], cwd: string, timeout = 600_000): CliRun {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, CI: '1', NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { code: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
}

/** `npx --no specdrive ARGS` in the consumer project: the installed bin, never a registry fetch. */
const specdrive = (args: readonly string[], cwd: string): CliRun => run('npx', ['--no', 'specdrive', ...args], cwd);

describe('the npm tarball installed into an empty project', () => {
  let tarball: string;
  let packed: string[];
  let consumer: string;

  beforeAll(() => {
    const packDir = mkdtempSync(join(tmpdir(), 'specdrive-pack-'));
    scratch.push(packDir);
    // --ignore-scripts: dist/ is already built by the test setup; `prepare` would rebuild it under
    // the feet of other tests running the bin.
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], repoRoot);
    expect(pack.code, describeRun(pack)).toBe(0);
    const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(packDir, info[0]!.filename);
    packed = info[0]!.files.map((f) => f.path);

    consumer = mkdtempSync(join(tmpdir(), 'specdrive-consumer-'));
    scratch.push(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        allowScripts: { '@serialport/bindings-cpp': true, usb: true, esbuild: true, 'core-js': false, 'specdrive-cli': false },
      }),
    );
    const install = run('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], consumer);
    expect(install.code, describeRun(install)).toBe(0);
  }, 900_000);

  it('is named specdrive-cli, ships the bundle and its assets, and no tests or sources it does not read', () => {
    expect(tarball).toMatch(/specdrive-cli-\d+\.\d+\.\d+\.tgz$/);
    for (const file of [
      'bin/specdrive.js',
      'bin/package.json',
      'dist/specdrive.cjs',
      'dist/specdrive.v8cache',
      'wasm-core/specdrive_core.wasm',
      'generators/c/templates/peripheral.h.hbs',
      'generators/python/runtime/_runtime.py',
      'generators/typescript/runtime/io.ts',
      'src/protocol/client.ts',
      'src/diff/matcher/weights.json',
      'docs/ci/github-actions.yml',
      'docs/ci/github-actions-comment.yml',
      'software-specs/schema/project.schema.json',
    ]) {
      expect(packed, file).toContain(file);
    }
    const unexpected = packed.filter(
      (p) =>
        p.startsWith('test/') ||
        p.startsWith('wasm-core/src') ||
        p.startsWith('scripts/') ||
        (p.startsWith('src/') && !p.startsWith('src/protocol/') && p !== 'src/diff/matcher/weights.json') ||
        p.startsWith('firmware-sim/'),
    );
    expect(unexpected).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/specdrive-cli/package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(manifest.bin)).toEqual(['specdrive']);
  });

  it('init, check, ci and sim work from the installed command, and the generated SDKs pass their scenarios', async () => {
    const init = specdrive(['init', '--board', 'kit'], consumer);
    expect(init.code, describeRun(init)).toBe(0);
    expect(init.stdout).toContain('kept package.json');

    const check = specdrive(['check'], consumer);
    expect(check.code, describeRun(check)).toBe(0);
    expect(check.stdout).toMatch(/uart → kit rev-a \(UART0\): unchanged/);

    const ci = specdrive(['ci'], consumer);
    expect(ci.code, describeRun(ci)).toBe(0);
    const report = JSON.parse(readFileSync(join(consumer, 'out/report/report.json'), 'utf8')) as CiReport;
    const revision = report.revisions[0]!;
    expect(revision.compiled.map((c) => `${c.target}:${c.status}`).sort()).toEqual(['c:passed', 'python:passed', 'typescript:passed']);
    for (const target of ['c', 'python', 'typescript'])
      expect(
        revision.scenarios.some((s) => s.target === target && s.status === 'passed'),
        `${target} scenarios`,
      ).toBe(true);
    expect(revision.scenarios.filter((s) => s.status !== 'passed')).toEqual([]);
    expect(existsSync(join(consumer, 'out/kit/rev-a/typescript'))).toBe(true);

    // sim: starts, says where it listens, stops cleanly on Ctrl-C.
    const socket = join(consumer, 'sim.sock');
    // Started through the installed bin link itself (what npx runs), so Ctrl-C reaches it directly.
    const child = spawn(join(consumer, 'node_modules/.bin/specdrive'), ['sim', 'hardware-specs/kit/rev-a.yaml', '--socket', socket], {
      cwd: consumer,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`sim did not start: ${out}${err}`)), 120_000);
      child.stdout.on('data', () => {
        if (out.includes('listening:')) {
          clearTimeout(guard);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`sim exited ${code}: ${out}${err}`)));
    });
    expect(out).toContain(`listening: unix:${socket}`);
    expect(existsSync(socket)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 900_000);
});
