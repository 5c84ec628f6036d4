import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { importFile } from '../../../src/importers/index.ts';
import type { Device } from '../../../src/ir/types.ts';
import { buildGeneratorModel, generatorFor, renderTarget, type GeneratedFile, type GeneratorModel } from '../../../generators/index.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const DEMO_REVISIONS = ['rev-a', 'rev-b', 'rev-c'] as const;

export function load(file: string): Device {
  const result = importFile(resolve(ROOT, file));
  if (!result.value) throw new Error(`cannot import ${file}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.value;
}

export function modelOf(file: string): GeneratorModel {
  return buildGeneratorModel(load(file));
}

export function render(target: string, model: GeneratorModel): readonly GeneratedFile[] {
  const generator = generatorFor(target);
  if (!generator) throw new Error(`no target ${target}`);
  const result = renderTarget(generator, model, {});
  if (!result.value) throw new Error(`${target} failed: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return result.value;
}

/** Writes files into a fresh temporary folder and returns it. */
export function materialise(files: readonly GeneratedFile[], prefix = 'sdgen-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of files) {
    const target = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.contents);
  }
  return dir;
}

/** Runs a command; throws with its output on failure. */
export function run(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

export const C_FLAGS = ['-Wall', '-Wextra', '-Werror', '-pedantic'];

/** Type-checks a generated TS package with the project's real tsc (node_modules linked in). */
export function tscCheck(dir: string): string {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', '.', '--noEmit'], dir);
}

/** The SDK module of one layout type: TypeScript `src/layouts/<T>.ts`, Python `<pkg>/_layouts/<T>.py`. */
export function layoutModule(files: readonly GeneratedFile[], typeName: string): GeneratedFile {
  const found = files.find((f) => f.path === `src/layouts/${typeName}.ts` || f.path.endsWith(`/_layouts/${typeName}.py`));
  if (!found) throw new Error(`no layout module ${typeName} among ${files.length} files`);
  return found;
}
