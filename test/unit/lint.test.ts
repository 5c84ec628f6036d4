import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/demo.ts';

/**
 * Biome (biome.json) is the project's formatter and linter: `npm run lint` checks both,
 * `npm run format` rewrites. Findings are printed in the failure so the test says what to fix.
 */
const biome = join(repoRoot, 'node_modules/@biomejs/biome/bin/biome');

function run(command: 'lint' | 'format'): { status: number | null; output: string } {
  const extra = command === 'lint' ? ['--error-on-warnings'] : [];
  const result = spawnSync(process.execPath, [biome, command, ...extra, '--colors=off', '--max-diagnostics=50', '.'], { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

describe('biome', () => {
  it('the linter reports nothing (errors, warnings or infos)', () => {
    const { status, output } = run('lint');
    expect(output).toMatch(/Checked \d+ files?/);
    expect(status, output).toBe(0);
    expect(output, output).not.toMatch(/Found \d+ infos?/);
  }, 120_000);

  it('every file is formatted (run `npm run format` to fix)', () => {
    const { status, output } = run('format');
    expect(output).toMatch(/Checked \d+ files?/);
    expect(status, output).toBe(0);
  }, 120_000);
});
