import type { CommandContext } from './command.ts';

/**
 * Progress of long work, on standard error: on a terminal one status line rewrites itself
 * (`update`) and finished steps stay (`step`); without a terminal (CI logs, pipes) only the
 * finished steps are printed, one plain line each; with --quiet nothing is printed.
 */
export interface Progress {
  /** A transient status (this peripheral, this stage): shown on a terminal only. */
  update(line: string): void;
  /** A finished step: kept on a terminal, one plain line elsewhere. */
  step(line: string): void;
  /** Clears a pending status line. */
  end(): void;
}

export const quietOption = { quiet: { type: 'boolean', short: 'q', default: false } } as const;

export function createProgress(context: CommandContext, quiet: boolean): Progress {
  if (quiet) return { update: () => {}, step: () => {}, end: () => {} };
  if (!context.isTTY) return { update: () => {}, step: (line) => context.stderr(line + '\n'), end: () => {} };
  let pending = false;
  return {
    update(line) {
      context.stderr(`\r\u001b[2K${line}`);
      pending = true;
    },
    step(line) {
      context.stderr(`\r\u001b[2K${line}\n`);
      pending = false;
    },
    end() {
      if (pending) context.stderr('\r\u001b[2K');
      pending = false;
    },
  };
}
