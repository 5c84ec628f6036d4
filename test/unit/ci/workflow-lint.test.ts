import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scaffoldFiles } from '../../../src/cli/scaffold.ts';
import { repoRoot } from '../../e2e/helpers/project-copy.ts';

/**
 * Issue 17: the documented GitHub Actions workflow (also what `specdrive init` writes) passes
 * actionlint, and has the properties that make it run for real: a per-board matrix from
 * `specdrive ci --matrix`, content-keyed caches, a SARIF upload that is skipped with a notice where
 * code scanning cannot take it, and PR comments posted from a workflow_run follow-up (so pull
 * requests from forks, whose token is read-only, get them too).
 *
 * actionlint comes from the Go module proxy; .ci/run installs it (`go install …/actionlint@v1.7.12`).
 */
const WORKFLOWS = ['docs/ci/github-actions.yml', 'docs/ci/github-actions-comment.yml'];

function actionlint(): string {
  const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).stdout?.trim();
  const candidates = [...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'actionlint')), ...(gopath ? [join(gopath, 'bin', 'actionlint')] : [])];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error('actionlint is not installed: go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 (.ci/run does this)');
  return found;
}

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { needs?: string; strategy?: { matrix?: unknown }; permissions?: Record<string, string>; steps: Step[]; if?: string }>;
}
const load = (file: string): Workflow => parse(readFileSync(join(repoRoot, file), 'utf8')) as Workflow;

describe('the GitHub Actions workflows', () => {
  it('pass actionlint', () => {
    const result = spawnSync(actionlint(), ['-no-color', ...WORKFLOWS], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('run one job per board from `specdrive ci --matrix`, cached on content', () => {
    const workflow = load('docs/ci/github-actions.yml');
    const listing = workflow.jobs.matrix?.steps.find((s) => s.id === 'list');
    expect(listing?.run).toContain('specdrive ci --matrix');
    const board = workflow.jobs.board!;
    expect(board.needs).toBe('matrix');
    expect(board.strategy?.matrix).toBe('${{ fromJSON(needs.matrix.outputs.boards) }}');
    expect(board.steps.find((s) => s.id === 'ci')?.run).toContain('specdrive ci --board "${{ matrix.board }}"');
    const cache = board.steps.find((s) => s.uses?.startsWith('actions/cache'));
    expect(String(cache?.with?.key)).toMatch(/hashFiles\('hardware-specs\/\*\*', 'software-specs\/\*\*', 'specdrive\.yaml', 'package-lock\.json'\)/);
    expect(workflow.jobs.matrix?.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.cache).toBe('npm');
  });

  it('upload SARIF only where code scanning can take it, with a notice otherwise', () => {
    const steps = load('docs/ci/github-actions.yml').jobs.board!.steps;
    const probe = steps.find((s) => s.id === 'scanning');
    expect(probe?.run).toContain('::notice title=SARIF upload skipped::');
    expect(probe?.run).toContain('FORK');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.if).toBe("steps.scanning.outputs.upload == 'true'");
    expect(upload?.['continue-on-error']).toBe(true);
    expect(steps.some((s) => s.if === "steps.sarif.outcome == 'failure'" && s.run?.includes('::notice'))).toBe(true);
  });

  it('post PR comments from a workflow_run follow-up, never from the pull_request run', () => {
    const main = load('docs/ci/github-actions.yml');
    expect(JSON.stringify(main)).not.toMatch(/pull-requests: ?"?write|sticky-pull-request-comment|gh pr comment/);
    expect(main.jobs.board!.steps.some((s) => s.run?.includes('pr-number.txt'))).toBe(true);
    const follow = load('docs/ci/github-actions-comment.yml');
    expect(follow.on).toEqual({ workflow_run: { workflows: ['specdrive'], types: ['completed'] } });
    expect(follow.permissions).toMatchObject({ 'pull-requests': 'write' });
    const post = follow.jobs.comment!.steps.find((s) => s.run?.includes('pr-number.txt'));
    // The number comes from an artifact a fork could write: only digits are used.
    expect(post?.run).toContain('*[!0-9]*');
    expect(JSON.stringify(follow)).not.toContain('actions/checkout');
  });

  it('are what `specdrive init` writes', () => {
    const files = scaffoldFiles({ name: 'p', board: 'b', version: '1.0.0' });
    expect(files.find((f) => f.path === '.github/workflows/specdrive.yml')?.contents).toBe(readFileSync(join(repoRoot, WORKFLOWS[0]!), 'utf8'));
    expect(files.find((f) => f.path === '.github/workflows/specdrive-comment.yml')?.contents).toBe(readFileSync(join(repoRoot, WORKFLOWS[1]!), 'utf8'));
  });
});
