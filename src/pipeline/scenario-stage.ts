import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join, relative, resolve } from 'node:path';
import type { Binding } from '../bind/index.ts';
import type { DriverContract } from '../contracts/index.ts';
import type { GenOperation } from '../../generators/index.ts';
import { openPty } from '../../firmware-sim/index.ts';
import { InterpretedExecutor, ProcessExecutor, SimSession, runScenario, type OperationExecutor } from '../scenarios/index.ts';
import type { GeneratedTarget, ScenarioResult } from './ci-types.ts';
import { filesUnder } from './files.ts';
import { dependencyDir, nodeModulesOf, resolveDependency } from '../package/root.ts';
import { EnvironmentError, runToolOrThrow } from './run-tool.ts';
import type { RevisionContext } from './ci.ts';
import { projectPath } from '../project/index.ts';

const findFile = (dir: string, name: string): string | undefined => filesUnder(dir, (n) => n === name)[0];

/** How to start a target's generated op runner on a link, building it first where needed. */
export async function runnerCommand(target: string, dir: string): Promise<{ command: string; args: string[]; cleanup?: () => void } | undefined> {
  if (target === 'c') {
    const source = findFile(dir, 'op_runner.c');
    const link = findFile(dir, 'sd_link.c');
    if (!source || !link) return undefined;
    // Built outside the output folder: generated output holds only what the generator wrote.
    const build = mkdtempSync(join(tmpdir(), 'specdrive-c-runner-'));
    const binary = join(build, 'op_runner');
    const include = join(resolve(dir), 'include');
    await runToolOrThrow('gcc', [
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-pedantic',
      '-D_POSIX_C_SOURCE=200809L',
      `-I${include}`,
      `-I${resolve(dir)}`,
      source,
      link,
      '-o',
      binary,
    ]);
    return { command: binary, args: [], cleanup: () => rmSync(build, { recursive: true, force: true }) };
  }
  if (target === 'typescript') {
    const script = findFile(dir, 'op-runner.ts');
    if (!script) return undefined;
    // The generated package imports `serialport`, which the user's project need not have: run it
    // through a folder that links the node_modules holding specdrive's serialport beside the
    // package, with symlinks preserved so module resolution starts there. tsx (a dependency of
    // specdrive) runs the TypeScript as it was generated.
    const modules = nodeModulesOf(dependencyDir('serialport'));
    const tsx = pathToFileURL(resolveDependency('tsx/esm')).href;
    const stage = mkdtempSync(join(tmpdir(), 'specdrive-ts-runner-'));
    symlinkSync(modules, join(stage, 'node_modules'));
    symlinkSync(resolve(dir), join(stage, 'pkg'));
    return {
      command: process.execPath,
      args: ['--preserve-symlinks', '--preserve-symlinks-main', '--import', tsx, join(stage, 'pkg', relative(resolve(dir), resolve(script)))],
      cleanup: () => rmSync(stage, { recursive: true, force: true }),
    };
  }
  if (target === 'python') {
    const script = findFile(dir, 'op_runner.py');
    return script ? { command: 'python3', args: [resolve(script)] } : undefined;
  }
  return undefined;
}

interface BoundContract {
  readonly contract: DriverContract;
  readonly binding: Binding;
}

function boundContracts(context: RevisionContext): BoundContract[] {
  return context.bindings.flatMap((binding) => {
    const contract = context.specs.contracts.find((c) => c.driver === binding.driver && c.file === binding.contractFile);
    return contract?.scenarios.length ? [{ contract, binding }] : [];
  });
}

async function runAll(session: SimSession, executor: OperationExecutor, contracts: readonly BoundContract[]): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const { contract, binding } of contracts) {
    for (const scenario of contract.scenarios) results.push(await runScenario(session, executor, contract, binding, scenario));
  }
  return results;
}

/**
 * Every scenario of every contract bound to this revision: first through the in-process reference
 * interpreter, then through each generated target's op runner over a real pty to the simulator.
 */
export async function runScenarioStage(
  context: RevisionContext,
  generated: readonly GeneratedTarget[],
  operations: readonly GenOperation[],
): Promise<ScenarioResult[]> {
  const contracts = boundContracts(context);
  if (contracts.length === 0) return [];
  const device = context.revision.device;
  const results: ScenarioResult[] = [];
  {
    const session = await SimSession.start(device);
    const client = await SimSession.link(session.server);
    try {
      results.push(...(await runAll(session, new InterpretedExecutor(device, client, operations), contracts)));
    } finally {
      await client.close();
      await session.close();
    }
  }
  for (const g of generated) {
    if (!['c', 'typescript', 'python'].includes(g.target)) continue;
    let runner: { command: string; args: string[]; cleanup?: () => void } | undefined;
    try {
      runner = await runnerCommand(g.target, projectPath(context.project, g.dir));
    } catch (error) {
      results.push({
        driver: '*',
        scenario: 'build op runner',
        target: g.target,
        status: error instanceof EnvironmentError ? 'error' : 'failed',
        message: String((error as { stderr?: string }).stderr ?? (error as Error).message).slice(0, 2000),
      });
      continue;
    }
    if (!runner) continue;
    const session = await SimSession.start(device);
    const pty = await openPty();
    session.server.attach(pty.transport);
    let executor: ProcessExecutor | undefined;
    try {
      executor = await ProcessExecutor.start(g.target, runner.command, [...runner.args, `serial:${pty.path}`]);
      results.push(...(await runAll(session, executor, contracts)));
    } catch (error) {
      // A runner that cannot be started at all (python3 missing) is the environment's failure.
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      results.push({ driver: '*', scenario: 'start op runner', target: g.target, status: missing ? 'error' : 'failed', message: (error as Error).message });
    } finally {
      await executor?.close();
      await pty.close();
      await session.close();
      runner.cleanup?.();
    }
  }
  return results;
}
