/**
 * Import limits from the command line and from specdrive.yaml (issue 18 §9): each reaches the
 * importer of every command that reads a hardware spec, and bad values are usage errors.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRevisions } from '../../../src/pipeline/load-revisions.ts';
import { loadProject } from '../../../src/project/index.ts';
import { projectRoot } from '../../project-root.ts';
import { runCliIn, type CliRun } from '../../helpers/run-cli.ts';

const REV_A = join(projectRoot, 'hardware-specs/demo-board/rev-a.yaml');
const REV_B = join(projectRoot, 'hardware-specs/demo-board/rev-b.yaml');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<CliRun> => runCliIn(projectRoot, args);

describe('import limits on the command line', () => {
  const cases: [string, string[]][] = [
    ['validate', ['validate', REV_A]],
    ['generate', ['generate', REV_A, '--target', 'c', '-o', join(tmpdir(), 'specdrive-never-written')]],
    ['import', ['import', REV_A, '-o', join(tmpdir(), 'specdrive-never-written.svd')]],
    ['diff', ['diff', REV_A, REV_B]],
  ];
  for (const [name, args] of cases) {
    it(`${name} --max-nodes 5 refuses the demo board (limits/too-many-nodes); --max-bytes 100 by size`, async () => {
      const nodes = await cli([...args, '--max-nodes', '5']);
      expect(nodes.code).toBe(2);
      expect(nodes.stderr).toMatch(/rev-a\.yaml:\d+:\d+: error\[limits\/too-many-nodes\]/);
      const bytes = await cli([...args, '--max-bytes', '100']);
      expect(bytes.code).toBe(2);
      expect(bytes.stderr).toMatch(/error\[limits\/file-too-large\]/);
    });
  }

  it('a limit that is not a positive whole number is a usage error; size suffixes work', async () => {
    for (const bad of ['abc', '0', '-5', '1.5']) expect((await cli(['validate', REV_A, '--max-bytes', bad])).code).toBe(2);
    expect((await cli(['validate', REV_A, '--max-bytes', '1M'])).code).toBe(0);
  });
});

describe('import limits in specdrive.yaml', () => {
  it('limits: reaches every revision the project loads', () => {
    const root = mkdtempSync(join(tmpdir(), 'specdrive-limits-'));
    temps.push(root);
    for (const part of ['hardware-specs', 'software-specs']) cpSync(join(projectRoot, part), join(root, part), { recursive: true });
    const text = readFileSync(join(projectRoot, 'specdrive.yaml'), 'utf8');
    writeFileSync(join(root, 'specdrive.yaml'), `${text}limits:\n  max_nodes: 5\n  max_depth: 64\n`);
    const project = loadProject(join(root, 'specdrive.yaml'), process.cwd());
    expect(project.diagnostics).toEqual([]);
    expect(project.value!.limits).toEqual({ maxNodes: 5, maxDepth: 64 });
    const loaded = loadRevisions(project.value!.boards, { limits: project.value!.limits });
    expect(loaded.unusable).toBe(true);
    expect(loaded.diagnostics.map((d) => d.code)).toContain('limits/too-many-nodes');
  });

  it('an unknown or non-positive limit is a located project error', () => {
    const root = mkdtempSync(join(tmpdir(), 'specdrive-limits-'));
    temps.push(root);
    writeFileSync(join(root, 'specdrive.yaml'), 'spec: specdrive/project@1\nname: x\nboards: {}\nlimits:\n  max_nodez: 5\n  max_dim: 0\n');
    const project = loadProject(join(root, 'specdrive.yaml'), process.cwd());
    expect(project.value).toBeUndefined();
    expect(project.diagnostics.every((d) => (d.span?.line ?? 0) >= 4)).toBe(true);
  });
});
