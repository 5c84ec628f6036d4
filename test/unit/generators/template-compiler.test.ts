import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplateSource, type CompiledTemplate, templateRuntime } from '../../../generators/framework/template-compiler.ts';

/**
 * The compiled templates (generators/framework/template-compiler.ts) must write what Handlebars
 * renders with the options the project used (noEscape, strict, knownHelpersOnly, data: false and an
 * `each` that loops over arrays without per-item frames): each case renders one source and view
 * through both and compares the text, or the error.
 */
const handlebars = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
const builtinEach = handlebars.helpers['each'] as Handlebars.HelperDelegate;
handlebars.registerHelper('each', function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
  if (!Array.isArray(context)) return builtinEach.call(this, context, options);
  if (context.length === 0) return options.inverse(this);
  let out = '';
  for (const item of context) out += options.fn(item);
  return out;
});
const OPTIONS = { noEscape: true, strict: true, knownHelpersOnly: true, preventIndent: true, data: false };

function ours(source: string): (view: unknown) => string {
  const make = new Function(`return ${compileTemplateSource(handlebars.parse, source)}`)() as (rt: typeof templateRuntime) => CompiledTemplate;
  const compiled = make(templateRuntime);
  return (view) => {
    const out: string[] = [];
    compiled(view, out);
    return out.join('');
  };
}

function outcome(render: () => string): { text: string } | { error: string } {
  try {
    return { text: render() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const CASES: { name: string; source: string; views: unknown[] }[] = [
  {
    name: 'values, dotted paths, this, numbers, null and booleans',
    source: 'a={{a}} b.c={{b.c}} n={{n}} z={{z}} t={{t}} f={{f}} u={{u}}\n{{#each list}}[{{this}}]{{/each}}\n',
    views: [{ a: 'x<&>"', b: { c: 'deep' }, n: 0, z: 12, t: true, f: false, u: null, list: ['1', 2, 'three'] }],
  },
  {
    name: 'standalone block lines are removed, inline ones kept',
    source:
      'top\n{{#each items}}\n  {{#if on}}\n  on {{name}}\n  {{else}}\n  off {{name}}\n  {{/if}}\n{{/each}}\nx {{#if on}}yes{{/if}} y\n  {{#unless items}}\n  none\n  {{/unless}}\nend\n',
    views: [
      {
        on: 1,
        items: [
          { on: true, name: 'a' },
          { on: 0, name: 'b' },
          { on: [], name: 'c' },
          { on: [0], name: 'd' },
          { on: '', name: 'e' },
        ],
      },
      { on: 0, items: [] },
    ],
  },
  {
    name: 'each over empty, missing, object and nested lists, with else',
    source:
      '{{#each xs}}<{{#each ys}}{{this}},{{else}}no ys{{/each}}>{{else}}no xs{{/each}}|{{#each obj}}{{v}};{{/each}}|{{#each missing}}m{{else}}none{{/each}}\n',
    views: [
      { xs: [{ ys: [1, 2] }, { ys: [] }], obj: { k1: { v: 'a' }, k2: { v: 'b' } } },
      { xs: [], obj: {} },
    ],
  },
  {
    name: 'null and undefined items: printed as nothing, read from as an error',
    source: '{{#each list}}[{{this}}]{{/each}}|{{#each nested}}[{{#each this}}i{{else}}e{{/each}}]{{/each}}\n',
    views: [{ list: [null, undefined, 'a', 0], nested: [null, [1], []] }],
  },
  {
    name: 'a name read from a null item fails as in Handlebars',
    source: '{{#each list}}[{{x}}]{{/each}}{{#each other}}{{#if y}}y{{/if}}{{/each}}\n',
    views: [
      { list: [null], other: [] },
      { list: [{ x: 1 }, undefined], other: [] },
      { list: [], other: [{ y: 1 }, null] },
    ],
  },
  {
    name: 'lengths and functions as values and conditions',
    source: '{{#if list.length}}has {{list.length}}{{/if}}{{#if fn}} fn={{fn}}{{/if}}\n',
    views: [
      {
        list: [1, 2],
        fn(this: { list: unknown[] }) {
          return `called with ${this.list.length}`;
        },
      },
      { list: [], fn: () => '' },
    ],
  },
  {
    name: 'strict: a printed name that is missing fails, a tested one does not',
    source: '{{#if absent}}x{{/if}}{{#each alsoAbsent}}y{{/each}}{{present}} {{item.nmae}}\n',
    views: [{ present: 'ok', item: { name: 'x' } }, { present: 'ok' }, { item: {} }],
  },
  {
    // Past a few thousand pieces a list is joined into chunks as it grows (template-compiler.ts compactPieces).
    name: 'a long output, nested lists included',
    source: 'head\n{{#each rows}}{{#each cells}}[{{this}}]{{/each}}\n{{/each}}tail\n',
    views: [{ rows: Array.from({ length: 3000 }, (_, i) => ({ cells: Array.from({ length: i % 7 }, (_, j) => `${i}.${j}`) })) }],
  },
  {
    name: 'prototype properties are not read',
    source: '{{#if constructor}}c{{/if}}[{{inherited}}]\n',
    views: [Object.assign(Object.create({ inherited: 'from prototype' }) as object, { other: 1 }), { inherited: 'own' }],
  },
];

describe('compiled templates write what Handlebars renders', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const reference = handlebars.compile(c.source, OPTIONS);
      const compiled = ours(c.source);
      for (const view of c.views) expect(outcome(() => compiled(view))).toEqual(outcome(() => reference(view)));
    });
  }

  it('refuses what is outside the subset instead of rendering something else', () => {
    for (const source of ['{{> partial}}', '{{#with a}}x{{/with}}', '{{lookup a b}}', '{{@index}}', '{{#each a as |x|}}{{x}}{{/each}}', '{{../a}}']) {
      expect(() => compileTemplateSource(handlebars.parse, source), source).toThrow(/outside the template subset/);
    }
  });
});
