/**
 * Hostile inputs to code generation and to the output writer: descriptions built to inject code
 * into generated C/TypeScript/Python, names built to do the same, output paths that climb out of
 * the output folder, and symlinks inside the output folder that point outside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildGeneratorModel, renderTarget, writeOutput } from '../../generators/index.ts';
import type { AnyGenerator } from '../../generators/framework/types.ts';
import { importText } from '../../src/importers/index.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const FIXTURE = new URL('./fixtures/inject-descriptions.svd', import.meta.url).pathname;
const SENTINEL = 'injected_x';

const temps: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'specdrive-hostile-gen-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function specdrive(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/specdrive.js'), ...args], { cwd, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function filesUnder(dir: string, ext: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(ext)).map((f) => join(dir, f));
}

describe('hostile: code injection through descriptions', () => {
  it('generated C, TypeScript and Python compile and carry the payload only inside comments', () => {
    const work = temp();
    const run = specdrive(['generate', FIXTURE, '--target', 'all', '-o', join(work, 'out')], work);
    expect(run.status, run.stderr).toBe(0);
    const out = join(work, 'out');

    // C: every header compiles alone with warnings as errors, and after preprocessing (which drops
    // comments) the payload is gone: it was never code or a string.
    const headers = filesUnder(join(out, 'c'), '.h');
    expect(headers.length).toBeGreaterThan(0);
    for (const h of headers) {
      const cc = spawnSync('gcc', ['-std=c11', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-I', join(out, 'c', 'include'), '-x', 'c', h], {
        encoding: 'utf8',
      });
      expect(cc.status, `${h}\n${cc.stderr}`).toBe(0);
      const pre = spawnSync('gcc', ['-E', '-P', '-I', join(out, 'c', 'include'), '-x', 'c', h], { encoding: 'utf8' });
      expect(pre.stdout).not.toContain(SENTINEL);
    }

    // Python: parses, and no name node, call or string constant carries the payload (docstrings aside).
    const py = spawnSync(
      'python3',
      [
        '-c',
        `
import ast, sys
bad = []
for f in sys.argv[1:]:
    tree = ast.parse(open(f, encoding='utf-8').read(), f)
    docs = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant):
            docs.add(id(n.body[0].value))
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id == '${SENTINEL}': bad.append(f + ': name')
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and '${SENTINEL}' in n.value and id(n) not in docs: bad.append(f + ': string ' + repr(n.value[:60]))
print('\\n'.join(bad))
sys.exit(1 if bad else 0)
`,
        ...filesUnder(join(out, 'python'), '.py'),
      ],
      { encoding: 'utf8' },
    );
    expect(py.status, py.stdout + py.stderr).toBe(0);

    // TypeScript: the payload only ever appears on lines that are whole comments.
    for (const f of filesUnder(join(out, 'ts'), '.ts')) {
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (!line.includes(SENTINEL)) continue;
        expect(line.trim(), f).toMatch(/^(\/\*\*.*\*\/|\*.*|\/\/.*)$/);
        expect(line.trim().slice(3, -2), f).not.toContain('*/');
      }
    }
  });

  it('a register name built to inject code is refused with a located error and nothing is written', () => {
    const work = temp();
    const spec = join(work, 'names.svd');
    writeFileSync(spec, readFileSync(FIXTURE, 'utf8').replace('<name>CTRL</name>', '<name>CTRL*/ int injected_x; /*</name>'));
    const run = specdrive(['generate', spec, '--target', 'all', '-o', join(work, 'out')], work);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/names\.svd:\d+:\d+: error\[generate\/unsafe-name\]/);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });
});

/** A generator that emits whatever paths it is given: the runner must refuse the unsafe ones. */
function pathGenerator(paths: readonly string[]): AnyGenerator {
  return {
    name: 'paths',
    version: '0',
    description: 'emits chosen paths',
    configSchema: z.object({}),
    generate: (_model, _config, emit) => {
      for (const path of paths) emit({ path, contents: 'x\n' });
      return [];
    },
  };
}

function demoModel() {
  const text = readFileSync(join(ROOT, 'hardware-specs/demo-board/rev-a.yaml'), 'utf8');
  return buildGeneratorModel(importText(text, 'rev-a.yaml').value!);
}

describe('hostile: generator output paths', () => {
  for (const bad of ['../escape.h', '/etc/evil.h', 'a/../../escape.h', 'a//b.h', './x.h', 'a\\..\\..\\x.h', '.specdrive-manifest.json']) {
    it(`a generated file named ${JSON.stringify(bad)} is refused before anything is written`, () => {
      const result = renderTarget(pathGenerator(['ok.h', bad]), demoModel());
      expect(result.value).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code)).toEqual(['internal/generator-bad-path']);
    });
  }
});

describe('hostile: symlinks inside the output folder', () => {
  it('writing through a symlinked subfolder that points outside the output folder is refused', () => {
    const work = temp();
    const out = join(work, 'out');
    const outside = join(work, 'outside');
    mkdirSync(outside);
    const model = demoModel();
    const files = renderTarget(pathGenerator(['include/a.h', 'top.h']), model).value!;
    writeOutput(out, 'paths', 'h1', files);
    // An attacker (or a careless script) replaces a generated folder with a link to somewhere else.
    rmSync(join(out, 'include'), { recursive: true });
    symlinkSync(outside, join(out, 'include'));
    const changed = files.map((f) => ({ ...f, contents: `${f.contents}changed\n` }));
    expect(() => writeOutput(out, 'paths', 'h2', changed)).toThrow(/symlink|outside/i);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a symlinked file in the output folder is replaced, never written through', () => {
    const work = temp();
    const out = join(work, 'out');
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const files = renderTarget(pathGenerator(['top.h']), demoModel()).value!;
    writeOutput(out, 'paths', 'h1', files);
    rmSync(join(out, 'top.h'));
    symlinkSync(victim, join(out, 'top.h'));
    writeOutput(
      out,
      'paths',
      'h2',
      files.map((f) => ({ ...f, contents: `${f.contents}changed\n` })),
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
