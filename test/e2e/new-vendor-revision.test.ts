import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyBoardProject, describeRun, removeProject, runSpecdrive, sharedData } from './helpers/project-copy.ts';

/**
 * `new-revision BOARD --file VENDOR_FILE --name REV` on a real-chip project: the new vendor release is
 * loaded with the board's overlay applied before it is added to specdrive.yaml; a file that cannot
 * be used leaves the project file untouched.
 */
const project = copyBoardProject('rp2040');
afterAll(() => removeProject(project));
const file = join(project, 'specdrive.yaml');
writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {6}- \{ revision: "2\.2\.0".*\n/m, ''));

describe('new-revision with a vendor file', () => {
  it('adds the release after applying the overlay, and check binds it', async () => {
    const svd = join(sharedData, 'svd-revisions/RP2040/RP2040@2.2.0.svd.gz');
    const added = await runSpecdrive(['new-revision', 'rp2040', '--file', svd, '--name', '2.2.0'], project);
    expect(added.code, describeRun(added)).toBe(0);
    expect(added.stdout).toMatch(/^added rp2040 2\.2\.0 \(.*RP2040@2\.2\.0\.svd\.gz\), with the overlay rp2040\.overlay\.yaml applied: 0 finding\(s\)\n$/);
    expect(readFileSync(file, 'utf8')).toMatch(/\n {6}- \{ revision: "2\.2\.0", file: \S*RP2040@2\.2\.0\.svd\.gz \}\n/);
    const check = await runSpecdrive(['check'], project);
    expect(check.code, describeRun(check)).toBe(0);
    expect(check.stdout).toContain('uart → rp2040 2.2.0 (UART0): unchanged');
  }, 120_000);

  it('refuses a file that cannot be used and leaves specdrive.yaml as it was', async () => {
    const before = readFileSync(file, 'utf8');
    const bad = await runSpecdrive(['new-revision', 'rp2040', '--file', 'missing.svd', '--name', '9.9.9'], project);
    expect(bad.code, describeRun(bad)).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 60_000);
});
