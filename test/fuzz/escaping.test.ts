/**
 * Fuzz: spec text never changes the token structure of any emitted file. Every generator renders
 * the demo board twice, once with its board name, revision and every description replaced by
 * hostile text (comment and tag closers, quotes, line breaks, Markdown markup, trigraphs…) and once
 * with plain words; the two outputs must have the same structure (token-structure.ts) file by file.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGeneratorModel, generators, renderTarget } from '../../generators/index.ts';
import { importText } from '../../src/importers/index.ts';
import type { Device } from '../../src/ir/types.ts';
import { countCase, fuzzParams } from './harness.ts';
import { projectRoot } from '../project-root.ts';
import { tokenStructure } from './token-structure.ts';

const demo = importText(readFileSync(`${projectRoot}/hardware-specs/demo-board/rev-a.yaml`, 'utf8'), 'rev-a.yaml').value!;

/** Pieces that end or open a context somewhere. */
const NASTY = [
  '-->',
  '--->',
  '--!>',
  '<!--',
  '<script>',
  '</script>',
  '*/',
  '/*',
  '//',
  '#',
  '"""',
  "'''",
  '"',
  "'",
  '`',
  '${',
  '\\',
  '??/',
  '\n',
  '\r\n',
  '\u2028',
  '|',
  '<',
  '>',
  '&',
  '&lt;',
  ']]>',
  '<![CDATA[',
  '-',
  '*',
  '_',
  '[',
  ']',
  '(',
  ')',
  '1. ',
  '- ',
  '> ',
  '=',
  '\t',
  '\0',
  'é',
  '\u{1F600}',
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''))
  // Empty text legitimately drops a comment; what matters is text that is there.
  .filter((t) => /[A-Za-z0-9]/.test(t));

/** The device with its board, revision and every description (depth-first order) taken from `texts`. */
function withText(device: Device, texts: (i: number) => string): Device {
  let next = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === 'description' && typeof x === 'string' ? texts(next++) : k === 'span' ? x : walk(x);
    return out;
  };
  return { ...(walk(device) as Device), board: texts(next++), revision: texts(next++) };
}

/** Fixed package names: board and revision then only reach text, not identifiers or paths. */
const CONFIG: Readonly<Record<string, unknown>> = { typescript: { packageName: 'sdk' }, python: { packageName: 'sdk' }, svd: { fileName: 'device.svd' } };

function render(generatorName: string, device: Device): { path: string; contents: string }[] {
  const generator = generators.find((g) => g.name === generatorName)!;
  const model = { ...buildGeneratorModel(device), specHash: '0'.repeat(64) };
  const result = renderTarget(generator, model, CONFIG[generatorName] ?? {});
  if (!result.value) throw new Error(`${generatorName}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return [...result.value];
}

describe('fuzz: escaping of spec text in every generator', () => {
  for (const generator of generators) {
    it(`${generator.name}: hostile spec text leaves the token structure of every file unchanged`, () => {
      const plain = render(
        generator.name,
        withText(demo, (i) => `plain words ${i}`),
      );
      const plainStructure = plain.map((f) => tokenStructure(f.path, f.contents));
      fc.assert(
        fc.property(fc.array(hostileText, { minLength: 8, maxLength: 8 }), (texts) => {
          countCase(`escape:${generator.name}`);
          const files = render(
            generator.name,
            withText(demo, (i) => texts[i % texts.length]!),
          );
          expect(files.map((f) => f.path)).toEqual(plain.map((f) => f.path));
          files.forEach((f, i) => expect(tokenStructure(f.path, f.contents), f.path).toBe(plainStructure[i]));
        }),
        fuzzParams(),
      );
    });
  }

  it('the board name of issue 18 does not break out of the provenance comment', () => {
    const board = 'x---><script>alert(document.domain)</script><!--';
    const scripts = (f: { path: string; contents: string }): number => tokenStructure(f.path, f.contents).split(/<script/i).length - 1;
    for (const generator of generators) {
      const plain = render(generator.name, demo);
      const files = render(generator.name, { ...demo, board });
      files.forEach((f, i) => expect(scripts(f), `${generator.name} ${f.path}`).toBe(scripts(plain[i]!)));
      for (const f of files.filter((x) => /\.(html|md|svd)$/.test(x.path))) expect(f.contents, f.path).not.toContain('<script>alert');
    }
  });
});
