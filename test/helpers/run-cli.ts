import { runCli } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process, from `cwd`, as a user's terminal would see it without colour, and
 * returns its exit code and what it printed: the one in-process runner of the CLI tests.
 */
export async function runCliIn(cwd: string, args: readonly string[], isTTY = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    color: false,
    isTTY,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
