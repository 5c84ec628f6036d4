import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  buildGeneratorModel,
  generatorFor,
  generators,
  inputsHash,
  isUpToDate,
  renderTarget,
  writeOutput,
  type GenConfig,
  type GenOperation,
} from '../../generators/index.ts';
import type { CompileResult, GeneratedTarget, ScenarioResult } from './ci-types.ts';
import type { CodeStages, RevisionContext } from './ci.ts';
import { lowerContract } from './lower-operations.ts';
import { runScenarioStage } from './scenario-stage.ts';
import { filesUnder } from './files.ts';
import { dependencyDir } from '../package/root.ts';
import { appendUnique } from '../diagnostics/collector.ts';
import { describeEnvironmentFailure, runTool, type ToolRun } from './run-tool.ts';

/** A tool run as a compile result: passed, failed (the compiler's verdict), or error (the environment's). */
function compileResult(target: string, command: string, run: ToolRun, output: (run: ToolRun) => string = (r) => r.stderr): CompileResult {
  if (run.environment) return { target, status: 'error', command, output: describeEnvironmentFailure(run) };
  return run.exitCode === 0 ? { target, status: 'passed', command, output: '' } : { target, status: 'failed', command, output: output(run).trim() };
}

/** Project target names → generator names. */
const GENERATOR_OF: Readonly<Record<string, string>> = { c: 'c', typescript: 'ts', python: 'python', docs: 'docs', svd: 'svd' };

/** The output of a failed tool run, or a plain sentence when the tool is not on PATH at all. */
export function toolFailure(error: unknown, tool: string): string {
  const e = error as { code?: unknown; stdout?: string; stderr?: string; message?: string };
  if (e.code === 'ENOENT')
    return `${tool} was not found on PATH; install it (for example \`apt-get install ${tool === 'python3' ? 'python3' : tool}\`) or leave the target out of specdrive.yaml targets`;
  return (e.stderr || e.stdout || e.message || String(error)).trim();
}

const listFiles = (dir: string, extension: string): string[] => filesUnder(dir, (name) => name.endsWith(extension));

const modelInputs = new WeakMap<RevisionContext, { operations: GenOperation[]; config?: GenConfig }>();

/**
 * The driver operations and configuration constants of one revision, as generators read them.
 * Computed once per revision: generation and the scenario stage share it.
 */
export function revisionModelInputs(context: RevisionContext): { operations: GenOperation[]; config?: GenConfig } {
  const cached = modelInputs.get(context);
  if (cached) return cached;
  const computed = computeModelInputs(context);
  modelInputs.set(context, computed);
  return computed;
}

function computeModelInputs(context: RevisionContext): { operations: GenOperation[]; config?: GenConfig } {
  const operations: GenOperation[] = [];
  const extraTargets: Record<string, number[]> = {};
  for (const c of context.configurations) for (const q of c.quantities) (extraTargets[q.quantity] ??= []).push(q.target);
  for (const binding of context.bindings) {
    const contract = context.specs.contracts.find((c) => c.driver === binding.driver && c.file === binding.contractFile);
    if (!contract) continue;
    operations.push(...lowerContract({ contract, binding, device: context.revision.device, extraTargets, engine: context.engine }, context.diagnostics));
  }
  const first = context.configurations[0];
  const config: GenConfig | undefined = first
    ? { name: first.config, values: Object.entries(first.fields).map(([path, value]) => ({ path, value })) }
    : undefined;
  return { operations, ...(config ? { config } : {}) };
}

/**
 * The compilers run in the command's working directory on the target's folder as the report names it
 * (relative to that directory), so their messages name files the way the report does.
 */
const filesOf = (cwd: string, dir: string, extension: string): string[] => listFiles(resolve(cwd, dir), extension).map((f) => relative(cwd, f));

async function compileC(cwd: string, dir: string): Promise<CompileResult> {
  const sources = filesOf(cwd, dir, '.c');
  const work = mkdtempSync(join(tmpdir(), 'specdrive-cc-'));
  const flags = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic', '-D_POSIX_C_SOURCE=200809L', `-I${join(dir, 'include')}`];
  const command = `gcc ${flags.join(' ')} -c <${sources.length} files>`;
  try {
    for (const source of sources) {
      const result = compileResult('c', command, await runTool('gcc', [...flags, '-c', source, '-o', join(work, 'unit.o')], { cwd }));
      if (result.status !== 'passed') return result;
    }
    return { target: 'c', status: 'passed', command, output: '' };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function compileTs(cwd: string, dir: string): Promise<CompileResult> {
  const files = listFiles(resolve(cwd, dir), '.ts');
  // The compiler, Node's types and serialport's types are specdrive's own runtime dependencies,
  // found by module resolution from specdrive's install (the project may have none of them).
  let tsc: string, nodeTypes: string, serialport: string;
  try {
    tsc = join(dependencyDir('typescript'), 'bin', 'tsc');
    nodeTypes = dependencyDir('@types/node');
    serialport = dependencyDir('serialport');
  } catch (error) {
    return { target: 'typescript', status: 'failed', command: 'tsc', output: (error as Error).message };
  }
  // A throwaway tsconfig outside the output: strict checking of exactly the generated files.
  const work = mkdtempSync(join(tmpdir(), 'specdrive-tsc-'));
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      types: ['node'],
      typeRoots: [join(nodeTypes, '..')],
      paths: { serialport: [join(serialport, 'dist', 'index.d.ts')] },
    },
    files,
  };
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(config));
  const command = `tsc --strict --noEmit <${files.length} files>`;
  try {
    // tsc prints its errors on stdout.
    return compileResult('typescript', command, await runTool(process.execPath, [tsc, '-p', join(work, 'tsconfig.json')]), (r) => r.stdout || r.stderr);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function compilePython(cwd: string, dir: string): Promise<CompileResult> {
  const files = filesOf(cwd, dir, '.py');
  const command = `python3 -m py_compile <${files.length} files>`;
  if (!files.length) return { target: 'python', status: 'passed', command, output: '' };
  return compileResult('python', command, await runTool('python3', ['-m', 'py_compile', ...files], { cwd }));
}

/** The real stages: generators write atomically, gcc/tsc/python check what they wrote. */
export const defaultCodeStages: CodeStages = {
  versions: generators.map((g) => `${g.name}@${g.version}`).join(','),
  async generate(context) {
    const inputs = revisionModelInputs(context);
    const model = buildGeneratorModel(context.revision.device, { ...inputs, genericOperations: true });
    const out: GeneratedTarget[] = [];
    // Layer 4: a profile that names its SDK languages narrows the project's targets to those.
    const sdk = context.specs.profiles[0]?.sdk;
    for (const target of context.project.targets) {
      if (sdk && (target === 'c' || target === 'typescript' || target === 'python') && !sdk.includes(target)) continue;
      const generator = generatorFor(GENERATOR_OF[target] ?? target);
      if (!generator) {
        context.diagnostics.push({
          code: 'ci/unknown-target',
          severity: 'error',
          message: `no generator for target ${target}`,
          span: { file: context.project.file, line: 1, column: 1, endLine: 1, endColumn: 1 },
        });
        continue;
      }
      const dir = join(context.outputDir, target);
      const rendered = renderTarget(generator, model, {});
      appendUnique(context.diagnostics, rendered.diagnostics);
      if (!rendered.value) continue;
      const hash = inputsHash(generator, model, rendered.config ?? {});
      const unchanged = isUpToDate(dir, hash);
      if (!unchanged) writeOutput(dir, generator.name, hash, rendered.value);
      out.push({ target, dir: relative(context.project.cwd, dir), files: rendered.value.length, unchanged });
    }
    return out;
  },
  async compile(context, generated) {
    const results: CompileResult[] = [];
    const cwd = context.project.cwd;
    for (const g of generated) {
      if (g.target === 'c') results.push(await compileC(cwd, g.dir));
      else if (g.target === 'typescript') results.push(await compileTs(cwd, g.dir));
      else if (g.target === 'python') results.push(await compilePython(cwd, g.dir));
    }
    return results;
  },
  async scenarios(context, generated): Promise<readonly ScenarioResult[]> {
    return runScenarioStage(context, generated, revisionModelInputs(context).operations);
  },
};
