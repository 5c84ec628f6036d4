import type { ParseArgsConfig } from 'node:util';

/** What a command can touch: output streams and the working folder. Commands never call process.exit. */
export interface CommandContext {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Colour and progress only on a terminal; CI logs get plain lines. */
  readonly color: boolean;
  readonly isTTY: boolean;
  /** Aborted on Ctrl-C, for long-running commands (sim). */
  readonly signal: AbortSignal;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
}

/** Exit codes: 0 clean, 1 findings at or above the chosen severity, 2 unusable input or usage. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage lines after `specdrive NAME`, and option help. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Command lines shown under "examples:" in `--help`. */
  readonly examples: readonly string[];
  /** What each exit code means for this command (defaults to the common 0/1/2 meaning). */
  readonly exitCodes?: readonly string[];
  run(args: ParsedArgs, context: CommandContext): Promise<number>;
}

/** Thrown for bad command lines; main prints the message and the command's usage, exit 2. */
export class UsageError extends Error {}
