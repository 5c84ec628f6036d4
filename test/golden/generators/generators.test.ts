import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generators } from '../../../generators/index.ts';
import { DEMO_REVISIONS, ROOT, modelOf, render } from '../../unit/generators/helpers.ts';

/**
 * Golden outputs of every target for every demo revision. `UPDATE_GOLDEN=1 npx vitest run
 * test/golden/generators` rewrites them; otherwise any byte difference fails.
 */
const EXPECTED = join(import.meta.dirname, 'expected');
const update = process.env.UPDATE_GOLDEN === '1';
/**
 * Runtime files the SDKs carry verbatim (after their provenance line): the TS and Python runtimes and
 * the protocol client. A generated file equal to one of them is compared with its source instead of
 * being frozen again per revision, so the goldens hold only what the generators compute.
 */
const RUNTIME_SOURCES = new Map(
  ['generators/typescript/runtime', 'generators/python/runtime', 'src/protocol']
    .flatMap((dir) => listFiles(join(ROOT, dir)))
    .map((path) => [readFileSync(path, 'utf8'), relative(ROOT, path)] as const),
);
const body = (contents: string): string => contents.slice(contents.indexOf('\n') + 1);

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
  } catch {
    return [];
  }
}

describe('generator golden outputs', () => {
  for (const rev of DEMO_REVISIONS) {
    for (const generator of generators) {
      it(`${rev} ${generator.name}`, () => {
        const model = modelOf(`hardware-specs/demo-board/${rev}.yaml`);
        const all = render(generator.name, model);
        // Verbatim runtime copies are recognised by content (the map is keyed by it), so they are
        // byte-equal to their source by construction; the rest is the generator's own output.
        // A copy must also carry its source's file name: a generated file that merely happens to equal
        // some runtime file elsewhere is still the generator's output and stays in the goldens.
        const isRuntimeCopy = (f: { path: string; contents: string }): boolean => {
          const source = RUNTIME_SOURCES.get(body(f.contents));
          return source !== undefined && basename(source) === basename(f.path);
        };
        const files = all.filter((f) => !isRuntimeCopy(f));
        if (generator.name === 'ts' || generator.name === 'python') expect(all.length - files.length, 'runtime copies').toBeGreaterThan(0);
        // Determinism: a second run from a fresh import gives the same bytes.
        expect(render(generator.name, modelOf(`hardware-specs/demo-board/${rev}.yaml`))).toEqual(all);
        const root = join(EXPECTED, rev, generator.name);
        if (update) {
          rmSync(root, { recursive: true, force: true });
          for (const f of files) {
            const target = join(root, ...f.path.split('/'));
            mkdirSync(dirname(target), { recursive: true });
            writeFileSync(target, f.contents);
          }
        }
        const onDisk = listFiles(root)
          .map((p) => relative(root, p).split('\\').join('/'))
          .sort();
        expect(onDisk).toEqual(files.map((f) => f.path));
        for (const f of files) expect(readFileSync(join(root, ...f.path.split('/')), 'utf8'), f.path).toBe(f.contents);
      });
    }
  }
});
