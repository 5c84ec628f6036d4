import { ENGINES, engineProblem, parseEngine, type Engine } from '../solve/index.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { UsageError } from './command.ts';

/** `--engine wasm|ts`, shared by every command that solves. */
export const engineOptions = { engine: { type: 'string', default: 'wasm' } } as const;

export const engineUsage = `--engine wasm|ts  solver engine (default wasm; a missing or broken core is an error, ts is the explicit fallback)`;

/**
 * The engine a command runs with, checked before any work: an unknown value is a usage error, and
 * with `wasm` the core must load — otherwise the returned diagnostic is printed and the command
 * stops (exit 2). The TypeScript engine is used only when asked for by name.
 */
export function chooseEngine(value: unknown): { engine: Engine; problem?: Diagnostic } {
  const engine = parseEngine(value ?? 'wasm');
  if (!engine) throw new UsageError(`--engine must be ${ENGINES.join(' or ')} (got ${String(value)})`);
  const problem = engineProblem(engine);
  return problem ? { engine, problem } : { engine };
}
