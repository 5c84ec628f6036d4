import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.ts';
import { runCli } from '../../../src/cli/main.ts';

describe('the command list', () => {
  it('names and summaries listed for --help are those of the commands they load', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });

  it('--help lists every command; an unknown one exits 2', async () => {
    let out = '';
    const context = {
      cwd: process.cwd(),
      stdout: (t: string) => void (out += t),
      stderr: (t: string) => void (out += t),
      color: false,
      isTTY: false,
      signal: new AbortController().signal,
    };
    expect(await runCli(['--help'], context)).toBe(0);
    for (const entry of commands) expect(out).toContain(`  ${entry.name}`);
    expect(await runCli(['frobnicate'], context)).toBe(2);
  });
});
