/**
 * The ci cache key of a revision is a function of the content and project-relative paths of its
 * inputs only (issue 18 §14): the same project in two folders of different names and depths gives
 * the same keys; a changed spec line changes its revision's key.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputsKeys } from '../../../src/pipeline/inputs-key.ts';
import { loadRevisions } from '../../../src/pipeline/load-revisions.ts';
import { loadSoftwareSpecs } from '../../../src/pipeline/load-software-specs.ts';
import { loadProject } from '../../../src/project/index.ts';
import { projectRoot } from '../../project-root.ts';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A copy of the demo project at `relativeFolder` below a new temporary folder. */
function copyDemo(relativeFolder: string): string {
  const base = mkdtempSync(join(tmpdir(), 'specdrive-key-'));
  temps.push(base);
  const root = join(base, relativeFolder);
  for (const part of ['specdrive.yaml', 'hardware-specs', 'software-specs']) cpSync(join(projectRoot, part), join(root, part), { recursive: true });
  return root;
}

function keysOf(root: string): string[] {
  const project = loadProject(join(root, 'specdrive.yaml'), process.cwd()).value!;
  const specs = loadSoftwareSpecs({ contracts: project.contracts, configs: project.configs, profiles: project.profiles });
  const { revisions } = loadRevisions(project.boards);
  const keys = inputsKeys(project, specs, revisions, 'c@1', 'wasm');
  return revisions.map((r, i) => keys.inputsKey(r, revisions[i - 1]?.board === r.board ? revisions[i - 1] : undefined));
}

describe('ci inputsKey', () => {
  it('is the same for the same project in folders of different names and depths', () => {
    const a = keysOf(copyDemo('main'));
    const b = keysOf(copyDemo('elsewhere/deeper/checkout-2'));
    expect(a.length).toBeGreaterThan(1);
    expect(b).toEqual(a);
  });

  it('changes when a spec line moves (its spans are inputs)', () => {
    const root = copyDemo('moved');
    const before = keysOf(root);
    const revA = join(root, 'hardware-specs/demo-board/rev-a.yaml');
    writeFileSync(revA, `# one more line\n${readFileSync(revA, 'utf8')}`);
    const after = keysOf(root);
    expect(after[0]).not.toBe(before[0]);
  });
});
