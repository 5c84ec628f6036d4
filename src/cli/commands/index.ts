import type { Command } from '../command.ts';

/** A command as the dispatcher sees it before loading it. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /**
   * Loaded on use: a command pulls in its own stage (the diff loads TensorFlow.js, `sim` the
   * simulator, `generate` every target), and `validate` should not pay for all of them at start-up.
   */
  load(): Promise<Command>;
  /** How SIGINT/SIGTERM stop it (src/cli/signals.ts): default end, a trapped signal, or a supervised process group. */
  readonly signals?: 'trap' | 'process-group';
}

/** Every CLI command; `specdrive --help` lists them in this order. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check hardware specs (any supported format) and report located diagnostics',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'check',
    summary: 'bind driver contracts to every revision and solve configurations under a profile',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    name: 'ci',
    summary: 'for each revision: validate, diff, bind, solve, generate, compile, test against the simulator, report',
    load: async () => (await import('./ci.ts')).ciCommand,
    signals: 'process-group',
  },
  {
    name: 'demo',
    summary: 'run the whole pipeline on the demo board and say where the report is',
    load: async () => (await import('./demo.ts')).demoCommand,
    signals: 'process-group',
  },
  {
    name: 'init',
    summary: 'scaffold a working project: package.json, CI workflow, a board revision, an example contract, configuration and profile',
    load: async () => (await import('./init.ts')).initCommand,
  },
  { name: 'new-revision', summary: 'start a new revision of a board from its latest one', load: async () => (await import('./init.ts')).newRevisionCommand },
  {
    name: 'schema',
    summary: 'print, write or check the published JSON Schemas (hardware-specs/schema/)',
    load: async () => (await import('./schema.ts')).schemaCommand,
  },
  {
    name: 'generate',
    summary: 'generate C, TypeScript, Python, docs or SVD from a hardware spec',
    load: async () => (await import('./generate.ts')).generateCommand,
  },
  {
    name: 'sim',
    summary: 'simulate boards from their hardware specs behind a pty, a Unix socket or TCP',
    load: async () => (await import('./sim.ts')).simCommand,
    signals: 'trap',
  },
  {
    name: 'import',
    summary: 'convert a register map (SVD, IP-XACT, native YAML, …) to native YAML or CMSIS-SVD',
    load: async () => (await import('./import.ts')).importCommand,
  },
  {
    name: 'diff',
    summary: 'semantic diff of two hardware revisions: renames, moves, access and reset changes, graded by policy',
    load: async () => (await import('./diff.ts')).diffCommand,
  },
];
