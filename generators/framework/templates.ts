import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { flatText } from './flat-text.ts';

/**
 * Handlebars with the guard rails the project wants: only the built-in block helpers (each/if/unless/
 * with), no HTML escaping (each view-model escapes for its own language, which HTML escaping would
 * corrupt), and strict mode so a misspelt view-model key fails loudly instead of printing nothing.
 */
// Loaded on the first template: a warm `ci` (every revision from the cache) renders none, and loading
// handlebars is a third of its start-up.
let handlebars: typeof Handlebars | undefined;
const loadHandlebars = (): typeof Handlebars => (handlebars ??= withLeanEach((createRequire(import.meta.url)('handlebars') as typeof Handlebars).create()));

/**
 * `each` over an array without Handlebars' per-item bookkeeping: the built-in allocates a data frame,
 * an options object and two block-parameter arrays (with their path strings) for every item, which was
 * a fifth of a big header's render (docs/performance.md). No template uses `@index`, `@key` or block
 * parameters; they are compiled with `data: false`, so one that tried would fail, not print nothing.
 */
function withLeanEach(instance: typeof Handlebars): typeof Handlebars {
  const builtinEach = instance.helpers['each'] as Handlebars.HelperDelegate;
  instance.registerHelper('each', function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
    if (!Array.isArray(context)) return builtinEach.call(this, context, options);
    if (context.length === 0) return options.inverse(this);
    let out = '';
    for (const item of context) out += options.fn(item);
    return out;
  });
  return instance;
}

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Loads and compiles `dir/name.hbs` once; later calls reuse the compiled template. */
export function template(dir: string, name: string): Handlebars.TemplateDelegate {
  const file = join(dir, `${name}.hbs`);
  let compiled = cache.get(file);
  if (!compiled) {
    compiled = loadHandlebars().compile(readFileSync(file, 'utf8'), {
      noEscape: true,
      strict: true,
      knownHelpersOnly: true,
      preventIndent: true,
      data: false,
    });
    cache.set(file, compiled);
  }
  return compiled;
}

/** Renders a template of a generator folder (`templates/<name>.hbs`), as one flat string (flat-text.ts). */
export function render(dir: string, name: string, view: object): string {
  return flatText(template(join(dir, 'templates'), name)(view));
}
