import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/demo.ts';

/** The whole project type-checks under strict NodeNext (`npm run typecheck`), as part of the tests. */
describe('typecheck', () => {
  it('tsc -p . reports no errors', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(repoRoot, 'tsconfig.json')], {
        cwd: repoRoot,
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: Buffer }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 120_000);
});
