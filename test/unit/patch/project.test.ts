/**
 * A patch file is a board revision like an SVD: specdrive.yaml lists it, and the pipeline's loader
 * (the one `check` and `ci` use) patches and imports it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRevisions } from '../../../src/pipeline/load-revisions.ts';
import { loadProject } from '../../../src/project/index.ts';
import { repoRoot } from '../../helpers/demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'patch-project-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a patch as a project revision', () => {
  it('loads, patches and validates through the project loader', () => {
    const patch = join(repoRoot, 'test', 'fixtures', 'svd-patch', 'mini-fixed.yaml');
    const file = join(dir, 'specdrive.yaml');
    writeFileSync(file, `spec: specdrive/project@1\nname: mini\nboards:\n  mini: [${JSON.stringify(patch)}]\n`);
    const project = loadProject(file, process.cwd());
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { revisions, unusable, diagnostics } = loadRevisions(project.value!.boards);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(unusable).toBe(false);
    const device = revisions[0]!.device;
    expect(revisions[0]!.revision).toBe('1.1');
    const uart = device.peripherals.find((p) => p.name === 'UART0')!;
    const sr = uart.registers.find((r) => r.name === 'SR');
    expect(sr?.kind === 'register' && sr.fields.find((f) => f.name === 'TXE')?.enums?.[0]?.values.map((v) => v.name)).toEqual(['FULL', 'EMPTY']);
  });

  it("reads the patch, its SVD and its includes from the command's cwd, not the process's", () => {
    // The board entry is relative to the project; the project is loaded from its own folder.
    const patch = join(repoRoot, 'test', 'fixtures', 'svd-patch', 'mini-fixed.yaml');
    const file = join(dir, 'relative.yaml');
    writeFileSync(file, `spec: specdrive/project@1\nname: mini\nboards:\n  mini: [${JSON.stringify(relative(dir, patch))}]\n`);
    expect(dir).not.toBe(process.cwd());
    const project = loadProject('relative.yaml', dir);
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const board = project.value!.boards[0]!;
    expect(board.files).toEqual([relative(dir, patch)]);
    const { revisions, unusable, diagnostics } = loadRevisions(project.value!.boards, { cwd: dir });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(unusable).toBe(false);
    expect(revisions[0]!.revision).toBe('1.1');
  });
});
