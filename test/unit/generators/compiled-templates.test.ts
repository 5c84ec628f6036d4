import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILED, precompiledModule, template } from '../../../generators/framework/templates.ts';
import { templateFolders } from '../../../scripts/compile-templates.ts';

/**
 * Templates are compiled ahead of time (generators/framework/templates.ts, `npm run templates`): the
 * committed code must be that of the .hbs files as they are, and a template edited since must still
 * render from its source.
 */
describe('precompiled templates', () => {
  it('every compiled.cjs is the precompiled code of its .hbs files (run `npm run templates` after editing one)', () => {
    const folders = templateFolders();
    expect(folders.length).toBeGreaterThanOrEqual(4);
    for (const dir of folders) expect(readFileSync(join(dir, COMPILED), 'utf8'), dir).toBe(precompiledModule(dir));
  });

  it('a template edited after it was compiled renders from its edited source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdtpl-'));
    writeFileSync(join(dir, 'a.hbs'), '{{#each items}}[{{name}}]{{/each}}\n');
    writeFileSync(join(dir, 'b.hbs'), 'b: {{#if flag}}yes{{else}}no{{/if}}\n');
    writeFileSync(join(dir, COMPILED), precompiledModule(dir));
    writeFileSync(join(dir, 'b.hbs'), 'b edited: {{#if flag}}yes{{else}}no{{/if}}\n');
    expect(template(dir, 'a')({ items: [{ name: 'x' }, { name: 'y' }] })).toBe('[x][y]\n');
    expect(template(dir, 'b')({ flag: 0 })).toBe('b edited: no\n');
    // strict either way: a misspelt key fails loudly
    expect(() => template(dir, 'a')({ items: [{ nmae: 'x' }] })).toThrow(/"name" not defined/);
  });

  it('the compiled code renders what the source does', () => {
    const from = templateFolders().find((d) => d.endsWith(join('c', 'templates')))!;
    const copy = mkdtempSync(join(tmpdir(), 'sdtpl-c-'));
    cpSync(from, copy, { recursive: true });
    writeFileSync(join(copy, COMPILED), "'use strict';\nmodule.exports = {};\n"); // nothing precompiled: compiled from source
    const view = { offsets: [{ label: 'A', actual: '1', expected: '2' }], fields: [], registers: [] };
    expect(template(from, 'layout_selftest.c')(view)).toBe(template(copy, 'layout_selftest.c')(view));
  });
});
