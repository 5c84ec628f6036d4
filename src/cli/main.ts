import { parseArgs } from 'node:util';
import type { Command, CommandContext } from './command.ts';
import { EXIT_USAGE, UsageError } from './command.ts';
import { commands } from './commands/index.ts';
import { suggest } from '../diagnostics/suggest.ts';
import { commandHelp } from './help.ts';
import { WORKER_ENV } from './worker-env.ts';
import { directWriter } from './direct-output.ts';

const VERSION = '0.1.0';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `specdrive ${VERSION} — hardware revisions in, tested drivers and SDKs out`,
    '',
    'usage: specdrive <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `specdrive <command> --help` for a command's options.",
    'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 unusable input or usage.',
  ].join('\n');
}

/** The first usage line and where the rest is, after a usage error. */
function shortUsage(command: Command): string {
  return `usage: specdrive ${command.usage.split('\n')[0]}\nRun \`specdrive ${command.name} --help\` for every option, examples and exit codes.\n`;
}

/** parseArgs' message for an unknown option, with the closest option of the command. */
function unknownOptionMessage(message: string, command: Command): string {
  const typed = /Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (!typed) return message;
  const near = suggest(typed[2] as string, Object.keys(command.options));
  return `Unknown option '${typed[1]}${typed[2]}'${near ? `; did you mean --${near}?` : ''}`;
}

/** Runs the CLI and returns the exit code; never exits the process itself (tests call this). */
export async function runCli(argv: readonly string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined && commands.some((c) => c.name === rest[0])) {
    context.stdout(commandHelp(await commands.find((c) => c.name === rest[0])!.load()));
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout(helpText() + '\n');
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version') {
    context.stdout(VERSION + '\n');
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    const near = suggest(
      name,
      commands.map((c) => c.name),
    );
    context.stderr(`specdrive: unknown command ${JSON.stringify(name)}${near ? `; did you mean ${near}?` : ''}\n\n${helpText()}\n`);
    return EXIT_USAGE;
  }
  const stop = processControllers.get(context);
  // signals.ts (child_process, net) is loaded only by the commands that supervise or are supervised:
  // a start-up cost `validate` and `--help` do not pay.
  const worker = process.env[WORKER_ENV] === '1';
  if (stop && entry.signals === 'process-group' && !worker) return (await import('./signals.ts')).runSupervised(argv);
  if (stop && entry.signals === 'trap') {
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
  }
  if (stop && worker) (await import('./signals.ts')).watchSupervisor();
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    context.stdout(commandHelp(command));
    return 0;
  }
  try {
    const parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    return await command.run({ positionals: parsed.positionals, values: parsed.values }, context);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      const message = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOptionMessage((error as Error).message, command) : (error as Error).message;
      context.stderr(`specdrive ${name}: ${message}\n${shortUsage(command)}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** Contexts made by processContext(): only those may install signal handlers or supervise. */
const processControllers = new WeakMap<CommandContext, AbortController>();

export function processContext(): CommandContext {
  // No signal handlers here: see src/cli/signals.ts for which commands get which.
  const controller = new AbortController();
  // Asked on first use: reading process.stderr.isTTY makes Node build the stderr stream (a socket
  // for a pipe, loading node:net), which the writers below do without.
  let isTTY: boolean | undefined;
  const stderrIsTTY = (): boolean => (isTTY ??= Boolean(process.stderr.isTTY) && !process.env.CI);
  const context: CommandContext = {
    cwd: process.cwd(),
    stdout: directWriter(1, () => process.stdout),
    stderr: directWriter(2, () => process.stderr),
    get color() {
      return stderrIsTTY() && !process.env.NO_COLOR;
    },
    get isTTY() {
      return stderrIsTTY();
    },
    signal: controller.signal,
  };
  processControllers.set(context, controller);
  return context;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  runCli(process.argv.slice(2), processContext()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`specdrive: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
