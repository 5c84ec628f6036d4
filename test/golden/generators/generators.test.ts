import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generators } from '../../../generators/index.ts';
import { DEMO_REVISIONS, ROOT, modelOf, render } from '../../unit/generators/helpers.ts';

/**
 * Golden outputs of every target for every demo revision. `UPDATE_GOLDEN=1 npx vitest run
 * test/golden/generators` rewrites them; otherwise any byte difference fails.
 */
const EXPECTED = join(import.meta.dirname, 'expected');
const update = process.env.UPDATE_GOLDEN === '1';
const COPIED = 'src/runtime/protocol/';

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
        // The TS SDK's copy of the protocol client is another team's code, verbatim: compared with
        // its source rather than frozen here, so their edits do not break these goldens.
        const copies = all.filter((f) => f.path.startsWith(COPIED));
        for (const f of copies) expect(f.contents.slice(f.contents.indexOf('\n') + 1)).toBe(readFileSync(join(ROOT, 'src/protocol', f.path.slice(COPIED.length)), 'utf8'));
        const files = all.filter((f) => !f.path.startsWith(COPIED));
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
        const onDisk = listFiles(root).map((p) => relative(root, p).split('\\').join('/')).sort();
        expect(onDisk).toEqual(files.map((f) => f.path));
        for (const f of files) expect(readFileSync(join(root, ...f.path.split('/')), 'utf8'), f.path).toBe(f.contents);
      });
    }
  }
});
