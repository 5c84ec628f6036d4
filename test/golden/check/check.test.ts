import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/demo.ts';
import { runCliIn, type CliRun } from '../../helpers/run-cli.ts';

/** Runs the CLI in-process with the repository root as its working directory and captures its output. */
const cli = (args: string[]): Promise<CliRun> => runCliIn(repoRoot, args);

const golden = join(repoRoot, 'test/golden/check');

function compare(name: string, actual: string): void {
  const file = join(golden, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(golden, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('specdrive check on the demo board (golden)', () => {
  it('text: every operation of every contract against every revision', async () => {
    const r = await cli(['check']);
    // rev-c removes CTRL.LOOPBACK, which the UART contract uses: a broken operation, exit 1.
    expect(r.code).toBe(1);
    compare('demo-board.txt', r.stdout);
  });

  it('markdown and json carry the same verdicts', async () => {
    compare('demo-board.md', (await cli(['check', '--format', 'markdown'])).stdout);
    const json = JSON.parse((await cli(['check', '--format', 'json'])).stdout) as {
      bindings: { driver: string; revision: string; operations: { operation: string; verdict: string }[] }[];
    };
    const table = json.bindings.flatMap((b) => b.operations.map((o) => `${b.driver} ${b.revision} ${o.operation} ${o.verdict}`));
    compare('demo-board.verdicts', table.join('\n') + '\n');
  });

  it('an impossible profile exits 1 and explains itself in every format', async () => {
    const text = await cli(['check', '--profile', 'software-specs/profiles/precise.yaml']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/blocked by layer 2/);
    expect(text.stderr).toMatch(/software-specs\/configs\/fast-console\.yaml:\d+:\d+: error\[configure\/unsatisfiable\]/);
    const md = await cli(['check', '--profile', 'software-specs/profiles/precise.yaml', '--format', 'markdown']);
    expect(md.stdout).toMatch(/cannot be met\*\* — blocked by layer 2/);
    const json = JSON.parse((await cli(['check', '--profile', 'software-specs/profiles/precise.yaml', '--format', 'json'])).stdout) as {
      configurations: { unsatisfiable: { blockingLayer: number }[] }[];
    };
    expect(json.configurations.flatMap((c) => c.unsatisfiable.map((u) => u.blockingLayer))).toEqual(['hardware']);
  });
});
