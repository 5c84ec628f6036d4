import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutput, cGenerator, inputsHash, isUpToDate, MANIFEST, stageOutput, writeOutput } from '../../../generators/index.ts';
import { ROOT, modelOf, render } from './helpers.ts';
import { runCliIn } from '../../helpers/run-cli.ts';

const demo = (rev: string): string => join(ROOT, 'hardware-specs/demo-board', `${rev}.yaml`);

describe('runner', () => {
  it('writes atomically, skips unchanged files, removes files it wrote before, and --check sees drift', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sdrun-')), 'c');
    const model = modelOf('hardware-specs/demo-board/rev-b.yaml');
    const files = render('c', model);
    const hash = inputsHash(cGenerator, model, cGenerator.configSchema.parse({}));
    expect(writeOutput(out, 'c', hash, files).written.length).toBe(files.length);
    expect(isUpToDate(out, hash)).toBe(true);
    const before = statSync(join(out, 'include/uart0.h')).mtimeMs;
    const again = writeOutput(out, 'c', hash, files);
    expect(again.written).toEqual([]);
    expect(statSync(join(out, 'include/uart0.h')).mtimeMs).toBe(before);
    writeFileSync(join(out, 'include/uart0.h'), 'edited by hand');
    expect(isUpToDate(out, hash)).toBe(false);
    expect(checkOutput(out, files).outOfDate).toEqual(['include/uart0.h']);
    writeFileSync(join(out, 'NOTES.txt'), 'mine');
    const fewer = files.filter((f) => f.path !== 'include/gpioa.h');
    const third = writeOutput(out, 'c', 'other', fewer);
    expect(third.removed).toEqual(['include/gpioa.h']);
    expect(third.written).toEqual(['include/uart0.h']);
    expect(existsSync(join(out, 'NOTES.txt'))).toBe(true); // not ours: never removed
    expect(readdirSync(out).filter((n) => n.startsWith('.staging'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, MANIFEST), 'utf8')).inputsHash).toBe('other');
  });

  it('a staged output changes nothing until committed, and a discarded one leaves no trace', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sdstage-'));
    const model = modelOf('hardware-specs/demo-board/rev-b.yaml');
    const files = render('c', model);
    const hash = inputsHash(cGenerator, model, cGenerator.configSchema.parse({}));
    // A fresh target (version folder behind a link) and a real folder made by someone else (in place).
    const fresh = join(parent, 'c');
    const real = join(parent, 'real');
    mkdirSync(real);
    writeOutput(real, 'c', 'old', files.slice(1));
    expect(lstatSync(real).isDirectory()).toBe(true);
    const realBefore = readFileSync(join(real, MANIFEST), 'utf8');
    const listing = (): string[] => readdirSync(parent).sort();
    const before = listing();
    for (const dir of [fresh, real]) stageOutput(dir, 'c', hash, files).discard();
    expect(listing()).toEqual(before);
    expect(readdirSync(real).filter((n) => n.startsWith('.staging'))).toEqual([]);
    expect(readFileSync(join(real, MANIFEST), 'utf8')).toBe(realBefore);
    const staged = [fresh, real].map((dir) => stageOutput(dir, 'c', hash, files));
    expect(existsSync(fresh)).toBe(false);
    expect(isUpToDate(real, hash)).toBe(false);
    const reports = staged.map((s) => s.commit());
    expect(reports[0]!.written.length).toBe(files.length);
    expect(reports[1]!.written).toEqual([files[0]!.path]);
    for (const dir of [fresh, real]) expect(isUpToDate(dir, hash)).toBe(true);
  });

  it('every file carries the generator version and spec hash', () => {
    const model = modelOf('hardware-specs/demo-board/rev-a.yaml');
    for (const target of ['c', 'ts', 'python', 'docs', 'svd']) {
      for (const f of render(target, model)) {
        if (f.path === 'package.json') expect(JSON.parse(f.contents).specdrive.specHash).toBe(model.specHash);
        else expect(f.contents.slice(0, 400), `${target} ${f.path}`).toContain(`spec sha256:${model.specHash}`);
      }
    }
  });
});

describe('specdrive generate', () => {
  const cli = (args: string[]) => runCliIn(ROOT, args);

  it('generates all targets, reports up to date on a rerun, and --check exits 1 after a hand edit', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sdcli-'));
    expect((await cli(['generate', demo('rev-c'), '--target', 'all', '-o', out])).code).toBe(0);
    for (const t of ['c', 'ts', 'python', 'docs', 'svd']) expect(existsSync(join(out, t, MANIFEST))).toBe(true);
    expect((await cli(['generate', demo('rev-c'), '--target', 'all', '-o', out])).stderr).toContain('c: up to date');
    expect((await cli(['generate', demo('rev-c'), '--target', 'ts', '-o', out, '--check'])).code).toBe(0);
    writeFileSync(join(out, 'ts', 'src', 'device.ts'), '// edited');
    const check = await cli(['generate', demo('rev-c'), '--target', 'ts', '-o', out, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('out of date: src/device.ts');
  });

  it('writes nothing when a target has an error, and rejects bad usage with exit 2', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sdcli-')), 'never');
    const bad = await cli(['generate', join(ROOT, 'test/fixtures/adversarial/collision.yaml'), '--target', 'all', '-o', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('generate/name-collision');
    expect(existsSync(out)).toBe(false);
    expect((await cli(['generate', demo('rev-c'), '--target', 'cobol'])).code).toBe(2);
    expect((await cli(['generate', demo('rev-c')])).code).toBe(2);
  });
});
